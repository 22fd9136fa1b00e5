/**
 * The values a transform template computes with, the budget every evaluation spends, and how values print the way
 * Go's fmt prints them.
 */

/** A map of the template context (`.Labels`, `.Annotations`): string keys to string values. */
export class MapValue {
  constructor(readonly entries: Readonly<Record<string, string>>) {}
}

/** The whole template context (`.` and `$`): only its fields can be printed or passed on. */
export class ContextValue {
  constructor(readonly fields: Readonly<Record<string, string | MapValue>>) {}
}

/** A value during evaluation; `null` is Go's nil and a missing map key. */
export type Value = string | number | boolean | null | MapValue | ContextValue;

/** An error while evaluating a template (a runtime error, or the budget or size cap reached). */
export class TemplateRuntimeError extends Error {}

/** How much one evaluation (or one mirror's evaluations together) may do. */
export interface TemplateLimits {
  /** Work units: one per node and call, plus one per 16 characters a call produces. */
  maxSteps: number;
  /**
   * The longest string any call may produce, in UTF-16 code units; also the most that all templates of one budget
   * (one mirror) may write together, so fifty rules cannot write fifty times as much.
   */
  maxOutput: number;
}

/** Defaults: far above any real template, far below anything that could slow a reconcile. */
export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = { maxSteps: 20000, maxOutput: 65536 };

/** Counts work and stops an evaluation deterministically when its limit is reached. */
export class Budget {
  private used = 0;
  private written = 0;
  constructor(readonly limits: TemplateLimits) {}

  /** Throws when a template's output of this length, added to what earlier templates wrote, exceeds the cap. */
  checkOutput(length: number): void {
    if (this.written + length > this.limits.maxOutput) {
      throw new TemplateRuntimeError(
        `the templates of this mirror would write more than ${this.limits.maxOutput} characters together`,
      );
    }
  }

  /** Counts a finished template's output towards the cap of all templates of this budget. */
  wrote(length: number): void {
    this.written += length;
  }

  /** Spends work units; throws once the budget is gone. */
  charge(units: number): void {
    this.used += units;
    if (this.used > this.limits.maxSteps) {
      throw new TemplateRuntimeError(`the template exceeded its budget of ${this.limits.maxSteps} steps`);
    }
  }

  /** Charges for a produced string and rejects it when it is longer than the output cap. */
  produced(text: string): string {
    this.checkLength(text.length);
    this.charge(1 + (text.length >> 4));
    return text;
  }

  /**
   * Throws when a string of this length would exceed the output cap (checked before building it). What earlier
   * templates of the mirror wrote counts: no string may be longer than what the mirror may still write, so rules
   * after the cap is reached fail at once instead of building large strings they may not write.
   */
  checkLength(length: number): void {
    if (length > this.limits.maxOutput - this.written) {
      throw new TemplateRuntimeError(
        this.written === 0
          ? `the template output exceeds ${this.limits.maxOutput} characters`
          : `the template output exceeds the ${this.limits.maxOutput - this.written} characters this mirror may still write`,
      );
    }
  }

  /** Work units spent so far. */
  get steps(): number {
    return this.used;
  }
}

/** Returns the Go type name of a value, for error messages. */
export function typeName(v: Value): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof MapValue) return 'map[string]string';
  return 'context';
}

/** Go's truth: false, 0, nil, "" and empty maps are false. */
export function isTrue(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (v instanceof MapValue) return Object.keys(v.entries).length > 0;
  return true;
}

/** Formats a value as fmt's %v does; nil prints "<nil>" (only inside printf and print). */
export function formatValue(v: Value): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof MapValue) {
    const keys = Object.keys(v.entries).sort();
    return `map[${keys.map((k) => `${k}:${v.entries[k]}`).join(' ')}]`;
  }
  throw new TemplateRuntimeError('the whole context cannot be printed; name one of its fields');
}

/** Formats the value of an action for output: a missing value is an error, never "<no value>". */
export function printValue(v: Value): string {
  if (v === null) throw new TemplateRuntimeError('no value to print (a missing key?); use default or index');
  return formatValue(v);
}
