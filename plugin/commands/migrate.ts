// `kubectl reflect migrate [--from D] [-n NS | -A] [-f FILE…] [--dry-run]`: moves annotations to the native dialect.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Document } from 'yaml';
import type {
  KubeObject,
  MigrateFrom,
  MigrateOptions,
  MigrationResult,
  NamespaceInfo,
  World,
} from '../../core/index.ts';
import { identityOf, keyOf, migrateObject } from '../../core/index.ts';
import { parseDocuments, WRITE_OPTIONS } from '../../krm-function/index.ts';
import { objectYaml, unifiedDiff } from '../diff.ts';
import type { Io } from '../io.ts';
import { useColor } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { planOptionsOf } from '../options.ts';
import { limitWarning } from '../read-world.ts';
import { yamlFiles } from './render.ts';

/** What migrate was asked to do. */
export interface MigrateArgs {
  from?: MigrateFrom;
  files: readonly string[];
  dryRun: boolean;
}

/** Counts of one run, for the summary line and the exit code. */
interface Tally {
  migrated: number;
  refused: number;
  failed: number;
}

/** Runs migrate in the cluster, or over manifest files with -f; exit code 1 when an object was refused or failed. */
export async function runMigrate(io: Io, options: GlobalOptions, args: MigrateArgs): Promise<number> {
  const tally: Tally = { migrated: 0, refused: 0, failed: 0 };
  if (args.files.length > 0) migrateFiles(io, options, args, tally);
  else await migrateCluster(io, options, args, tally);
  const verb = args.dryRun ? 'would be migrated' : 'migrated';
  io.stdout.write(
    `${tally.migrated} ${verb}, ${tally.refused} refused${tally.failed ? `, ${tally.failed} failed` : ''}\n`,
  );
  return tally.refused + tally.failed > 0 ? 1 : 0;
}

/** Plans as the controller does (its policy flags, --allow-all, --ignore-unknown), moving the dialect asked for. */
function migrateOptions(options: GlobalOptions, args: MigrateArgs): MigrateOptions {
  return { ...planOptionsOf(options), ...(args.from === undefined ? {} : { from: args.from }) };
}

function report(io: Io, result: MigrationResult, tally: Tally): void {
  const what = `${result.object.kind} ${keyOf(result.object)}`;
  if (result.status === 'refused') {
    tally.refused++;
    io.stderr.write(`refused ${what} (${result.dialect}): ${result.reason}\n`);
  }
}

// Only metadata changes, so the diff shows labels and annotations and never a Secret's data.
function metadataYaml(obj: KubeObject): string {
  const { name, namespace, labels, annotations } = obj.metadata;
  return objectYaml({
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
  });
}

