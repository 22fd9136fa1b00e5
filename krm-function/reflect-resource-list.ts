/**
 * The function itself, pure: a package's items and the function config in; the items with every mirror expanded,
 * and the planner's findings as results, out. Input nodes are never mutated; edited items are edited copies.
 */
import type { KubeObject, Plan, PlannedApply } from '../core/index.ts';
import { identityOf, Labels, planReflection } from '../core/index.ts';
import { readFunctionConfig } from './function-config.ts';
import type { FunctionConfig } from './function-config.ts';
import { editedNode, newNode } from './item-edit.ts';
import type { YAMLMap } from 'yaml';
import { mirrorPath } from './mirror-path.ts';
import { packageWorld } from './package-world.ts';
import type { PackageWorld } from './package-world.ts';
import type { Item, KrmResult } from './resource-list.ts';
import { configResult, fileOf, findingResult } from './results.ts';

/** What the function is given. */
export interface ReflectRequest {
  items: readonly Item[];
  functionConfig?: unknown;
  /** Set kpt's path and index annotations on generated mirrors (the KRM protocol; kustomize's plugin stream has none). */
  paths: boolean;
}

/** What the function returns: the items to write, the results, and whether an error makes it fail. */
export interface ReflectResponse {
  items: Item[];
  results: KrmResult[];
  failed: boolean;
}

/** Runs the core planner over a package and folds its plan into the package's items. */
export function reflectResourceList(request: ReflectRequest): ReflectResponse {
  const { config, problems, ref } = readFunctionConfig(request.functionConfig);
  if (problems.length > 0) {
    return { items: [...request.items], results: problems.map((p) => configResult(p, ref)), failed: true };
  }
  const pkg = packageWorld(request.items, config);
  const plan = planReflection(pkg.world, {
    adoptReflectorMirrors: false,
    ...(config.maxTargets === undefined ? {} : { maxTargets: config.maxTargets }),
  });
  const { items, byIdentity } = foldPlan(request, pkg, plan, config);
  const results = plan.findings.map((f) => findingResult(f, byIdentity.get(identityOf(f.object))));
  return { items, results, failed: results.some((r) => r.severity === 'error') };
}

/** The items to write, and the first of them for each identity (so results can name an item's file). */
interface Folded {
  items: Item[];
  byIdentity: Map<string, Item>;
}

/** Removes the mirrors the plan deletes, edits the items it applies in place, and appends the new mirrors. */
function foldPlan(request: ReflectRequest, pkg: PackageWorld, plan: Plan, config: FunctionConfig): Folded {
  const applies = new Map<string, PlannedApply>();
  for (const a of plan.apply) applies.set(identityOf(a.object), a);
  const deletes = new Set(plan.delete.map((d) => identityOf(d.object)).filter((id) => !applies.has(id)));
  const out: Item[] = [];
  const byIdentity = new Map<string, Item>();
  const keep = (id: string | undefined, item: Item) => {
    out.push(item);
    if (id !== undefined && !byIdentity.has(id)) byIdentity.set(id, item);
  };
  const placed = new Set<string>();
  for (const [i, item] of request.items.entries()) {
    const obj = pkg.objects[i];
    const id = obj === undefined ? undefined : identityOf(obj);
    if (id !== undefined && deletes.has(id)) continue;
    const apply = id === undefined ? undefined : applies.get(id);
    if (apply === undefined || id === undefined) {
      keep(id, item);
      continue;
    }
    placed.add(id);
    const pushed = apply.object.metadata.labels?.[Labels.mirror] === 'true';
    const node = editedNode(item.node, item.value, apply.object, pushed);
    const edited: Item = { node, value: node.toJSON(), ...(item.doc === undefined ? {} : { doc: item.doc }) };
    keep(id, item.origin === undefined ? edited : { ...edited, origin: item.origin });
  }
  const indexes = new PathIndexes(out);
  for (const apply of plan.apply) {
    if (placed.has(identityOf(apply.object))) continue;
    const object = request.paths ? withPath(apply, config, indexes) : apply.object;
    keep(identityOf(object), new NewItem(object));
  }
  return { items: out, byIdentity };
}

/** A generated mirror; its YAML node is only made if a writer asks for one (the text writer writes values). */
class NewItem implements Item {
  constructor(readonly value: KubeObject) {}

  get node(): YAMLMap {
    return newNode(this.value) as YAMLMap;
  }
}

/** Returns a generated mirror with the path and index annotations that tell kpt which file to write it to. */
function withPath(apply: PlannedApply, config: FunctionConfig, indexes: PathIndexes): KubeObject {
  const path = mirrorPath(config.mirrorPath, apply.object, apply.source);
  const index = String(indexes.next(path));
  const annotations = {
    ...apply.object.metadata.annotations,
    'config.kubernetes.io/index': index,
    'config.kubernetes.io/path': path,
    'internal.config.kubernetes.io/index': index,
    'internal.config.kubernetes.io/path': path,
  };
  return { ...apply.object, metadata: { ...apply.object.metadata, annotations } };
}

/** The next free document index of each file of the package, so mirrors sharing a file never share an index. */
class PathIndexes {
  private readonly nextByPath = new Map<string, number>();

  constructor(items: readonly Item[]) {
    for (const item of items) {
      const file = fileOf(item);
      if (file !== undefined)
        this.nextByPath.set(file.path, Math.max(this.nextByPath.get(file.path) ?? 0, (file.index ?? 0) + 1));
    }
  }

  next(path: string): number {
    const n = this.nextByPath.get(path) ?? 0;
    this.nextByPath.set(path, n + 1);
    return n;
  }
}
