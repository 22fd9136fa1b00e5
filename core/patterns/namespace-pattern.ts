/** What kind of syntax a namespace pattern was written in. */
export type PatternKind = 'exact' | 'glob' | 'regex';

/** A compiled namespace-name pattern whose `matches` never throws. */
export interface NamespacePattern {
  readonly kind: PatternKind;
  readonly text: string;
  /** True when matching costs less than looking a remembered answer up (no engine runs): answers are not kept. */
  readonly direct?: boolean;
  matches(name: string): boolean;
}

/** The outcome of compiling a pattern: the pattern, or an error naming the pattern and the reason. */
export type PatternResult = { ok: true; pattern: NamespacePattern } | { ok: false; error: string };

/** The longest pattern text we compile; it bounds compile work and the backtracking analysis. */
export const MAX_PATTERN_LENGTH = 256;

/** Returns an error when the text is empty or longer than MAX_PATTERN_LENGTH, otherwise undefined. */
export function checkPatternText(kind: PatternKind, text: string): string | undefined {
  if (typeof text !== 'string' || text.length === 0) return `empty ${kind} pattern`;
  if (text.length > MAX_PATTERN_LENGTH) {
    return `${kind} pattern '${text.slice(0, 32)}…' is ${text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`;
  }
  return undefined;
}

/** Compiles a pattern that matches exactly one namespace name. */
export function compileExact(text: string): PatternResult {
  const error = checkPatternText('exact', text);
  if (error !== undefined) return { ok: false, error };
  return { ok: true, pattern: { kind: 'exact', text, matches: (name) => name === text } };
}
