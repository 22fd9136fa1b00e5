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
 * Returns a copy of the document with the value at the path replaced by `update(old)`; maps missing on the way are
 * created, arrays never grow. `update` returning undefined deletes the entry. The input is never modified.
 */
export function updatePath(
  doc: Record<string, unknown>,
  segments: readonly PathSegment[],
  update: (old: unknown) => unknown,
): Record<string, unknown> {
  return step(doc, segments, 0, update) as Record<string, unknown>;
}

function step(node: unknown, segments: readonly PathSegment[], i: number, update: (old: unknown) => unknown): unknown {
  const seg = segments[i] as PathSegment;
  const last = i === segments.length - 1;
  const at = () => formatPath(segments.slice(0, i + 1));
  if ('index' in seg) {
    if (!Array.isArray(node)) throw new PathError(`${at()}: not an array`);
    if (seg.index >= node.length) throw new PathError(`${at()}: index out of range (length ${node.length})`);
    const next = last ? update(node[seg.index]) : step(node[seg.index], segments, i + 1, update);
    const copy = [...node];
    if (next === undefined) copy.splice(seg.index, 1);
    else copy[seg.index] = next;
    return copy;
  }
  const map: Record<string, unknown> = node === undefined ? {} : (node as Record<string, unknown>);
  if (!isMap(map)) throw new PathError(`${at()}: ${formatPath(segments.slice(0, i)) || 'the object'} is not a map`);
  const old = Object.prototype.hasOwnProperty.call(map, seg.key) ? map[seg.key] : undefined;
  const next = last ? update(old) : step(old, segments, i + 1, update);
  const copy: Container = { ...map };
  if (next === undefined) delete copy[seg.key];
  else copy[seg.key] = next;
  return copy;
}
