/** An inclusive range of Unicode code points. */
export type CodePointRange = readonly [number, number];

/** A set of code points as sorted, disjoint, non-adjacent inclusive ranges. */
export type CharSet = readonly CodePointRange[];

/** The largest Unicode code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** The set of every code point. */
export const ALL_CHARS: CharSet = [[0, MAX_CODE_POINT]];

/** The empty set of code points. */
export const NO_CHARS: CharSet = [];

/** Builds a set from ranges given in any order, merging overlaps. */
export function charSetOf(ranges: readonly CodePointRange[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The union of two sets. */
export function unionCharSets(a: CharSet, b: CharSet): CharSet {
  return charSetOf([...a, ...b]);
}

/** The complement of a set within all code points. */
export function complementCharSet(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Whether two sets share a code point. */
export function charSetsIntersect(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as CodePointRange;
    const y = b[j] as CodePointRange;
    if (x[1] < y[0]) i++;
    else if (y[1] < x[0]) j++;
    else return true;
  }
  return false;
}
