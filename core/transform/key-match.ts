import { minimatch } from 'minimatch';

const MATCH_OPTIONS = { nocomment: true, nonegate: true, noext: true, dot: true } as const;

/** Returns true when a label or annotation key matches a key pattern of the never-copied list (exact or glob). */
export function matchesKeyPattern(key: string, pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?') ? minimatch(key, pattern, MATCH_OPTIONS) : pattern === key;
}
