import type { AnnotationReader } from './annotation-reader.ts';
import { isDnsLabel } from './kube-object.ts';
import type { NamespacePattern } from './patterns/index.ts';
import {
  compileExact,
  compileGlob,
  compileReflectorRegex,
  compileRegex,
  parseLabelSelector,
  splitPatternList,
  splitReflectorList,
} from './patterns/index.ts';
import type { NamespaceRule } from './spec.ts';

/** The most entries one namespace list may hold. */
export const MAX_LIST_ENTRIES = 256;

/**
 * Parses a Reflector namespace list (comma list of full-match regexes) and its selector into a rule, as Reflector's
 * MatchNamespace does: a list or selector that is absent or exactly "" is unset, and both unset means every namespace.
 * A set list whose entries are all blank (",", " ", ", ,") matches no namespace; a set selector that is only blanks
 * matches every namespace (Reflector's LabelSelectorMatch); the two are ORed.
 */
export function parseReflectorRule(
  reader: AnnotationReader,
  listKey: string,
  selectorKey: string,
): NamespaceRule | undefined {
  const list = reader.raw(listKey) ?? '';
  const selectorText = reader.raw(selectorKey) ?? '';
  const entries = splitReflectorList(list);
  const patterns: NamespacePattern[] = [];
  if (entries.length > MAX_LIST_ENTRIES) {
    reader.invalid(listKey, `it has ${entries.length} entries; the limit is ${MAX_LIST_ENTRIES}`);
    return undefined;
  }
  for (const entry of entries) {
    // A plain name is a regex that matches only itself; comparing strings gives the same answer without a compile.
    const compiled = /^[a-z0-9-]+$/.test(entry) ? compileExact(entry) : compileReflectorRegex(entry);
    if (compiled.ok) patterns.push(compiled.pattern);
    else reader.invalid(listKey, `entry "${entry}": ${compiled.error}`);
  }
  const rule: NamespaceRule = {
    all: false,
    patterns,
    exclusions: [],
    annotation: listKey,
    selectorAnnotation: selectorKey,
  };
  if (selectorText.trim() !== '') {
    const parsed = parseLabelSelector(selectorText);
    if (parsed.ok) rule.selector = parsed.selector;
    else reader.invalid(selectorKey, parsed.error);
  }
  // Only the exact empty string is unset: " " or "," is a list of no namespace, never "all" (Reflector's PatternListMatch).
  const listUnset = list === '';
  const selectorUnset = selectorText === '';
  const blankSelector = !selectorUnset && selectorText.trim() === '';
  if ((listUnset && selectorUnset) || blankSelector) rule.all = true;
  return rule;
}

/**
 * Parses a native namespace list (names, globs, `regex:` entries, `all`, `!exclusions`) and its selector into a rule.
 * Returns undefined when neither annotation is present; an empty rule is an error, never "all".
 */
export function parseNativeRule(
  reader: AnnotationReader,
  listKey: string,
  selectorKey: string,
): NamespaceRule | undefined {
  if (!reader.has(listKey) && !reader.has(selectorKey)) return undefined;
  const rule: NamespaceRule = {
    all: false,
    patterns: [],
    exclusions: [],
    annotation: listKey,
    selectorAnnotation: selectorKey,
  };
  const patterns: NamespacePattern[] = [];
  const exclusions: NamespacePattern[] = [];
  const entries = splitPatternList(reader.raw(listKey) ?? '');
  if (entries.length > MAX_LIST_ENTRIES) {
    reader.invalid(listKey, `it has ${entries.length} entries; the limit is ${MAX_LIST_ENTRIES}`);
    return undefined;
  }
  for (const entry of entries) {
    const negated = entry.startsWith('!');
    const body = negated ? entry.slice(1).trim() : entry;
    if (!negated && (body === 'all' || body === '*')) {
      rule.all = true;
      continue;
    }
    const compiled = compileNativeEntry(body);
    if (!compiled.ok) reader.invalid(listKey, `entry "${entry}": ${compiled.error}`);
    else (negated ? exclusions : patterns).push(compiled.pattern);
  }
  rule.patterns = patterns;
  rule.exclusions = exclusions;
  const selectorText = reader.raw(selectorKey);
  if (selectorText !== undefined) {
    const parsed = parseLabelSelector(selectorText);
    if (!parsed.ok) reader.invalid(selectorKey, parsed.error);
    else if (parsed.selector.requirements.length === 0) reader.invalid(selectorKey, 'the selector is empty');
    else rule.selector = parsed.selector;
  }
  if (!rule.all && patterns.length === 0 && rule.selector === undefined && !reader.failed) {
    reader.invalid(listKey, 'it names no namespaces (use "all" for every namespace)');
  }
  return rule;
}

type Compiled = { ok: true; pattern: NamespacePattern } | { ok: false; error: string };

function compileNativeEntry(body: string): Compiled {
  if (body === '') return { ok: false, error: 'empty entry' };
  if (body.startsWith('regex:')) return compileRegex(body.slice('regex:'.length).trim());
  if (/[*?[\]{}]/.test(body)) return compileGlob(body);
  if (!isDnsLabel(body)) return { ok: false, error: 'not a namespace name, glob or regex' };
  return compileExact(body);
}
