/**
 * Transform rules: KubeMirror's YAML schema (`rules:` of path + one of value/template/merge/delete, and an optional
 * namespacePattern), parsed safely and checked completely before any rule runs.
 */
import { parseDocument } from 'yaml';
import { canonicalJson } from '../content-hash.ts';
import { NEVER_COPIED_KEYS } from '../names.ts';
import type { NamespacePattern } from '../patterns/index.ts';
import { compileGlob, validateLabelKey, validateLabelValue } from '../patterns/index.ts';
import { matchesKeyPattern } from './key-match.ts';
import { compileStarGlob } from './star-glob.ts';
import type { PathSegment } from './path.ts';
import { formatPath, parsePath } from './path.ts';
import type { Template } from './template-parse.ts';
import { parseTemplate } from './template-parse.ts';

/** How many rules, and how many bytes of rule text, one source may carry. */
export interface TransformLimits {
  maxRules: number;
  maxBytes: number;
}

/** KubeMirror's defaults: 50 rules, 10 KiB. */
export const DEFAULT_TRANSFORM_LIMITS: TransformLimits = { maxRules: 50, maxBytes: 10240 };

/** A value rules may merge: strings, maps and lists of them (YAML's failsafe schema). */
export type RuleData = string | readonly RuleData[] | { readonly [key: string]: RuleData };

/** What a rule does at its path. */
export type RuleAction =
  | { type: 'value'; value: string }
  | { type: 'template'; text: string; template: Template }
  | { type: 'merge'; entries: Readonly<Record<string, RuleData>> }
  | { type: 'delete' };

/** Where a path points: the mirror's content, or its labels or annotations (the map, or one key of it). */
export type RuleTarget =
  | { type: 'content' }
  | { type: 'metadata-map'; map: 'labels' | 'annotations' }
  | { type: 'metadata-key'; map: 'labels' | 'annotations'; key: string };

/** One parsed, validated rule; `number` counts from 1 as users do. */
export interface TransformRule {
  number: number;
  path: string;
  segments: readonly PathSegment[];
  target: RuleTarget;
  action: RuleAction;
  /** Namespaces the rule applies in; undefined: every target namespace. */
  namespacePattern?: NamespacePattern;
  /**
   * What the rule does, as canonical text (path, action, and the value unless a template computes it): the start of
   * the rule's entry in TransformResult.effects, computed once per parse instead of once per mirror.
   */
  effect: string;
}

/** The outcome of parsing rule text: the rules, or every error found (each naming its rule). */
export type TransformRulesResult = { ok: true; rules: TransformRule[] } | { ok: false; errors: string[] };

const RULE_KEYS = new Set(['path', 'value', 'template', 'merge', 'delete', 'namespacePattern']);
// Fields of a mirror that identify it, decide how it is written, or are ours: no rule may change them.
const FORBIDDEN_TOP = new Set(['apiVersion', 'kind', 'status', 'type', 'immutable']);

