// Server-side apply's field ownership, kept small for the memory cluster: which manager owns which field, who
// conflicts with whom, and which fields an apply removes. Granularity: one key of a label, annotation or content map
// (data, binaryData, stringData); any other top-level or metadata field is owned whole.
import type { KubeObject } from '../../core/index.ts';
import { KEYED_CONTENT_FIELDS } from '../../core/index.ts';

/** Field paths ("data/k", "metadata.labels/app", "spec") owned by each manager ("name:Apply" or "name:Update"). */
export type Owners = Map<string, Set<string>>;

/** A field another manager owns with another value than the one applied: a 409 unless the apply forces. */
export interface FieldConflict {
  manager: string;
  field: string;
}

const MAPS = new Set(KEYED_CONTENT_FIELDS);
const META_MAPS = new Set(['labels', 'annotations']);
/** Fields the server owns: never part of any manager's set. */
const SERVER_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
]);
const SERVER_TOP = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Returns the fields an object sets, each with its value. */
export function fieldsOf(obj: KubeObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const add = (prefix: string, value: unknown, asMap: boolean) => {
    if (asMap && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) out.set(`${prefix}/${k}`, v);
    } else if (value !== undefined) out.set(prefix, value);
  };
  for (const [key, value] of Object.entries(obj.metadata ?? {}))
    if (!SERVER_META.has(key)) add(`metadata.${key}`, value, META_MAPS.has(key));
  for (const [key, value] of Object.entries(obj)) if (!SERVER_TOP.has(key)) add(key, value, MAPS.has(key));
  return out;
}

/**
 * Applies `applied` as `manager` over `live` (undefined: nothing there yet) and returns the object and its owners
 * after, or the conflicts that refuse it. Fields the manager applied before and no longer applies are removed unless
 * another manager still owns them; fields of other managers stay.
 */
export function serverSideApply(
  live: { object: KubeObject; owners: Owners } | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
): { object: KubeObject; owners: Owners } | { conflicts: FieldConflict[] } {
  const self = `${manager}:Apply`;
  const owners: Owners = new Map([...(live?.owners ?? [])].map(([m, f]) => [m, new Set(f)]));
  const want = fieldsOf(applied);
  const have = live === undefined ? new Map<string, unknown>() : fieldsOf(live.object);
  const conflicts: FieldConflict[] = [];
  for (const [field, value] of want) {
    if (!have.has(field) || same(have.get(field), value)) continue;
    for (const [m, fields] of owners) {
      if (m === self || !fields.has(field)) continue;
      const other = m.slice(0, m.lastIndexOf(':'));
      // A manager's own earlier non-apply writes never conflict with its apply (kept lenient on purpose).
      if (force || other === manager) fields.delete(field);
      else conflicts.push({ manager: other, field });
    }
  }
  if (conflicts.length > 0) return { conflicts };
  const next = new Map(have);
  for (const field of owners.get(self) ?? []) {
    const kept = [...owners].some(([m, f]) => m !== self && f.has(field));
    if (!want.has(field) && !kept) next.delete(field);
  }
  for (const [field, value] of want) next.set(field, value);
  owners.set(self, new Set(want.keys()));
  return { object: build(live?.object ?? applied, next), owners: prune(owners) };
}

/**
 * Returns the owners after `manager` created (`before` undefined) or wrote the object with a non-apply verb (POST, PUT,
 * patch): it owns every field it set or changed, under its Update entry, and takes them from their other owners;
 * fields it left as they were keep their owners, and a field it removed is nobody's.
 */
export function updatedBy(
  before: { object: KubeObject; owners: Owners } | undefined,
  obj: KubeObject,
  manager: string,
): Owners {
  const self = `${manager}:Update`;
  const fields = fieldsOf(obj);
  const had = before === undefined ? new Map<string, unknown>() : fieldsOf(before.object);
  const changed = [...fields].filter(([f, v]) => !had.has(f) || !same(had.get(f), v)).map(([f]) => f);
  const owners: Owners = new Map(
    [...(before?.owners ?? [])].map(([m, f]) => [m, new Set([...f].filter((x) => fields.has(x)))]),
  );
  for (const f of owners.values()) for (const field of changed) f.delete(field);
  owners.set(self, new Set([...(owners.get(self) ?? []), ...changed]));
  return prune(owners);
}

/**
 * Returns the managedFields the API server would show for these owners: one entry per manager and operation, its
 * fields in the FieldsV1 form ("f:metadata" → "f:labels" → "f:app"), sorted by manager for a stable answer.
 */
export function managedFieldsOf(owners: Owners, apiVersion: string): Record<string, unknown>[] {
  return [...owners]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, fields]) => {
      const at = id.lastIndexOf(':');
      const tree: Record<string, Record<string, unknown>> = {};
      for (const field of fields) {
        const meta = field.startsWith('metadata.');
        const [head = '', key] = (meta ? field.slice('metadata.'.length) : field).split(/\/(.*)/s);
        const into = meta ? ((tree['f:metadata'] ??= {}) as Record<string, Record<string, unknown>>) : tree;
        const node = (into[`f:${head}`] ??= {});
        if (key !== undefined) Object.assign(node, { '.': {}, [`f:${key}`]: {} });
      }
      return {
        manager: id.slice(0, at),
        operation: id.slice(at + 1),
        apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: tree,
      };
    });
}

/** Rebuilds an object from its server fields (kept from `base`) and a set of owned fields. */
function build(base: KubeObject, fields: ReadonlyMap<string, unknown>): KubeObject {
  const metadata: Record<string, unknown> = {};
  for (const key of SERVER_META) if (base.metadata[key] !== undefined) metadata[key] = base.metadata[key];
  const out: Record<string, unknown> = { apiVersion: base.apiVersion, kind: base.kind, metadata };
  if (base.status !== undefined) out.status = base.status;
  for (const [path, value] of fields) {
    const meta = path.startsWith('metadata.');
    const [head = '', key] = (meta ? path.slice('metadata.'.length) : path).split(/\/(.*)/s);
    const into = meta ? metadata : out;
    if (key === undefined) into[head] = value;
    else ((into[head] ??= {}) as Record<string, unknown>)[key] = value;
  }
  return out as unknown as KubeObject;
}

function prune(owners: Owners): Owners {
  for (const [m, f] of owners) if (f.size === 0) owners.delete(m);
  return owners;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
