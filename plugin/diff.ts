// `sync --dry-run`: the plan as a unified diff of each object's YAML, live against desired, Secret values masked.
import { stringify } from 'yaml';
import type { KubeObject, Plan } from '../core/index.ts';
import { applyPlanToWorld, identityOf, printable } from '../core/index.ts';
import { maskSecretPair } from './secret-mask.ts';

/** Server-set metadata that says nothing about what we would change. */
const SERVER_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation'];

/** Returns an object's YAML without server-set metadata; empty for an absent object. */
export function objectYaml(obj: KubeObject | undefined): string {
  if (obj === undefined) return '';
  const copy = structuredClone(obj);
  for (const k of SERVER_FIELDS) delete copy.metadata[k];
  return stringify(copy, { lineWidth: 0, sortMapEntries: true });
}

/** Returns a unified diff (3 lines of context) between two texts, or '' when they are equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, color = false): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const ops = diffLines(a, b);
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const out = [paint('1', `--- ${fromName}`), paint('1', `+++ ${toName}`)];
  for (const hunk of hunks(ops, 3)) {
    out.push(paint('36', `@@ -${range(hunk.aStart, hunk.aLen)} +${range(hunk.bStart, hunk.bLen)} @@`));
    for (const op of hunk.ops) {
      // The YAML writer escapes ESC but leaves C1 controls and bidi overrides of a value as they are.
      const line = printable(op.line);
      if (op.t === '=') out.push(` ${line}`);
      else if (op.t === '-') out.push(paint('31', `-${line}`));
      else out.push(paint('32', `+${line}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** Returns the whole plan as one diff: deletes (live to nothing), applies (live to desired), then finalizer releases. */
export function planDiff(plan: Plan, live: (identity: string) => KubeObject | undefined, color = false): string {
  const parts: string[] = [];
  for (const d of plan.delete) {
    const id = identityOf(d.object);
    const label = `${d.object.kind} ${d.object.namespace}/${d.object.name}`;
    const [before] = maskSecretPair(live(id), undefined);
    parts.push(unifiedDiff(objectYaml(before), '', `${label} (live)`, `${label} (deleted: ${d.reason})`, color));
  }
  for (const a of plan.apply) {
    const id = identityOf(a.object);
    const label = `${a.object.kind} ${a.object.metadata.namespace ?? ''}/${a.object.metadata.name}`;
    const [before, after] = maskSecretPair(a.reason === 'recreate' ? undefined : live(id), a.object);
    parts.push(unifiedDiff(objectYaml(before), objectYaml(after), `${label} (live)`, `${label} (${a.reason})`, color));
  }
  for (const r of plan.release) {
    const id = identityOf(r.object);
    const label = `${r.object.kind} ${r.object.namespace}/${r.object.name}`;
    const now = live(id);
    if (now === undefined) continue;
    const after = applyPlanToWorld(
      { namespaces: [], objects: [now] },
      { apply: [], delete: [], release: [r], findings: [], mirrors: [], sources: [] },
    ).objects[0];
    const [before, released] = maskSecretPair(now, after);
    parts.push(
      unifiedDiff(
        objectYaml(before),
        objectYaml(released),
        `${label} (live)`,
        `${label} (released from ${r.finalizer})`,
        color,
      ),
    );
  }
  return parts.join('');
}

type Op = { t: '=' | '-' | '+'; line: string; ai: number; bi: number };

/**
 * The most edits the line diff looks for before it gives up on a short script and replaces the changed middle whole
 * (a valid diff, not the shortest): a search for D edits costs (n + m) · D steps and D² memory.
 */
export const MAX_DIFF_EDITS = 1000;

/**
 * Returns the edit script from a to b: the common start and end as they are, the middle by Myers' O((n + m) · D)
 * search, so a large object with a few changed lines (a 1 MiB ConfigMap is 30,000 lines) costs little.
 */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const script =
    shortestScript(midA, midB, MAX_DIFF_EDITS) ??
    ([...midA.map(() => '-'), ...midB.map(() => '+')] as ('=' | '-' | '+')[]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const push = (t: '=' | '-' | '+') => {
    if (t === '=') ops.push({ t, line: a[i++] as string, ai: i, bi: ++j });
    else if (t === '-') ops.push({ t, line: a[i++] as string, ai: i, bi: j });
    else ops.push({ t, line: b[j++] as string, ai: i, bi: j });
  };
  for (let k = 0; k < head; k++) push('=');
  for (const t of script) push(t);
  for (let k = 0; k < tail; k++) push('=');
  return ops;
}

/** Returns a shortest edit script from a to b (Myers 1986), or undefined if it needs more than maxEdits edits. */
function shortestScript(a: readonly string[], b: readonly string[], maxEdits: number): ('=' | '-' | '+')[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const off = max + 1;
  // v[k + off]: the furthest x reached on diagonal k (x - y = k); trace[d]: v's diagonals -d-1..d+1 before step d.
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number));
      let x = down ? (v[off + k + 1] as number) : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return undefined;
}

/** Walks the search's trace back from (n, m) to (0, 0); returns the script in order. */
function backtrack(trace: readonly Int32Array[], edits: number, n: number, m: number): ('=' | '-' | '+')[] {
  const script: ('=' | '-' | '+')[] = [];
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const at = (k: number) => prev[k + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      script.push('=');
      x--;
      y--;
    }
    script.push(down ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    script.push('=');
    x--;
    y--;
  }
  return script.reverse();
}

interface Hunk {
  aStart: number;
  aLen: number;
  bStart: number;
  bLen: number;
  ops: Op[];
}

function hunks(ops: readonly Op[], context: number): Hunk[] {
  const changed = ops.map((o, k) => (o.t === '=' ? -1 : k)).filter((k) => k >= 0);
  const out: Hunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] as number) - context);
    let end = Math.min(ops.length, (changed[k] as number) + context + 1);
    while (k + 1 < changed.length && (changed[k + 1] as number) - context <= end) {
      k++;
      end = Math.min(ops.length, (changed[k] as number) + context + 1);
    }
    k++;
    const slice = ops.slice(start, end);
    // Line numbers of the hunk's first op: each op knows how many lines of each side were consumed up to it.
    const first = ops[start] as Op;
    const aStart = first.ai - (first.t === '+' ? 0 : 1) + 1;
    const bStart = first.bi - (first.t === '-' ? 0 : 1) + 1;
    const aLen = slice.filter((o) => o.t !== '+').length;
    const bLen = slice.filter((o) => o.t !== '-').length;
    out.push({
      aStart: aLen === 0 ? aStart - 1 : aStart,
      aLen,
      bStart: bLen === 0 ? bStart - 1 : bStart,
      bLen,
      ops: slice,
    });
  }
  return out;
}

function range(start: number, len: number): string {
  return len === 1 ? String(start) : `${start},${len}`;
}
