/**
 * Finds the parts of a JSON ResourceList without building any value: its top-level members and the exact text of
 * each item, with what an item's text needs checked before JSON.parse may read it as YAML would (see json-items.ts).
 * Anything it is not sure of returns undefined, and the caller reads the text as YAML instead.
 */

/** A top-level member of the object: its key, and where the member and its value are in the text. */
export interface JsonMember extends JsonStats {
  key: string;
  /** Where the key's opening quote is. */
  start: number;
  valueStart: number;
  /** Just after the value. */
  end: number;
}

/** What the scan saw in one value's text. */
export interface JsonStats {
  /** Colons outside strings: one per key, so a value with fewer keys than this had a key twice. */
  colons: number;
  /** The deepest nesting of objects and arrays. */
  depth: number;
  /** A number JSON.parse may not read exactly as go-yaml does: 16 or more digits, or an exponent. */
  inexactNumber: boolean;
}

/** One element of the top-level `items` array. */
export interface JsonItemText extends JsonStats {
  start: number;
  end: number;
}

/** A JSON object's members and, when it has an `items` array, that array's elements. */
export interface JsonListText {
  members: JsonMember[];
  /** Index of the `items` member in `members`. */
  itemsMember: number;
  items: JsonItemText[];
}

const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Returns the index after the string that opens at `i`, or -1 when it never closes. */
function skipString(text: string, i: number): number {
  for (let from = i + 1; ;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

/** Returns the index after the value that starts at `i` (counting into `stats`), or -1 when the text ends first. */
function scanValue(text: string, i: number, stats: JsonStats): number {
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
      if (i < 0) return -1;
      if (depth === 0) return i;
    } else if (c === 123 || c === 91) {
      depth++;
      if (depth > stats.depth) stats.depth = depth;
      i++;
    } else if (c === 125 || c === 93) {
      if (depth === 0) return i;
      depth--;
      i++;
      if (depth === 0) return i;
    } else if (c === 58) {
      stats.colons++;
      i++;
    } else if (c === 44) {
      if (depth === 0) return i;
      i++;
    } else if (isNumberChar(c)) {
      let j = i;
      let digits = 0;
      for (; j < text.length && isNumberChar(text.charCodeAt(j)); j++) {
        const d = text.charCodeAt(j);
        if (d === 101 || d === 69) stats.inexactNumber = true;
        else if (d >= 48 && d <= 57) digits++;
      }
      if (digits > 15) stats.inexactNumber = true;
      i = j;
      if (depth === 0) return i;
    } else if (isSpace(c)) {
      if (depth === 0) return i;
      i++;
    } else {
      // true, false, null, or something JSON.parse will refuse; either way one character at a time.
      i++;
      if (depth === 0 && !/[a-z]/.test(text[i] ?? '')) return i;
    }
  }
  return depth === 0 ? i : -1;
}

/** Scans text that should be one JSON object; undefined when it is not one as far as the scan can tell. */
export function scanJsonList(text: string): JsonListText | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipSpace(text, i + 1);
  const members: JsonMember[] = [];
  const items: JsonItemText[] = [];
  let itemsMember = -1;
  const seen = new Set<string>();
  if (text.charCodeAt(i) === 125) i++;
  else {
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return undefined;
      const start = i;
      const keyEnd = skipString(text, i);
      if (keyEnd < 0) return undefined;
      let key: string;
      try {
        key = JSON.parse(text.slice(i, keyEnd)) as string;
      } catch {
        return undefined;
      }
      if (seen.has(key)) return undefined; // YAML refuses a key given twice; let the YAML reader say so
      seen.add(key);
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 58) return undefined;
      const valueStart = skipSpace(text, i + 1);
      const stats: JsonStats = { colons: 0, depth: 0, inexactNumber: false };
      if (key === 'items' && text.charCodeAt(valueStart) === 91) {
        itemsMember = members.length;
        i = scanItems(text, valueStart, items);
      } else {
        i = scanValue(text, valueStart, stats);
      }
      if (i < 0 || i === valueStart) return undefined;
      members.push({ key, start, valueStart, end: i, ...stats });
      i = skipSpace(text, i);
      const c = text.charCodeAt(i);
      if (c === 125) {
        i++;
        break;
      }
      if (c !== 44) return undefined;
      i = skipSpace(text, i + 1);
    }
  }
  if (skipSpace(text, i) !== text.length) return undefined;
  return { members, itemsMember, items };
}

/** Scans the elements of the array that opens at `i`; returns the index after it, or -1. */
function scanItems(text: string, i: number, items: JsonItemText[]): number {
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 93) return i + 1;
  for (;;) {
    const stats: JsonStats = { colons: 0, depth: 0, inexactNumber: false };
    const end = scanValue(text, i, stats);
    if (end < 0 || end === i) return -1;
    items.push({ start: i, end, ...stats });
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === 93) return i + 1;
    if (c !== 44) return -1;
    i = skipSpace(text, i + 1);
  }
}