async function migrateCluster(io: Io, options: GlobalOptions, args: MigrateArgs, tally: Tally): Promise<void> {
  const session = await io.openSession(options);
  try {
    const world = await session.readWorld();
    io.stderr.write(limitWarning(world));
    const inScope = (o: KubeObject) => options.allNamespaces || o.metadata.namespace === session.namespace;
    const color = useColor(io, io.stdout);
    for (const obj of world.objects.filter(inScope).sort((a, b) => (identityOf(a) < identityOf(b) ? -1 : 1))) {
      const result = migrateObject(obj, world, migrateOptions(options, args));
      report(io, result, tally);
      if (result.status !== 'migrated') continue;
      const name = `${obj.kind} ${keyOf(obj)}`;
      io.stdout.write(unifiedDiff(metadataYaml(obj), metadataYaml(result.after), name, name, color));
      if (args.dryRun) {
        tally.migrated++;
        continue;
      }
      try {
        await session.client.jsonPatch(
          session.typeOf(obj),
          obj.metadata.namespace,
          obj.metadata.name,
          patchOf(obj, result),
        );
        tally.migrated++;
      } catch (err) {
        tally.failed++;
        io.stderr.write(`error: ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    session.close();
  }
}

/** One JSON patch per object, conditional on the resourceVersion that was planned with. */
export function patchOf(obj: KubeObject, result: Extract<MigrationResult, { status: 'migrated' }>): object[] {
  const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  const ops: object[] = [];
  if (obj.metadata.resourceVersion !== undefined)
    ops.push({ op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion });
  for (const k of result.edit.removeLabels) ops.push({ op: 'remove', path: `/metadata/labels/${escape(k)}` });
  for (const k of result.edit.removeAnnotations) ops.push({ op: 'remove', path: `/metadata/annotations/${escape(k)}` });
  const remaining = Object.keys(obj.metadata.annotations ?? {}).filter(
    (k) => !result.edit.removeAnnotations.includes(k),
  );
  if (obj.metadata.annotations === undefined || (remaining.length === 0 && result.edit.removeAnnotations.length === 0))
    ops.push({ op: 'add', path: '/metadata/annotations', value: result.edit.set });
  else
    for (const [k, v] of Object.entries(result.edit.set))
      ops.push({ op: 'add', path: `/metadata/annotations/${escape(k)}`, value: v });
  return ops;
}

interface FileDoc {
  file: string;
  doc: Document;
  obj: KubeObject;
}

function migrateFiles(io: Io, options: GlobalOptions, args: MigrateArgs, tally: Tally): void {
  const files = args.files.flatMap((f) => (statSync(f).isDirectory() ? yamlFiles(f) : [f]));
  const texts = new Map<string, string>();
  const docs: FileDoc[] = [];
  const namespaces = new Map<string, NamespaceInfo>();
  const fallbackNs = options.namespace ?? 'default';
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    texts.set(file, text);
    // The function's parser: a repeated key is an error there too, found in one pass (the yaml package's own check
    // compares each key with every earlier one, which a file of many keys turns into minutes).
    for (const doc of parseDocuments(text, file)) {
      const value = doc.toJS() as KubeObject | null;
      if (value === null || typeof value !== 'object' || typeof value.kind !== 'string' || !value.metadata) continue;
      if (value.kind === 'Namespace' && value.apiVersion === 'v1') {
        namespaces.set(value.metadata.name, { name: value.metadata.name, labels: value.metadata.labels ?? {} });
        continue;
      }
      const obj: KubeObject = {
        ...value,
        metadata: { ...value.metadata, namespace: value.metadata.namespace ?? fallbackNs },
      };
      docs.push({ file, doc, obj });
      if (!namespaces.has(obj.metadata.namespace!))
        namespaces.set(obj.metadata.namespace!, { name: obj.metadata.namespace!, labels: {} });
    }
  }
  const world: World = { namespaces: [...namespaces.values()], objects: docs.map((d) => d.obj) };
  const changed = new Set<string>();
  const edited = new Set<Document>();
  for (const { file, doc, obj } of docs) {
    const result = migrateObject(obj, world, migrateOptions(options, args));
    report(io, result, tally);
    if (result.status !== 'migrated') continue;
    tally.migrated++;
    changed.add(file);
    edited.add(doc);
    for (const k of result.edit.removeLabels) doc.deleteIn(['metadata', 'labels', k]);
    if (result.edit.removeLabels.length > 0 && Object.keys(result.after.metadata.labels ?? {}).length === 0)
      doc.deleteIn(['metadata', 'labels']);
    for (const k of result.edit.removeAnnotations) doc.deleteIn(['metadata', 'annotations', k]);
    for (const [k, v] of Object.entries(result.edit.set)) doc.setIn(['metadata', 'annotations', k], v);
  }
  const color = useColor(io, io.stdout);
  for (const file of files) {
    if (!changed.has(file)) continue;
    const fileDocs = docs.filter((d) => d.file === file && edited.has(d.doc)).map((d) => d.doc);
    const before = texts.get(file)!;
    const after = rewrite(before, fileDocs);
    io.stdout.write(unifiedDiff(before, after, file, file, color));
    if (!args.dryRun) writeFileSync(file, after);
  }
}

// Only the edited documents are written again (the yaml library keeps their comments and layout); every other byte of
// the file stays exactly as it was.
function rewrite(text: string, edited: Document[]): string {
  let out = text;
  for (const doc of [...edited].sort((a, b) => (b.range?.[0] ?? 0) - (a.range?.[0] ?? 0))) {
    const [docStart, , end] = doc.range ?? [0, 0, text.length];
    // Comment lines just before a document belong to it when written again; take them into the replaced span.
    const before = text.slice(0, docStart);
    const lead = /(?:^|\n)((?:[ \t]*(?:#[^\n]*)?\n)*)$/.exec(before);
    const start = docStart - (lead?.[1]?.length ?? 0);
    let body = doc.toString(WRITE_OPTIONS);
    if (body.startsWith('---') && !text.slice(start).startsWith('---')) body = body.replace(/^---[^\n]*\n/, '');
    const original = text.slice(start, end);
    if (!original.endsWith('\n')) body = body.replace(/\n$/, '');
    out = out.slice(0, start) + body + out.slice(end);
  }
  return out;
}
