import { Minimatch, braceExpand, type MinimatchOptions } from 'minimatch';
import { RE2JS } from 're2js';
import { cachedCompiler } from './compile-cache.ts';
import { checkPatternText, type PatternResult } from './namespace-pattern.ts';
import { globPieces, wildcardMatcher } from './wildcard.ts';

/** The most names one glob may expand to through `{a,b}` braces. */
export const MAX_GLOB_ALTERNATIVES = 64;

// Whole-name matching only: no partial matches, no `!` negation, no `#` comments, no extglobs (which become
// backtracking regexes), no globstar (names have no `/`), and dots are ordinary characters.
const OPTIONS: MinimatchOptions = {
  partial: false,
  nonegate: true,
  nocomment: true,
  noext: true,
  noglobstar: true,
  dot: true,
  nocase: false,
  platform: 'linux',
  braceExpandMax: MAX_GLOB_ALTERNATIVES + 1,
};

// minimatch guards `.`/`..` path segments with lookaheads; namespace names are never `.` or `..`, so dropping the
// guards changes nothing for real names and lets RE2 run the rest in linear time.
const DOT_GUARDS = ['(?!(?:^|\\/)\\.\\.?(?:$|\\/))', '(?!\\.)'];

/** Compiles a glob (`team-*`, `env-?`, `[ab]-*`, `{dev,prod}-*`) that must match a whole namespace name. */
export const compileGlob: (text: string) => PatternResult = cachedCompiler((text) => compileGlobText(text));

/** Compiles a glob with minimatch and RE2 always (no fast path, no cache): what the fast path is tested against. */
export function compileGlobByEngine(text: string): PatternResult {
  return compileGlobText(text, false);
}

function compileGlobText(text: string, direct = true): PatternResult {
  try {
    const error = checkPatternText('glob', text);
    if (error !== undefined) return { ok: false, error };
    if (text.includes('/')) return invalid(text, "a glob matches a single namespace name and cannot contain '/'");
    const pieces = direct ? globPieces(text) : undefined;
    if (pieces !== undefined) {
      // minimatch makes a glob of stars alone match one character at least (`[^/]+?`).
      const minLength = pieces.every((p) => p === '') ? 1 : 0;
      return {
        ok: true,
        pattern: { kind: 'glob', text, direct: true, matches: wildcardMatcher(pieces, '/', minLength) },
      };
    }
    if (braceExpand(text, OPTIONS).length > MAX_GLOB_ALTERNATIVES) {
      return invalid(text, `its braces expand to more than ${MAX_GLOB_ALTERNATIVES} alternatives`);
    }
    const mm = new Minimatch(text, OPTIONS);
    const re = mm.makeRe();
    if (re === false) return invalid(text, 'it matches no name');
    let source = re.source;
    for (const guard of DOT_GUARDS) source = source.split(guard).join('');
    // minimatch's `*` and `?` translations are lazy, which RE2 supports; matching stays linear in the name.
    const re2 = RE2JS.compile(source);
    const matches = (name: string): boolean => {
      try {
        return typeof name === 'string' && re2.matches(name);
      } catch {
        return false;
      }
    };
    return { ok: true, pattern: { kind: 'glob', text, matches } };
  } catch (err) {
    return invalid(text, err instanceof Error ? err.message : String(err));
  }
}

function invalid(text: string, reason: string): PatternResult {
  return { ok: false, error: `invalid glob '${text}': ${reason}` };
}
