import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { KUBEMIRROR_EXCLUDED_NAMESPACES, KubeMirror } from '../names.ts';
import type { NamespacePattern } from '../patterns/index.ts';
import { compileExact, compileGlob, parseLabelSelector } from '../patterns/index.ts';
import type { NamespaceRule } from '../spec.ts';
import type { DialectRead } from './common.ts';
import { COPY_ALL, baseSpec, splitList } from './common.ts';
import { readTransform } from '../transform/read.ts';

/** Returns true when the object carries a KubeMirror key a user sets on sources (label or annotation). */
export function hasKubeMirrorKeys(reader: AnnotationReader, obj: KubeObject): boolean {
  return (
    obj.metadata.labels?.[KubeMirror.enabled] !== undefined ||
    reader.has(KubeMirror.sync) ||
    reader.has(KubeMirror.targetNamespaces) ||
    reader.has(KubeMirror.transform) ||
    reader.has(KubeMirror.transformStrict)
  );
}

/**
 * Reads KubeMirror's source keys: the `enabled` label and the `sync` annotation must both be "true";
 * `target-namespaces` takes names, globs, `all` (minus namespaces labelled allow-mirrors=false) or `all-labeled`
 * (namespaces labelled allow-mirrors=true); kube-system, kube-public and kube-node-lease never get mirrors.
 */
export function readKubeMirror(reader: AnnotationReader, obj: KubeObject): DialectRead {
  const enabled = obj.metadata.labels?.[KubeMirror.enabled] === 'true' && reader.raw(KubeMirror.sync) === 'true';
  // Without both switches KubeMirror ignores the object; it is still a source whose pushed mirrors must go.
  const spec = baseSpec(reader, obj, 'kubemirror');
  spec.copyLabels = COPY_ALL;
  spec.copyAnnotations = COPY_ALL;
  if (!enabled) return { isSource: true, spec };
  // KubeMirror's rules are the schema the native transform engine reads; strict mode is its transform-strict.
  const transform = readTransform(reader, obj, { transform: KubeMirror.transform, strict: KubeMirror.transformStrict });
  if (transform !== undefined) spec.transform = transform;
  const value = reader.raw(KubeMirror.targetNamespaces);
  if (value !== undefined) {
    const rule = readTargets(reader, value.trim());
    if (rule !== undefined) spec.push = rule;
  }
  return reader.failed ? { isSource: true } : { isSource: true, spec };
}

function readTargets(reader: AnnotationReader, value: string): NamespaceRule | undefined {
  const key = KubeMirror.targetNamespaces;
  const exclusions = KUBEMIRROR_EXCLUDED_NAMESPACES.map((ns) => {
    const c = compileExact(ns);
    return (c as { ok: true; pattern: NamespacePattern }).pattern;
  });
  const rule: NamespaceRule = { all: false, patterns: [], exclusions, annotation: key };
  if (value === 'all' || value === 'all-labeled') {
    const selector = parseLabelSelector(
      value === 'all' ? `${KubeMirror.allowMirrors}!=false` : `${KubeMirror.allowMirrors}=true`,
    );
    if (selector.ok) rule.selector = selector.selector;
    return rule;
  }
  const patterns: NamespacePattern[] = [];
  for (const entry of splitList(value)) {
    // Like KubeMirror, only `*` and `?` make an entry a glob; anything else is a namespace name.
    const compiled = entry.includes('*') || entry.includes('?') ? compileGlob(entry) : compileExact(entry);
    if (compiled.ok) patterns.push(compiled.pattern);
    else reader.invalid(key, `entry "${entry}": ${compiled.error}`);
  }
  rule.patterns = patterns;
  return rule;
}
