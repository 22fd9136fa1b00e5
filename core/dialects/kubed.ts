import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import { Kubed } from '../names.ts';
import { parseLabelSelector } from '../patterns/index.ts';
import type { DialectRead } from './common.ts';
import { COPY_ALL, allRule, baseSpec } from './common.ts';

/** Returns true when the object carries a config-syncer (kubed) key a user sets. */
export function hasKubedKeys(reader: AnnotationReader): boolean {
  return reader.has(Kubed.sync) || reader.has(Kubed.syncContexts);
}

/**
 * Reads config-syncer's `sync`: empty or "true" copies to every other namespace, any other value is a namespace
 * label selector; labels and annotations are copied. `sync-contexts` (cross-cluster) is refused with a finding.
 */
export function readKubed(reader: AnnotationReader, obj: KubeObject): DialectRead {
  const spec = baseSpec(reader, obj, 'kubed');
  spec.copyLabels = COPY_ALL;
  spec.copyAnnotations = COPY_ALL;
  const value = reader.raw(Kubed.sync);
  if (value !== undefined) {
    const v = value.trim();
    if (v === '' || v === 'true') {
      spec.push = allRule(Kubed.sync);
    } else {
      const parsed = parseLabelSelector(v);
      if (parsed.ok)
        spec.push = { all: false, patterns: [], exclusions: [], annotation: Kubed.sync, selector: parsed.selector };
      else reader.invalid(Kubed.sync, parsed.error);
    }
  }
  if (reader.has(Kubed.syncContexts)) {
    reader.findings.push({
      severity: 'error',
      reason: 'UnsupportedAnnotation',
      message: `${reader.ref.kind} ${reader.ref.namespace}/${reader.ref.name}: ${Kubed.syncContexts} (copies to other clusters) is not supported yet; nothing is done for this object until it is removed`,
      object: reader.ref,
      annotation: Kubed.syncContexts,
    });
  }
  return reader.failed ? { isSource: true } : { isSource: true, spec };
}
