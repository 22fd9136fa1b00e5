// Reads a V8 .heapsnapshot and sums self sizes by node type and by constructor, to say where a heap's bytes go.
import { readFileSync } from 'node:fs';

/** Bytes by V8 node type and the largest groups by constructor or kind, with counts. */
export interface HeapSummary {
  totalBytes: number;
  byType: Array<{ type: string; bytes: number }>;
  top: Array<{ name: string; bytes: number; count: number }>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

/** Summarises a heap snapshot file (the heap is read whole: give the reader a large enough old space). */
export function summarizeHeapSnapshot(file: string, topN = 20): HeapSummary {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const byType = new Map<string, number>();
  const byName = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]!] ?? '?';
    const bytes = s.nodes[i + iSize]!;
    total += bytes;
    byType.set(type, (byType.get(type) ?? 0) + bytes);
    // Strings and code are grouped by kind (their "name" is their content); objects by constructor.
    const raw = s.strings[s.nodes[i + iName]!] ?? '';
    const name = STRING_TYPES.has(type)
      ? '(strings)'
      : type === 'code'
        ? '(code: bytecode, functions)'
        : `${type}: ${raw.slice(0, 50)}`;
    const g = byName.get(name) ?? { bytes: 0, count: 0 };
    g.bytes += bytes;
    g.count++;
    byName.set(name, g);
  }
  return {
    totalBytes: total,
    byType: [...byType].map(([type, bytes]) => ({ type, bytes })).sort((a, b) => b.bytes - a.bytes),
    top: [...byName]
      .map(([name, g]) => ({ name, ...g }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, topN),
  };
}
