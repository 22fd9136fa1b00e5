/**
 * The function itself, pure: a package's items and the function config in; the items with every mirror expanded,
 * and the planner's findings as results, out. Input nodes are never mutated; edited items are edited copies.
 */
import type { KubeObject, Plan, PlannedApply, PlannedRelease, PlanOptions } from '../core/index.ts';
import { identityOf, Labels, planReflection } from '../core/index.ts';
import { NAMESPACE_LIST_FIELDS, readFunctionConfig, SWITCH_FIELDS } from './function-config.ts';
import type { FunctionConfig } from './function-config.ts';
import { editedNode, releasedNode } from './item-edit.ts';
import { describeItem, GeneratedItem, NodeItem } from './items.ts';
import { fileAnnotations } from './kpt-annotations.ts';
import type { Item, KrmResult, NewItem } from './krm-types.ts';
import { mirrorPath } from './mirror-path.ts';
import { PathIndexes } from './path-indexes.ts';
import { packageWorld } from './package-world.ts';
import type { PackageWorld } from './package-world.ts';
import { configResult, findingResult, itemProblemResult, sharedAnchorResult } from './results.ts';
import { ValueReader } from './yaml-value.ts';

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
  const plan = planReflection(pkg.world, planOptions(config));
  const { items, byIdentity, refused } = foldPlan(request, pkg, plan, config);
  const results = [
    ...pkg.problems.map((p) => itemProblemResult(request.items[p.index]!, p.message, p.annotation)),
    ...refused.map((item) => sharedAnchorResult(item, describeItem(item.where, item.node))),
    ...plan.findings.map((f) => findingResult(f, byIdentity.get(identityOf(f.object)))),
  ];
  return { items, results, failed: results.some((r) => r.severity === 'error') };
}

/** The planner's options from the function config; reflect-fn never adopts Reflector's mirrors (a package's objects
 * are the user's, not ours to take over). */
export function planOptions(config: FunctionConfig): PlanOptions {
  const options: PlanOptions = { adoptReflectorMirrors: false };
  if (config.maxTargets !== undefined) options.maxTargets = config.maxTargets;
  for (const field of NAMESPACE_LIST_FIELDS) {
    const names = config[field];
    if (names !== undefined) options[field] = names;
  }
  for (const field of SWITCH_FIELDS) if (config[field] === true) options[field] = true;
  return options;
}

/** The items to write, the first of them for each identity a finding names (so its result can name the file), and
 * the items the plan would change but that share a YAML anchor with another item. */
interface Folded {
  items: Item[];
  byIdentity: Map<string, Item>;
  refused: Exclude<Item, NewItem>[];
}

/**
 * Removes the mirrors the plan deletes, edits the items it applies in place (and the sources it releases from a peer's
 * finalizer, as a package exported from a cluster may carry one), and appends the new mirrors.
 */
function foldPlan(request: ReflectRequest, pkg: PackageWorld, plan: Plan, config: FunctionConfig): Folded {
  const applies = new Map<string, PlannedApply>();
  for (const a of plan.apply) applies.set(identityOf(a.object), a);
  const deletes = new Set(plan.delete.map((d) => identityOf(d.object)).filter((id) => !applies.has(id)));
  const releases = new Map<string, PlannedRelease[]>();
  for (const r of plan.release) releases.set(identityOf(r.object), [...(releases.get(identityOf(r.object)) ?? []), r]);
  const touched = new Set<string>([...applies.keys(), ...deletes, ...releases.keys()]);
  const out: Item[] = [];
  // Only the items results name are looked up: a map of every item of a big package cost more than the rest here.
  const named = new Set(plan.findings.map((f) => identityOf(f.object)));
  const byIdentity = new Map<string, Item>();
  const keep = (id: string | undefined, item: Item) => {
    out.push(item);
    if (id !== undefined && named.has(id) && !byIdentity.has(id)) byIdentity.set(id, item);
  };
  const placed = new Set<string>();
  const refused: Folded['refused'] = [];
  const { items } = request;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const id = pkg.ids[i];
    // Most items of a big package are neither changed nor named by a result: kept with no more lookups.
    if (id === undefined || (!touched.has(id) && !named.has(id))) {
      out.push(item);
      continue;
    }
    const apply = id === undefined ? undefined : applies.get(id);
    const released = id === undefined ? undefined : releases.get(id);
    const changes = id !== undefined && (deletes.has(id) || apply !== undefined || released !== undefined);
    if (changes && item.kind !== 'new' && item.sharesAnchors) {
      // Rewriting it would change, or break, the other item that shares its anchor: left as it is, and said so.
      refused.push(item);
      if (apply !== undefined) placed.add(id);
      keep(id, item);
      continue;
    }
    if (id !== undefined && deletes.has(id)) continue;
    if ((apply === undefined && released === undefined) || id === undefined || item.kind === 'new') {
      keep(id, item);
      continue;
    }
    if (apply !== undefined) placed.add(id);
    const pushed = apply?.object.metadata.labels?.[Labels.mirror] === 'true';
    const edited = apply === undefined ? item.node : editedNode(item.node, item.value, apply.object, pushed);
    const node = released === undefined ? edited : releasedNode(edited, released);
    const value = new ValueReader().read(node);
    keep(id, new NodeItem(node, value, item.where, false, item.doc, item.origin));
  }
  // Every apply is carried out: those placed above as edits of their item, the rest appended as new items (with the
  // file kpt writes each to, when the protocol has paths).
  const appended: { apply: PlannedApply; path: string | undefined }[] = [];
  for (const apply of plan.apply) {
    if (placed.has(identityOf(apply.object))) continue;
    const path = request.paths ? mirrorPath(config.mirrorPath, apply.object, apply.source) : undefined;
    appended.push({ apply, path });
  }
  const indexes = new PathIndexes(out, new Set(appended.flatMap(({ path }) => path ?? [])));
  for (const { apply, path } of appended) {
    const object = path === undefined ? apply.object : withPath(apply, path, indexes);
    keep(identityOf(object), new GeneratedItem(object));
  }
  return { items: out, byIdentity, refused };
}

/** Returns a generated mirror with the path and index annotations that tell kpt which file to write it to. */
function withPath(apply: PlannedApply, path: string, indexes: PathIndexes): KubeObject {
  const annotations = { ...apply.object.metadata.annotations, ...fileAnnotations(path, indexes.next(path)) };
  return { ...apply.object, metadata: { ...apply.object.metadata, annotations } };
}
