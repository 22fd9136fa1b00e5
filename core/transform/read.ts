import type { AnnotationReader } from '../annotation-reader.ts';
import type { KubeObject } from '../kube-object.ts';
import type { TransformSpec } from '../spec.ts';
import type { TransformLimits } from './rules.ts';
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
  const result = parseTransformRules(text, limits);
  if (!result.ok) {
    for (const error of result.errors) reader.invalid(keys.transform, error);
    return undefined;
  }
  if (result.rules.length === 0) return undefined;
  return { rules: result.rules, strict, annotation: keys.transform };
}
