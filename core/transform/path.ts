/**
 * Field paths of transform rules, as KubeMirror writes them: dotted fields (`spec.replicas`), array indexes
 * (`containers[0].image`) and a quoted form for keys with dots (`data["app.properties"]`). Updates copy only the
 * containers along the path, so the source and every other mirror keep sharing the rest.
 */

/** One step of a path: a map key or an array index. */
export type PathSegment = { key: string } | { index: number };

/** The longest path a rule may name, and the largest index it may use. */
export const MAX_PATH_LENGTH = 512;
const MAX_INDEX = 99999;

/** Parses a path; returns its segments, or the reason it is malformed. */
export function parsePath(text: string): { ok: true; segments: PathSegment[] } | { ok: false; error: string } {
  if (text.length === 0) return { ok: false, error: 'the path is empty' };
  if (text.length > MAX_PATH_LENGTH)
    return { ok: false, error: `the path is longer than ${MAX_PATH_LENGTH} characters` };
  const segments: PathSegment[] = [];
  let p = 0;
  let expectName = true;
  while (p < text.length) {
    const c = text[p];
    if (c === '[') {
      const end = bracket(text, p);
      if (typeof end === 'string') return { ok: false, error: end };
      segments.push(end.segment);
      p = end.next;
      expectName = false;
      continue;
    }
    if (c === '.') {
      if (expectName) return { ok: false, error: `empty field name at character ${p + 1}` };
      expectName = true;
      p++;
      continue;
    }
    if (!expectName) return { ok: false, error: `expected '.' or '[' at character ${p + 1}` };
    let q = p;
    while (q < text.length && text[q] !== '.' && text[q] !== '[' && text[q] !== ']') q++;
    if (text[q] === ']') return { ok: false, error: `unmatched ']' at character ${q + 1}` };
    segments.push({ key: text.slice(p, q) });
    p = q;
    expectName = false;
  }
  if (expectName) return { ok: false, error: 'the path ends with a dot' };
  const proto = segments.find((s) => 'key' in s && s.key === '__proto__');
  if (proto !== undefined) return { ok: false, error: 'the key __proto__ is not allowed' };
  return { ok: true, segments };
}

function bracket(text: string, start: number): { segment: PathSegment; next: number } | string {
  const quote = text[start + 1];
  if (quote === '"' || quote === "'") {
    let key = '';
    let p = start + 2;
    for (;;) {
      const c = text[p];
      if (c === undefined) return 'unterminated quoted key';
      if (c === quote) break;
      if (c === '\\' && (text[p + 1] === quote || text[p + 1] === '\\')) {
        key += text[p + 1];
        p += 2;
      } else {
        key += c;
        p++;
      }
    }
    if (text[p + 1] !== ']') return `expected ']' after the quoted key at character ${p + 2}`;
    if (key === '') return 'a quoted key is empty';
    return { segment: { key }, next: p + 2 };
  }
  const end = text.indexOf(']', start);
  if (end < 0) return `unmatched '[' at character ${start + 1}`;
  const digits = text.slice(start + 1, end);
  if (!/^[0-9]{1,5}$/.test(digits) || Number(digits) > MAX_INDEX) {
    return `"[${digits}]" is not an array index (0 to ${MAX_INDEX}) or a quoted key`;
  }
  return { segment: { index: Number(digits) }, next: end + 1 };
}

/** Writes a path back in its canonical form, for messages. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => {
      if ('index' in s) return `[${s.index}]`;
      if (/^[A-Za-z0-9_-]+$/.test(s.key)) return i === 0 ? s.key : `.${s.key}`;
      return `[${JSON.stringify(s.key)}]`;
    })
    .join('');
}

/** A failed update of a document, with the reason. */
export class PathError extends Error {}

