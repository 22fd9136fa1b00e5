// Every reconcile parses its source's annotations again; compiling the same pattern text each time cost the
// controller most of a focused reconcile's CPU. A compiled pattern is immutable, so the same text can share one.
import type { PatternResult } from './namespace-pattern.ts';

/** How many compiled patterns each cache keeps; older ones are compiled again when next used. */
export const PATTERN_CACHE_SIZE = 512;

/** Wraps a pattern compiler so equal texts share one result, keeping the most recently used PATTERN_CACHE_SIZE. */
export function cachedCompiler(compile: (text: string) => PatternResult): (text: string) => PatternResult {
  const cache = new Map<string, PatternResult>();
  return (text: string) => {
    let result = cache.get(text);
    if (result !== undefined) {
      // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
      cache.delete(text);
      cache.set(text, result);
      return result;
    }
    result = compile(text);
    cache.set(text, result);
    if (cache.size > PATTERN_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return result;
  };
}
