import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

// Integers beyond 2^53 arrive as BigInt (reflect-fn reads YAML with every digit); JSON has no BigInt, so each is
// written as a marked string and the mark then removed, leaving the exact digits as a JSON number.
const BIGINT_MARK = '\u0000bigint:';
const BIGINT_WRITTEN = /"\\u0000bigint:(-?\d+)"/g;

/** Returns JSON with object keys sorted at every depth, so equal values always serialize equally. */
export function canonicalJson(value: unknown): string {
  let big = false;
  const text = JSON.stringify(sortDeep(value), (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    big = true;
    return `${BIGINT_MARK}${v}`;
  });
  return big ? text.replace(BIGINT_WRITTEN, '$1') : text;
}

/** Returns "sha256:<hex>" of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}

/** Returns a short hex digest of a string, fit for a label value (32 characters). */
export function shortHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, 32);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}