type Container = Record<string, unknown> | unknown[];

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the value at a path, or undefined when any step is missing. */
export function getPath(doc: unknown, segments: readonly PathSegment[]): unknown {
  let v = doc;
  for (const s of segments) {
    if ('index' in s) v = Array.isArray(v) ? v[s.index] : undefined;
    else v = isMap(v) && Object.prototype.hasOwnProperty.call(v, s.key) ? v[s.key] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/**
 * A mirror document being transformed, copy-on-write: the first change below a container copies that container
 * (shallowly) and every container above it once per mirror; later changes edit those copies in place. The source and
 * every other mirror keep sharing whatever no rule touched, and ten rules on one map copy it once, not ten times.
 */
export class Draft {
  /** The document; its containers are the source's own until a change copies them. */
  readonly root: Record<string, unknown>;
  // Containers this draft made: only these may be edited in place. A handful per mirror, so a list.
  private readonly owned: object[];

  constructor(base: Readonly<Record<string, unknown>>) {
    this.root = copyMap(base);
    this.owned = [this.root];
  }

  /** Reads the value at a path, or undefined when any step is missing. */
  get(segments: readonly PathSegment[]): unknown {
    return getPath(this.root, segments);
  }

  /**
   * Replaces the value at the path with `update(old)`; maps missing on the way are created, arrays never grow, and
   * `update` returning undefined deletes the entry. When the path is unusable or `update` throws, nothing changes.
   */
  update(segments: readonly PathSegment[], update: (old: unknown) => unknown): void {
    const next = update(checkPath(this.root, segments));
    let node: Container = this.root;
    const last = segments.length - 1;
    for (let i = 0; i < last; i++) {
      const seg = segments[i] as PathSegment;
      const key = 'index' in seg ? seg.index : seg.key;
      const child: unknown = (node as Record<string | number, unknown>)[key];
      let own: Container;
      if (child === undefined || (!Array.isArray(node) && !Object.prototype.hasOwnProperty.call(node, key))) own = {};
      else if (this.owned.includes(child as object)) own = child as Container;
      else own = Array.isArray(child) ? child.slice() : copyMap(child as Record<string, unknown>);
      if (own !== child) {
        this.owned.push(own);
        (node as Record<string | number, unknown>)[key] = own;
      }
      node = own;
    }
    const seg = segments[last] as PathSegment;
    if ('index' in seg) {
      const list = node as unknown[];
      if (next === undefined) list.splice(seg.index, 1);
      else list[seg.index] = next;
    } else if (next === undefined) delete (node as Record<string, unknown>)[seg.key];
    else (node as Record<string, unknown>)[seg.key] = next;
  }
}

/**
 * Returns a shallow copy of a map, without one key when asked. Copied key by key on purpose: V8 gives a spread copy
 * ({...map}) a map of its own, so each key a rule then adds costs microseconds and garbage (a 1 → 1,000 fan-out of
 * ten rules spent a quarter of its time there); a copy built key by key shares V8's cached shapes.
 */
export function copyMap(map: Readonly<Record<string, unknown>>, without?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) if (key !== without) out[key] = map[key];
  return out;
}

// Walks a path as Draft.update will write it, throwing where it cannot (a list index out of range, a step through a
// value that is no map or list); returns the value there now. Runs before anything is copied or written.
function checkPath(root: Record<string, unknown>, segments: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as PathSegment;
    if ('index' in seg) {
      if (!Array.isArray(node)) throw new PathError(`${formatPath(segments.slice(0, i + 1))}: not an array`);
      if (seg.index >= node.length) {
        throw new PathError(`${formatPath(segments.slice(0, i + 1))}: index out of range (length ${node.length})`);
      }
      node = node[seg.index];
      continue;
    }
    if (node === undefined) continue;
    if (!isMap(node)) {
      const at = formatPath(segments.slice(0, i + 1));
      throw new PathError(`${at}: ${formatPath(segments.slice(0, i)) || 'the object'} is not a map`);
    }
    node = Object.prototype.hasOwnProperty.call(node, seg.key) ? node[seg.key] : undefined;
  }
  return node;
}
