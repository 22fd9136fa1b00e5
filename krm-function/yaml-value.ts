/**
 * YAML nodes to plain values, with every alias resolved and a bound on the work: a few hundred bytes of nested aliases
 * (a "billion laughs") must be refused, not expanded, and so must aliases that loop or nest deeper than any object.
 */
import type { Document, Node } from 'yaml';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';

/** The most nodes aliases may add to a document's value, beyond the nodes written in it. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** The deepest nesting of maps and lists a value may have (aliases included); the API server's own limit is far less. */
export const MAX_DEPTH = 1000;

/** Why a document's value could not be built; the caller names the item. */
export class ValueError extends Error {}

interface Anchored {
  value: unknown;
  size: number;
  depth: number;
  done: boolean;
}

/**
 * Converts nodes of one YAML document to plain values (maps to objects, integers beyond 2^53 to BigInt), resolving
 * aliases to the latest anchor before them, as YAML defines. Nodes must be converted in document order.
 */
export class ValueReader {
  private readonly anchors = new Map<string, Anchored>();
  private written = 0;
  private total = 0;

  /** Returns the plain value of a node; throws a ValueError when it is too big, too deep or names no anchor. */
  read(node: unknown): unknown {
    return this.convert(node, 0).value;
  }

  private convert(node: unknown, depth: number): { value: unknown; depth: number } {
    if (depth > MAX_DEPTH) throw new ValueError(`it nests maps and lists more than ${MAX_DEPTH} deep`);
    if (node === null || node === undefined) return { value: null, depth };
    if (isAlias(node)) return this.alias(node.source, depth);
    // Edited nodes may hold plain keys and values (`map.set('key', …)`), which are their own value.
    if (!isNode(node)) return { value: node, depth };
    this.written += 1;
    this.total += 1;
    const start = this.total;
    const anchor = (node as { anchor?: string }).anchor;
    let entry: Anchored | undefined;
    if (anchor !== undefined) {
      entry = { value: undefined, size: 0, depth: 0, done: false };
      this.anchors.set(anchor, entry);
    }
    let result: { value: unknown; depth: number };
    if (isScalar(node)) result = { value: node.value, depth };
    else if (isMap(node)) result = this.map(node.items, depth, entry);
    else if (isSeq(node)) result = this.seq(node.items, depth, entry);
    else throw new ValueError('it holds a YAML node of an unknown type');
    if (entry !== undefined) {
      entry.value = result.value;
      entry.size = this.total - start + 1;
      entry.depth = result.depth - depth;
      entry.done = true;
    }
    return result;
  }

  private alias(name: string, depth: number): { value: unknown; depth: number } {
    const entry = this.anchors.get(name);
    if (entry === undefined) throw new ValueError(`the alias *${name} names no anchor before it`);
    if (!entry.done) throw new ValueError(`the alias *${name} refers to a map or list that contains it`);
    this.total += entry.size;
    if (this.total - this.written > MAX_ALIAS_EXPANSION) {
      throw new ValueError(`its YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes`);
    }
    const reached = depth + entry.depth;
    if (reached > MAX_DEPTH) throw new ValueError(`it nests maps and lists more than ${MAX_DEPTH} deep`);
    return { value: entry.value, depth: reached };
  }

  private seq(items: readonly unknown[], depth: number, self: Anchored | undefined): { value: unknown; depth: number } {
    const out: unknown[] = [];
    if (self !== undefined) self.value = out;
    let deepest = depth;
    for (const item of items) {
      const r = this.convert(item, depth + 1);
      out.push(r.value);
      if (r.depth > deepest) deepest = r.depth;
    }
    return { value: out, depth: deepest };
  }

  private map(items: readonly unknown[], depth: number, self: Anchored | undefined): { value: unknown; depth: number } {
    const out: Record<string, unknown> = {};
    if (self !== undefined) self.value = out;
    let deepest = depth;
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        // A merge key (`<<: *base`): the keys of each merged map that this map does not set itself.
        const r = this.convert(pair.value, depth + 1);
        if (r.depth > deepest) deepest = r.depth;
        for (const source of Array.isArray(r.value) ? r.value : [r.value]) {
          if (!isRecord(source)) throw new ValueError('a merge key (<<) must name maps');
          for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(out, k)) setKey(out, k, v);
        }
        continue;
      }
      const key = this.convert(keyNode, depth + 1).value;
      if (key !== null && typeof key === 'object') throw new ValueError('a map key is itself a map or a list');
      const r = this.convert(pair.value, depth + 1);
      if (r.depth > deepest) deepest = r.depth;
      setKey(out, key === null ? '' : String(key), r.value);
    }
    return { value: out, depth: deepest };
  }
}

/** Returns the plain value of a whole document (see ValueReader). */
export function documentValue(doc: Document): unknown {
  return new ValueReader().read(doc.contents);
}

// `__proto__` is an ordinary key in YAML; assigning it would set the object's prototype instead.
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
