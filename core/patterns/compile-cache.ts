// Every reconcile parses its source's annotations again; compiling the same pattern text each time cost the
// controller most of a focused reconcile's CPU. A compiled pattern is immutable, so the same text can share one.
import type { PatternResult } from './namespace-pattern.ts';

/** How many compiled patterns each cache keeps; older ones are compiled again when next used. */
export const PATTERN_CACHE_SIZE = 512;

/** How many (pattern, namespace name) answers are kept, for all patterns together; the lot starts over when full. */
export const MATCH_CACHE_SIZE = 8192;

// A controller decides every source's targets over every namespace on each reconcile (a new namespace: 50 sources
// times every namespace), and a glob or regex runs in re2js's interpreter; the same few patterns meet the same names
// again and again. Bounded for all patterns at once, so neither many patterns nor many namespaces can grow it.
const answers = new Map<string, boolean>();
// Each compiler's answers are its own: two compilers may read one text differently (anchored or not).
let compilers = 0;

/**
 * Wraps a pattern compiler so equal texts share one result, keeping the most recently used PATTERN_CACHE_SIZE; a glob's
 * or regex's answers are remembered (MATCH_CACHE_SIZE), as a pattern's answer for a name never changes.
 */
export function cachedCompiler(compile: (text: string) => PatternResult): (text: string) => PatternResult {
  const cache = new Map<string, PatternResult>();
  const id = compilers++;
  return (text: string) => {
    let result = cache.get(text);
    if (result !== undefined) {
      // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
      cache.delete(text);
      cache.set(text, result);
      return result;
    }
    result = remembered(compile(text), id);
    cache.set(text, result);
    if (cache.size > PATTERN_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return result;
  };
}

function remembered(result: PatternResult, compiler: number): PatternResult {
  if (!result.ok || result.pattern.kind === 'exact' || result.pattern.direct === true) return result;
  const { pattern } = result;
  const prefix = `${compiler}\u0000${pattern.text}\u0000`;
  const matches = (name: string): boolean => {
    if (typeof name !== 'string') return pattern.matches(name);
    const key = prefix + name;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = pattern.matches(name);
      if (answers.size >= MATCH_CACHE_SIZE) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
  return { ok: true, pattern: { ...pattern, matches } };
}
