/**
 * Applies transform rules to one mirror in one target namespace: a pure function of (source parts, namespace,
 * rules) that never modifies its input and stops every template within one shared budget.
 */
import { validateLabelValue } from '../patterns/index.ts';
import { base64 } from '../kinds.ts';
import type { PathSegment } from './path.ts';
import { Draft, PathError, copyMap, formatPath } from './path.ts';
import type { RuleData, TransformRule } from './rules.ts';
import type { TemplateContext } from './template-eval.ts';
import { contextValue, executeTemplate } from './template-eval.ts';
import type { TemplateLimits } from './template-values.ts';
import { Budget, DEFAULT_TEMPLATE_LIMITS } from './template-values.ts';

/** The parts of a mirror that rules may change. */
export interface TransformInput {
  /** The group kind ("Secret", "ConfigMap", "Deployment.apps"): Secret data is stored base64-encoded. */
  kind: string;
  content: Readonly<Record<string, unknown>>;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** A rule that could not be applied in a namespace, and why. */
export interface RuleFailure {
  rule: number;
  path: string;
  why: string;
}

/** What the rules did to one mirror. */
export interface TransformResult extends TransformInput {
  /** Numbers of the rules applied, in order. */
  applied: number[];
  failed: RuleFailure[];
  /**
   * What the applied rules did, in order, one line each (path, action, and the value written): with the source's
   * copied content this determines the mirror, so a hash of the two stands for a hash of the mirror. Rules that did
   * not apply are not in it, so editing a rule for other namespaces leaves this mirror's hash alone.
   */
  effects: string;
}

/** Applies the rules whose namespace pattern matches the context's target namespace, in order. */
export function applyTransform(
  input: TransformInput,
  rules: readonly TransformRule[],
  ctx: TemplateContext,
  limits: TemplateLimits = DEFAULT_TEMPLATE_LIMITS,
): TransformResult {
  const root = copyMap(input.content);
  root.metadata = { labels: input.labels, annotations: input.annotations };
  const draft = new Draft(root);
  const applied: number[] = [];
  const failed: RuleFailure[] = [];
  let effects = '';
  const budget = new Budget(limits);
  let context: ReturnType<typeof contextValue> | undefined;
  const render = (rule: TransformRule) => executeTemplateOf(rule, (context ??= contextValue(ctx)), budget);
  for (const rule of rules) {
    if (rule.namespacePattern !== undefined && !rule.namespacePattern.matches(ctx.TargetNamespace)) continue;
    try {
      const output = applyRule(draft, rule, input.kind, render);
      effects += output === undefined ? `${rule.effect}\n` : `${rule.effect}${JSON.stringify(output)}\n`;
      applied.push(rule.number);
    } catch (err) {
      failed.push({ rule: rule.number, path: rule.path, why: err instanceof Error ? err.message : String(err) });
    }
  }
  const meta = draft.root.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  const content = copyMap(draft.root, 'metadata');
  return { kind: input.kind, content, labels: meta.labels, annotations: meta.annotations, applied, failed, effects };
}

function executeTemplateOf(rule: TransformRule, context: ReturnType<typeof contextValue>, budget: Budget): string {
  if (rule.action.type !== 'template') throw new Error('not a template rule');
  return executeTemplate(rule.action.template, context, budget);
}

// Returns what a template rule rendered.
function applyRule(
  draft: Draft,
  rule: TransformRule,
  kind: string,
  render: (rule: TransformRule) => string,
): string | undefined {
  const action = rule.action;
  const encoded = isEncodedData(kind, rule.segments);
  if (action.type === 'delete') {
    if (draft.get(rule.segments) !== undefined) draft.update(rule.segments, () => undefined);
    return undefined;
  }
  if (action.type === 'merge') {
    const entries = encoded.map ? encodeEntries(action.entries) : cloneData(action.entries);
    draft.update(rule.segments, (old) => {
      if (old !== undefined && (typeof old !== 'object' || old === null || Array.isArray(old))) {
        throw new PathError(`${rule.path}: merge needs a map, and there is ${describe(old)}`);
      }
      const merged = old === undefined ? {} : copyMap(old as Record<string, unknown>);
      for (const key of Object.keys(entries)) merged[key] = (entries as Record<string, unknown>)[key];
      return merged;
    });
    return undefined;
  }
  const text = action.type === 'value' ? action.value : render(rule);
  if (rule.target.type === 'metadata-key' && rule.target.map === 'labels') {
    const why = validateLabelValue(text);
    if (why !== undefined) throw new PathError(`label ${rule.target.key}: ${why}`);
  }
  draft.update(rule.segments, (old) => {
    if (encoded.value) return base64(text);
    if (old !== null && typeof old === 'object') {
      throw new PathError(`${rule.path} is ${describe(old)}; a value or template replaces only a single value`);
    }
    return typed(text, old);
  });
  return action.type === 'template' ? text : undefined;
}

// Secret data and ConfigMap binaryData hold base64: rules read and write them as text, stored encoded.
function isEncodedData(kind: string, segments: readonly PathSegment[]): { value: boolean; map: boolean } {
  const first = segments[0];
  const field = first !== undefined && 'key' in first ? first.key : '';
  const encoded = (kind === 'Secret' && field === 'data') || (kind === 'ConfigMap' && field === 'binaryData');
  return { value: encoded && segments.length === 2, map: encoded && segments.length === 1 };
}

function encodeEntries(entries: Readonly<Record<string, RuleData>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) {
    if (typeof v !== 'string') throw new PathError(`merge: the value of ${k} must be a string`);
    out[k] = base64(v);
  }
  return out;
}

// Rule data is shared by every mirror of the source; each mirror gets its own copy.
function cloneData(v: RuleData): RuleData {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(cloneData);
  const out: Record<string, RuleData> = {};
  for (const [k, x] of Object.entries(v)) out[k] = cloneData(x as RuleData);
  return out;
}

// Rule values are text (YAML's failsafe schema); a value replacing a number or boolean keeps that type when it can.
function typed(text: string, old: unknown): unknown {
  if (typeof old === 'number' && /^-?[0-9]+(\.[0-9]+)?$/.test(text.trim())) return Number(text.trim());
  if (typeof old === 'boolean' && (text.trim() === 'true' || text.trim() === 'false')) return text.trim() === 'true';
  return text;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

/** Describes a rule in one line for explanations: "2 data.API_URL (template, prod-*)". */
export function describeRule(rule: TransformRule): string {
  const where = rule.namespacePattern === undefined ? '' : `, ${rule.namespacePattern.text}`;
  return `${rule.number} ${formatPath(rule.segments)} (${rule.action.type}${where})`;
}
