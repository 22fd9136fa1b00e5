import type { Finding } from './finding.ts';
import type { KubeObject, ObjectRef } from './kube-object.ts';
import { refOf } from './kube-object.ts';

/** The longest annotation value the parser reads; longer values are an error, never truncated. */
export const MAX_ANNOTATION_VALUE_LENGTH = 8192;

/**
 * Reads annotation values of one object and turns bad ones into findings naming the object and the annotation.
 * The parse functions collect findings instead of throwing, so one bad key never hides the others.
 */
export class AnnotationReader {
  readonly ref: ObjectRef;
  readonly findings: Finding[] = [];
  private readonly annotations: Readonly<Record<string, string>>;

  constructor(obj: KubeObject) {
    this.ref = refOf(obj);
    this.annotations = obj.metadata.annotations ?? {};
  }

  /** Returns true when the annotation is present (even with an empty value). */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.annotations, key);
  }

  /** Returns the raw value, or undefined when absent or too long (the latter with a finding). */
  raw(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.annotations[key];
    if (typeof value !== 'string') {
      this.invalid(key, 'its value is not a string');
      return undefined;
    }
    if (value.length > MAX_ANNOTATION_VALUE_LENGTH) {
      this.invalid(key, `its value is ${value.length} characters long; the limit is ${MAX_ANNOTATION_VALUE_LENGTH}`);
      return undefined;
    }
    return value;
  }

  /** Reads "true"/"false" (any case, trimmed, as .NET's bool.TryParse); absent gives the fallback. */
  bool(key: string, fallback = false): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    this.invalid(key, `"${value}" is not "true" or "false"`);
    return false;
  }

  /** Reads one of the given words; absent gives the fallback. */
  oneOf<T extends string>(key: string, words: readonly T[], fallback: T): T {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const v = value.trim() as T;
    if (words.includes(v)) return v;
    this.invalid(key, `"${value}" is not one of ${words.map((w) => `"${w}"`).join(', ')}`);
    return fallback;
  }

  /** Reads a positive whole number up to max; absent gives undefined. */
  positiveInt(key: string, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const v = value.trim();
    if (!/^[0-9]{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) {
      this.invalid(key, `"${value}" is not a whole number from 1 to ${max}`);
      return undefined;
    }
    return Number(v);
  }

  /** Records an error finding about an annotation's value. */
  invalid(key: string, why: string): void {
    this.findings.push({
      severity: 'error',
      reason: 'InvalidAnnotation',
      message: `${this.ref.kind} ${this.ref.namespace}/${this.ref.name}: annotation ${key}: ${why}`,
      object: this.ref,
      annotation: key,
    });
  }

  /** Returns true when an error finding was recorded. */
  get failed(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }
}