/** Parses the YAML text of a transform annotation; never throws. */
export function parseTransformRules(
  text: string,
  limits: TransformLimits = DEFAULT_TRANSFORM_LIMITS,
): TransformRulesResult {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > limits.maxBytes) return fail(`the rules are ${bytes} bytes long; the limit is ${limits.maxBytes}`);
  let root: unknown;
  try {
    // The failsafe schema reads every scalar as a string (value: 3 is "3", as KubeMirror's *string field), and a
    // handful of aliases is all hand-written rules need; more is an expansion attack.
    const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) return fail(`invalid YAML: ${firstLine(doc.errors[0]?.message)}`);
    root = doc.toJS({ maxAliasCount: 16 });
  } catch (err) {
    return fail(`invalid YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
  if (root === null || root === undefined || root === '') return { ok: true, rules: [] };
  if (!isMap(root)) return fail('the text must be a map with a "rules:" list');
  const extra = Object.keys(root).filter((k) => k !== 'rules');
  if (extra.length > 0) return fail(`unknown key "${extra[0]}"; only "rules:" is allowed`);
  const list = root.rules ?? [];
  if (list === '') return { ok: true, rules: [] };
  if (!Array.isArray(list)) return fail('"rules:" must be a list');
  if (list.length > limits.maxRules) return fail(`${list.length} rules exceed the limit of ${limits.maxRules}`);
  const rules: TransformRule[] = [];
  const errors: string[] = [];
  list.forEach((raw: unknown, i: number) => {
    const rule = parseRule(raw, i + 1);
    if (typeof rule === 'string') errors.push(rule);
    else rules.push(rule);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

function parseRule(raw: unknown, number: number): TransformRule | string {
  const pathText = isMap(raw) && typeof raw.path === 'string' ? raw.path.trim() : undefined;
  const name = `rule ${number}${pathText === undefined ? '' : ` (${pathText})`}`;
  const bad = (why: string) => `${name}: ${why}`;
  if (!isMap(raw)) return bad('must be a map with "path:" and one of value, template, merge or delete');
  const unknown = Object.keys(raw).find((k) => !RULE_KEYS.has(k));
  if (unknown !== undefined) return bad(`unknown key "${unknown}"`);
  if (pathText === undefined) return bad('"path:" must be a string');
  const parsed = parsePath(pathText);
  if (!parsed.ok) return bad(parsed.error);
  const actions = ['value', 'template', 'merge', 'delete'].filter((k) => raw[k] !== undefined);
  if (actions.length !== 1) return bad('must have exactly one of value, template, merge or delete');
  const action = parseAction(raw, actions[0] as string);
  if (typeof action === 'string') return bad(action);
  const target = targetOf(parsed.segments, action);
  if (typeof target === 'string') return bad(target);
  const rule: TransformRule = {
    number,
    path: pathText,
    segments: parsed.segments,
    target,
    action,
    effect: canonicalJson([parsed.segments, action.type, action.type === 'template' ? null : staticPayload(action)]),
  };
  const pattern = raw.namespacePattern;
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') return bad('"namespacePattern:" must be a string');
    if (pattern.trim() !== '') {
      const compiled = compileGlob(pattern.trim());
      if (!compiled.ok) return bad(`namespacePattern: ${compiled.error}`);
      // The same answers as the compiled glob, without a regex engine per rule per mirror.
      const fast = compileStarGlob(pattern.trim());
      rule.namespacePattern = fast === undefined ? compiled.pattern : { ...compiled.pattern, matches: fast };
    }
  }
  return rule;
}

function staticPayload(action: RuleAction): unknown {
  if (action.type === 'value') return action.value;
  return action.type === 'merge' ? action.entries : null;
}

function parseAction(raw: Record<string, unknown>, kind: string): RuleAction | string {
  const v = raw[kind];
  switch (kind) {
    case 'value':
      return typeof v === 'string' ? { type: 'value', value: v } : '"value:" must be a single value, not a map or list';
    case 'template': {
      if (typeof v !== 'string') return '"template:" must be a string';
      try {
        return { type: 'template', text: v, template: parseTemplate(v) };
      } catch (err) {
        return `template: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    case 'merge': {
      if (!isMap(v)) return '"merge:" must be a map';
      const proto = findProtoKey(v);
      if (proto) return 'the key __proto__ is not allowed';
      return { type: 'merge', entries: v as Record<string, RuleData> };
    }
    default: {
      const t = typeof v === 'string' ? v.trim().toLowerCase() : '';
      if (t === 'true') return { type: 'delete' };
      return t === 'false' ? 'must have exactly one of value, template, merge or delete' : '"delete:" must be true';
    }
  }
}

function targetOf(segments: readonly PathSegment[], action: RuleAction): RuleTarget | string {
  const [first, second, third, ...rest] = segments;
  const key = (s: PathSegment | undefined) => (s !== undefined && 'key' in s ? s.key : undefined);
  const top = key(first);
  if (top === undefined) return 'a path starts with a field name';
  if (FORBIDDEN_TOP.has(top)) return `${top} cannot be transformed`;
  if (top !== 'metadata') return { type: 'content' };
  const map = key(second);
  if (map !== 'labels' && map !== 'annotations') {
    return 'only metadata.labels and metadata.annotations can be transformed';
  }
  if (third === undefined) {
    if (action.type !== 'merge') return `only merge applies to metadata.${map}; name a key to set or delete one`;
    for (const [k, v] of Object.entries(action.entries)) {
      const why = metadataKeyProblem(map, k);
      if (why !== undefined) return why;
      if (typeof v !== 'string') return `merge: the value of ${map.slice(0, -1)} ${k} must be a string`;
      const value = map === 'labels' ? validateLabelValue(v) : undefined;
      if (value !== undefined) return `merge: label ${k}: ${value}`;
    }
    return { type: 'metadata-map', map };
  }
  const k = key(third);
  if (k === undefined || rest.length > 0) return `metadata.${map} holds strings; name one key, quoted if it has dots`;
  if (action.type === 'merge') return `merge needs a map; ${formatPath(segments)} is a string`;
  const why = metadataKeyProblem(map, k);
  return why ?? { type: 'metadata-key', map, key: k };
}

function metadataKeyProblem(map: 'labels' | 'annotations', key: string): string | undefined {
  const syntax = validateLabelKey(key);
  if (syntax !== undefined) return `${map.slice(0, -1)} key "${key}": ${syntax}`;
  if (NEVER_COPIED_KEYS.some((p) => matchesKeyPattern(key, p))) {
    return `${map.slice(0, -1)} key "${key}" is never set on mirrors (provenance, GitOps or Helm bookkeeping)`;
  }
  return undefined;
}

function findProtoKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(findProtoKey);
  if (!isMap(v)) return false;
  return Object.keys(v).some((k) => k === '__proto__' || findProtoKey(v[k]));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(error: string): TransformRulesResult {
  return { ok: false, errors: [error] };
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0] as string;
}
