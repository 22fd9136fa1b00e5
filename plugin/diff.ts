// `sync --dry-run`: the plan as a unified diff of each object's YAML, live against desired, Secret values masked.
import { stringify } from 'yaml';
import type { KubeObject, Plan } from '../core/index.ts';
import { applyPlanToWorld, identityOf } from '../core/index.ts';
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
      if (op.t === '=') out.push(` ${op.line}`);
      else if (op.t === '-') out.push(paint('31', `-${op.line}`));
      else out.push(paint('32', `+${op.line}`));
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

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // Longest common subsequence table, from the ends; objects are small, so O(n·m) is fine.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--)
      row[j] = a[i] === b[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: '=', line: a[i++] as string, ai: i, bi: ++j });
    else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)))
      ops.push({ t: '-', line: a[i++] as string, ai: i, bi: j });
    else ops.push({ t: '+', line: b[j++] as string, ai: i, bi: j });
  }
  return ops;
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
    let aStart = 1;
    let bStart = 1;
    // Line numbers before the hunk: count the lines of each side consumed by earlier ops.
    for (const o of ops.slice(0, start)) {
      if (o.t !== '+') aStart++;
      if (o.t !== '-') bStart++;
    }
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
