/**
 * A matcher for KubeMirror's namespace patterns (`*` and `?` only, anchored): a linear two-pointer scan with one
 * backtrack point, far cheaper per call than a compiled regex, which matters once per rule per mirror.
 */

/** Returns a matcher when the glob uses only literal characters, `*` and `?`; undefined otherwise. */
export function compileStarGlob(glob: string): ((name: string) => boolean) | undefined {
  if (/[[\]{}\\!]/.test(glob)) return undefined;
  return (name: string) => starMatch(glob, name);
}

function starMatch(p: string, s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || p[i] === s[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
