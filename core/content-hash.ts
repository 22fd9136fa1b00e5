import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * Returns JSON with object keys sorted at every depth, so equal values always serialize equally. Written directly
 * rather than through a sorted copy and JSON.stringify: every mirror of a fan-out is hashed, and the copy cost more
 * than the writing. Integers beyond 2^53 arrive as BigInt (reflect-fn reads YAML with every digit) and are written
 * with every digit; undefined entries are left out of maps and written as null in lists, as JSON.stringify does.
 * Keys that are array indexes ("0", "17") come first in numeric order, as they always did: the earlier writer sorted
 * into a fresh object, which JavaScript orders so, and hashes written then must stay equal.
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i]) ?? 'null'}`;
        return `${out}]`;
      }
      const map = value as Record<string, unknown>;
      const keys = sortedKeys(map);
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = write(map[key]);
        if (v === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${v}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      // undefined, functions and symbols have no JSON form: left out, as JSON.stringify leaves them out.
      return undefined;
  }
}

/**
 * Returns canonicalJson(a) === canonicalJson(b), without writing either: every mirror a plan finds is compared with
 * its desired form, and for an in-sync fan-out the two strings cost more than the planning (status of 10,000 mirrors).
 * Strings, maps and lists are compared here; anything else (numbers, BigInt, mixed types) by its canonical JSON.
 */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return write(a) === write(b);
  const list = Array.isArray(a);
  if (list !== Array.isArray(b)) return false;
  if (list) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    // A list writes what has no JSON form as null.
    for (let i = 0; i < x.length; i++) if (!canonicalEqual(orNull(x[i]), orNull(y[i]))) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // A map leaves out what has no JSON form: only the keys written on each side count.
  let written = 0;
  for (const key of Object.keys(x)) {
    const v = x[key];
    if (!hasJson(v)) continue;
    written++;
    if (!Object.hasOwn(y, key) || !hasJson(y[key]) || !canonicalEqual(v, y[key])) return false;
  }
  for (const key of Object.keys(y)) if (hasJson(y[key])) written--;
  return written === 0;
}

function hasJson(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

function orNull(v: unknown): unknown {
  return hasJson(v) ? v : null;
}

/** Returns "sha256:<hex>" of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}

/** Returns a short hex digest of a string, fit for a label value (32 characters). */
export function shortHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, 32);
}

// Object.keys lists array-index keys first, ascending; the remaining keys are sorted by UTF-16 code units.
function sortedKeys(map: Record<string, unknown>): string[] {
  const keys = Object.keys(map);
  let indexes = 0;
  while (indexes < keys.length && isArrayIndex(keys[indexes] as string)) indexes++;
  if (indexes === 0) return keys.sort();
  return [...keys.slice(0, indexes), ...keys.slice(indexes).sort()];
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}
