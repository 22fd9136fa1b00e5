import { cachedCompiler } from './compile-cache.ts';
import { RE2JS } from 're2js';
import { checkPatternText, type PatternResult } from './namespace-pattern.ts';
import { MAX_BACKTRACKING_NAME_LENGTH, analyzeBacktracking } from './regex-safety.ts';
import { hasLookaround, mentionsLookaround, parseRegex, type RegexNode } from './regex-syntax.ts';
import { regexPieces, wildcardMatcher } from './wildcard.ts';

// Patterns are written for .NET (Reflector) and run with RE2 semantics, or with JavaScript `u`-flag semantics when
// they need a lookaround. Known differences we do not paper over, none of which a valid namespace name can reach:
// - `$` also matches before a final "\n" in .NET; here it matches only at the very end.
// - `\d`, `\w`, `\s` and `\b` are Unicode-aware in .NET and ASCII in RE2 and JavaScript.
// - `.` excludes only "\n" in .NET and RE2, and also "\r", U+2028 and U+2029 in JavaScript.
// - .NET-only syntax is rejected: atomic groups `(?>…)`, possessive and balancing constructs, conditionals,
//   class subtraction `[a-z-[aeiou]]`, inline options other than RE2's `(?i)`/`(?s)`/`(?m)`/`(?U)` (and none at all
//   on the lookaround path), and `\A`/`\z`/`\Z` on the lookaround path.
// - Names longer than MAX_BACKTRACKING_NAME_LENGTH never match a lookaround pattern (no namespace name is that long).

type Mode = 'reflector' | 'anchored';

/**
 * Compiles an entry of a Reflector namespace list: it matches a name only when the first (leftmost, then
 * leftmost-alternative) match in the name starts at 0 and spans the whole name, as `Regex.Match` does in Reflector.
 */
export const compileReflectorRegex: (text: string) => PatternResult = cachedCompiler((text) =>
  compile(text, 'reflector'),
);

/** Compiles a regex of our native dialect, which matches a name when the whole name matches (`^(?:text)$`). */
export const compileRegex: (text: string) => PatternResult = cachedCompiler((text) => compile(text, 'anchored'));

/**
 * Compiles a regex with RE2 (or the checked backtracking engine) always, no fast path and no cache: what the fast path
 * is tested against. `reflector` mode is compileReflectorRegex's reading, `anchored` compileRegex's.
 */
export function compileRegexByEngine(text: string, mode: 'reflector' | 'anchored'): PatternResult {
  return compile(text, mode, false);
}

function compile(text: string, mode: Mode, direct = true): PatternResult {
  try {
    const error = checkPatternText('regex', text);
    if (error !== undefined) return { ok: false, error };
    // Literals and `.*` runs: in both modes exactly a whole-name match (a greedy `.*` run reaches the name's end
    // whenever any whole match exists), where `.` is any character but '\n'.
    const pieces = direct ? regexPieces(text) : undefined;
    if (pieces !== undefined)
      return { ok: true, pattern: { kind: 'regex', text, direct: true, matches: wildcardMatcher(pieces, '\n') } };
    let re2: RE2JS;
    try {
      re2 = RE2JS.compile(text);
    } catch (err) {
      return compileBacktracking(text, mode, reasonOf(err));
    }
    return { ok: true, pattern: { kind: 'regex', text, matches: re2Matcher(re2, mode) } };
  } catch (err) {
    return { ok: false, error: `invalid regular expression '${text}': ${reasonOf(err)}` };
  }
}

function re2Matcher(re: RE2JS, mode: Mode): (name: string) => boolean {
  return (name) => {
    try {
      if (typeof name !== 'string') return false;
      if (mode === 'anchored') return re.matches(name);
      // RE2's default leftmost-first semantics agree with .NET's backtracking priority, and a first match starting
      // at 0 exists exactly when an anchored-at-start match exists.
      const m = re.matcher(name);
      return m.lookingAt() && m.end() === name.length;
    } catch {
      return false;
    }
  };
}

// The backtracking engine runs only lookaround patterns that the static analysis proves fast.
function compileBacktracking(text: string, mode: Mode, re2Reason: string): PatternResult {
  const invalid = (reason: string): PatternResult => ({
    ok: false,
    error: `invalid regular expression '${text}': ${reason}`,
  });
  if (!mentionsLookaround(text)) return invalid(re2Reason);
  const parsed = parseRegex(text);
  if (!parsed.ok) return invalid(`${parsed.error} (patterns with a lookaround use JavaScript syntax)`);
  if (!hasLookaround(parsed.node)) return invalid(re2Reason);
  const analysed: RegexNode =
    mode === 'anchored'
      ? {
          type: 'seq',
          items: [
            { type: 'group', body: parsed.node },
            { type: 'assert', kind: 'end' },
          ],
        }
      : parsed.node;
  const verdict = analyzeBacktracking(analysed);
  if (!verdict.ok) {
    return {
      ok: false,
      error: `pattern '${text}' may take ${verdict.problem} time (${verdict.reason}); ${verdict.advice}`,
    };
  }
  let re: RegExp;
  try {
    // Sticky: the engine tries position 0 only, which is all both modes need and keeps the analysed bound.
    re = new RegExp(mode === 'anchored' ? `(?:${text})$` : text, 'uy');
  } catch (err) {
    return invalid(reasonOf(err));
  }
  const matches = (name: string): boolean => {
    try {
      if (typeof name !== 'string' || name.length > MAX_BACKTRACKING_NAME_LENGTH) return false;
      re.lastIndex = 0;
      const m = re.exec(name);
      return m !== null && m[0].length === name.length;
    } catch {
      return false;
    }
  };
  return { ok: true, pattern: { kind: 'regex', text, matches } };
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^error parsing regexp: /, '').replace(/^Invalid regular expression: /, '');
}
