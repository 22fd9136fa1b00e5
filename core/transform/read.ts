import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import type { TransformSpec } from '../spec.ts';
import type { TransformLimits, TransformRulesResult } from './rules.ts';
import { DEFAULT_TRANSFORM_LIMITS, parseTransformRules } from './rules.ts';

/**
 * Reads a transform annotation and its strict flag into a spec; every rule error becomes an InvalidAnnotation
 * finding naming the annotation and the rule. Dialects pass their own keys.
 */
export function readTransform(
  reader: AnnotationReader,
  obj: KubeObject,
  keys: { transform: string; strict: string },
  limits: TransformLimits = DEFAULT_TRANSFORM_LIMITS,
): TransformSpec | undefined {
  const strict = reader.bool(keys.strict);
  if (!reader.has(keys.transform)) {
    if (reader.has(keys.strict)) reader.invalid(keys.strict, `it has no effect without ${keys.transform}`);
    return undefined;
  }
  // Read directly: the rule text has its own size limit (limits.maxBytes), which may exceed the generic one.
  const text = obj.metadata.annotations?.[keys.transform];
  if (typeof text !== 'string') {
    reader.invalid(keys.transform, 'its value is not a string');
    return undefined;
  }
  const result = parseCached(text, limits);
  if (!result.ok) {
    for (const error of result.errors) reader.invalid(keys.transform, error);
    return undefined;
  }
  if (result.rules.length === 0) return undefined;
  return { rules: result.rules, strict, annotation: keys.transform };
}

// Sources are parsed again on every reconcile and every plugin or reflect-fn run, and the YAML parse of a rule text
// costs as much as rendering dozens of mirrors; parsed rules are immutable, so sources with one text share one parse.
// Bounded by entries and by the text held, so a tenant writing many distinct texts cannot grow it.
const MAX_CACHED = 256;
const MAX_CACHED_CHARS = 4 * 1024 * 1024;
const cache = new Map<string, TransformRulesResult>();
let cachedChars = 0;

function parseCached(text: string, limits: TransformLimits): TransformRulesResult {
  const key = `${limits.maxRules}/${limits.maxBytes}/${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Most recently used last: the first entry is the one to evict.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const entry = parseTransformRules(text, limits);
  cache.set(key, entry);
  cachedChars += key.length;
  for (const [oldest] of cache) {
    if (cache.size <= MAX_CACHED && cachedChars <= MAX_CACHED_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  return entry;
}
