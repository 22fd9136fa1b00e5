/**
 * The shared scenario catalogue: each YAML file is a world in (namespaces and objects) and the mirrors and findings
 * expected out. Every surface (core, KRM function, controller, plugin sync) runs the same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Finding, KubeObject, NamespaceInfo } from '../../core/index.ts';
import { canonicalJson, contentOf, groupKindOf, Labels } from '../../core/index.ts';

/** A reference to an object in a scenario: "Kind namespace/name" parts. */
export interface ScenarioRef {
  kind: string;
  apiVersion?: string;
  namespace: string;
  name: string;
}

/** An expected mirror: where it is, which object's content it carries, and metadata it must have. */
export interface ExpectedMirror extends ScenarioRef {
  /** "namespace/name" of the object whose content the mirror must carry. */
  from: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Label or annotation keys that must be absent. */
  absentKeys?: string[];
  /**
   * For transformed mirrors: the exact data the mirror must carry instead of its source's (a Secret's decoded), or
   * the exact content (every field but apiVersion, kind, metadata and status) for other kinds.
   */
  data?: Record<string, string>;
  content?: Record<string, unknown>;
}

/** An expected finding: the reason, and the "namespace/name" of the object it is about. */
export interface ExpectedFinding {
  reason: Finding['reason'];
  object: string;
  annotation?: string;
}

/** What a scenario expects out. */
export interface ScenarioExpectations {
  mirrors: ExpectedMirror[];
  absent: ScenarioRef[];
  untouched: ScenarioRef[];
  /** Objects whose data must have been cleared. */
  emptied: ScenarioRef[];
  /** Objects that must still exist without a finalizer a stopped peer left on them (KubeMirror's on its sources). */
  released: (ScenarioRef & { finalizer: string })[];
  findings: ExpectedFinding[];
}

/** Planner options a scenario runs with; each surface maps them to its flags (controller, plugin) or config (krm). */
export interface ScenarioOptions {
  excludeNamespaces?: string[];
  /** PlanOptions.adoptReflectorMirrors (default true). */
  adopt?: boolean;
  pushSourceNamespaces?: string[];
  accessKindSourceNamespaces?: string[];
  maxTargets?: number;
  /** The peers' --allow-all (PlanOptions.allowAll): k8s-replicator and mittwald pulls need no allow annotation. */
  allowAll?: boolean;
  /** k8s-replicator's --ignore-unknown (PlanOptions.ignoreUnknown). */
  ignoreUnknown?: boolean;
}

/**
 * A scenario's options as the controller's settings (ControllerConfig's fields of the same names; the controller
 * always adopts, so `adopt` has none): the unit runner and the e2e runner both start the controller with these.
 */
export function controllerSettingsOf(o: ScenarioOptions): {
  excludeNamespaces?: string[];
  pushSourceNamespaces?: string[];
  accessKindSourceNamespaces?: string[];
  maxTargets?: number;
  allowAll?: boolean;
  ignoreUnknown?: boolean;
} {
  const { adopt: _adopt, ...settings } = o;
  return settings;
}

/** The surfaces that run the catalogue, as named in a scenario's `surfaces:` block. */
export type Surface = 'core' | 'krm' | 'controller' | 'plugin';

/**
 * A surface that deliberately differs in a scenario: why (said in the file, never a hidden `if`), and its outcome;
 * or, with `unsupported: true`, a surface that cannot express the scenario's options yet and does not run it.
 */
export interface SurfaceDifference {
  why: string;
  /** Replaces the scenario's expectations of the same name for this surface. */
  expect?: Partial<ScenarioExpectations>;
  unsupported?: boolean;
}

/** One scenario of the catalogue. */
export interface Scenario {
  file: string;
  name: string;
  description: string;
  namespaces: NamespaceInfo[];
  objects: KubeObject[];
  options: ScenarioOptions;
  /** Deliberate differences by surface: `krm` (reflect-fn), `controller`, `plugin`. */
  surfaces: Partial<Record<Surface, SurfaceDifference>>;
  expect: ScenarioExpectations;
}

/** Returns the scenario as one surface must meet it: its expectations with that surface's stated differences. */
export function scenarioFor(scenario: Scenario, surface: keyof Scenario['surfaces']): Scenario {
  const differs = scenario.surfaces[surface];
  return differs === undefined ? scenario : { ...scenario, expect: { ...scenario.expect, ...differs.expect } };
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Loads the scenarios a surface runs, sorted by file name: without a surface every file; with one, every file but those
 * whose `surfaces:` block marks that surface unsupported (the file says why; see unsupportedScenarios).
 */
export function loadScenarios(surface?: Surface, dir = here): Scenario[] {
  const all = loadAllScenarios(dir);
  return surface === undefined ? all : all.filter((s) => s.surfaces[surface]?.unsupported !== true);
}

/** Returns "file: why" for each scenario a surface does not run yet. */
export function unsupportedScenarios(surface: Surface, dir = here): string[] {
  return loadAllScenarios(dir).flatMap((s) => {
    const note = s.surfaces[surface];
    return note?.unsupported === true ? [`${s.file}: ${note.why}`] : [];
  });
}

/** Loads every scenario file in test/scenarios, sorted by file name. */
export function loadAllScenarios(dir = here): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as Partial<Scenario> & {
        expect?: Partial<Scenario['expect']>;
      };
      return {
        file,
        name: doc.name ?? file,
        description: doc.description ?? '',
        namespaces: (doc.namespaces ?? []).map((n) => ({ name: n.name, labels: n.labels ?? {} })),
        objects: doc.objects ?? [],
        options: doc.options ?? {},
        surfaces: doc.surfaces ?? {},
        expect: {
          mirrors: doc.expect?.mirrors ?? [],
          absent: doc.expect?.absent ?? [],
          untouched: doc.expect?.untouched ?? [],
          emptied: doc.expect?.emptied ?? [],
          released: doc.expect?.released ?? [],
          findings: doc.expect?.findings ?? [],
        },
      };
    });
}

/** What a surface produced for a scenario: the objects after it converged, and its findings when it reports them. */
export interface ScenarioOutcome {
  objects: readonly KubeObject[];
  findings?: readonly Finding[];
}

/** Returns every way the outcome differs from the scenario's expectations (empty when it passes). */
export function checkScenario(scenario: Scenario, outcome: ScenarioOutcome): string[] {
  const problems: string[] = [];
  const find = (ref: ScenarioRef) =>
    outcome.objects.find(
      (o) => o.kind === ref.kind && (o.metadata.namespace ?? '') === ref.namespace && o.metadata.name === ref.name,
    );
  const input = (key: string, kind: string) =>
    scenario.objects.find((o) => o.kind === kind && `${o.metadata.namespace ?? ''}/${o.metadata.name}` === key);
  for (const m of scenario.expect.mirrors) {
    const obj = find(m);
    const at = `${m.kind} ${m.namespace}/${m.name}`;
    if (obj === undefined) {
      problems.push(`expected mirror ${at} is missing`);
      continue;
    }
    const source = input(m.from, m.kind);
    if (source === undefined) problems.push(`scenario error: ${m.from} is not among the objects`);
    else if (m.data !== undefined || m.content !== undefined)
      problems.push(...checkTransformed(m, obj, at, { written: source, stored: find(refOfKey(m.from, m)) ?? source }));
    else if (canonicalJson(contentOf(obj)) !== canonicalJson(contentOf(source))) {
      problems.push(
        `mirror ${at} content ${canonicalJson(contentOf(obj))} differs from ${m.from}'s ${canonicalJson(contentOf(source))}`,
      );
    }
    for (const [k, v] of Object.entries(m.labels ?? {})) {
      if (obj.metadata.labels?.[k] !== v)
        problems.push(`mirror ${at} label ${k} is ${obj.metadata.labels?.[k]}, want ${v}`);
    }
    for (const [k, v] of Object.entries(m.annotations ?? {})) {
      if (obj.metadata.annotations?.[k] !== v) {
        problems.push(`mirror ${at} annotation ${k} is ${obj.metadata.annotations?.[k]}, want ${v}`);
      }
    }
    for (const k of m.absentKeys ?? []) {
      if (obj.metadata.labels?.[k] !== undefined || obj.metadata.annotations?.[k] !== undefined) {
        problems.push(`mirror ${at} must not carry ${k}`);
      }
    }
  }
  // Every object we own must be expected, so a surface cannot create extra mirrors unnoticed.
  for (const obj of outcome.objects) {
    if (obj.metadata.labels?.[Labels.mirror] !== 'true') continue;
    const expected = [...scenario.expect.mirrors, ...scenario.expect.untouched].some(
      (m) => m.kind === obj.kind && m.namespace === obj.metadata.namespace && m.name === obj.metadata.name,
    );
    if (!expected) problems.push(`unexpected mirror ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`);
  }
  for (const ref of scenario.expect.absent) {
    if (find(ref) !== undefined) problems.push(`${ref.kind} ${ref.namespace}/${ref.name} should not exist`);
  }
  for (const ref of scenario.expect.untouched) {
    const before = scenario.objects.find(
      (o) => o.kind === ref.kind && o.metadata.namespace === ref.namespace && o.metadata.name === ref.name,
    );
    const after = find(ref);
    if (before === undefined || after === undefined) {
      problems.push(`untouched ${ref.kind} ${ref.namespace}/${ref.name} is missing`);
    } else if (!sameUserContent(before, after)) {
      problems.push(`${ref.kind} ${ref.namespace}/${ref.name} was changed`);
    }
  }
  for (const ref of scenario.expect.emptied) {
    const obj = find(ref);
    const data =
      obj === undefined
        ? undefined
        : { ...(obj.data as object | undefined), ...(obj.binaryData as object | undefined) };
    if (obj === undefined) problems.push(`emptied ${ref.kind} ${ref.namespace}/${ref.name} is missing`);
    else if (Object.values(data ?? {}).some((v) => v !== '' && v !== null)) {
      problems.push(`${ref.kind} ${ref.namespace}/${ref.name} still has data ${canonicalJson(data)}`);
    }
  }
  for (const ref of scenario.expect.released) {
    const obj = find(ref);
    const finalizers = (obj?.metadata.finalizers ?? []) as unknown[];
    if (obj === undefined) problems.push(`released ${ref.kind} ${ref.namespace}/${ref.name} is missing`);
    else if (finalizers.includes(ref.finalizer))
      problems.push(`${ref.kind} ${ref.namespace}/${ref.name} still carries the finalizer ${ref.finalizer}`);
  }
  if (outcome.findings !== undefined) problems.push(...checkFindings(scenario, outcome.findings));
  return problems;
}

/** The source of a mirror twice: as the scenario wrote it, and as the surface stored it (a real server adds defaults). */
interface SourceVersions {
  written: KubeObject;
  stored: KubeObject;
}

function refOfKey(key: string, kindOf: { kind: string }): ScenarioRef {
  const [namespace = '', name = ''] = key.split('/');
  return { kind: kindOf.kind, namespace, name };
}

// A transformed mirror carries what the scenario spells out, not its source's content.
function checkTransformed(m: ExpectedMirror, obj: KubeObject, at: string, source: SourceVersions): string[] {
  const content = contentOf(obj);
  if (m.content !== undefined) {
    const problems = compareContent(m.content, content, contentOf(source.stored), contentOf(source.written), '');
    return problems.map((p) => `mirror ${at} ${p}`);
  }
  const raw = (content.data ?? {}) as Record<string, string>;
  const data =
    obj.kind === 'Secret'
      ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new TextDecoder().decode(base64Bytes(v))]))
      : raw;
  const want = canonicalJson(m.data);
  return canonicalJson(data) === want ? [] : [`mirror ${at} data ${canonicalJson(data)}, want ${want}`];
}

/**
 * Compares a mirror's content (`got`) with the content a scenario expects (`want`), tolerating what an API server
 * adds by defaulting and nothing else: every field `want` names must match exactly and lists must be as long, while a
 * map key `want` does not name is accepted only where the source as written lacks it and the source as stored carries
 * it with the same value (a server default copied along, never the leftover of a rule that should have deleted it).
 * Returns one problem per difference, each naming its path; on an in-memory surface stored = written, so it is exact.
 */
export function compareContent(want: unknown, got: unknown, stored: unknown, written: unknown, path: string): string[] {
  const at = path === '' ? 'content' : path;
  if (isMap(want)) {
    if (!isMap(got)) return [`${at} is ${canonicalJson(got)}, want a map ${canonicalJson(want)}`];
    const problems: string[] = [];
    for (const [k, v] of Object.entries(want)) {
      const sub = pathOf(path, k);
      if (!(k in got)) problems.push(`${sub} is missing, want ${canonicalJson(v)}`);
      else problems.push(...compareContent(v, got[k], fieldOf(stored, k), fieldOf(written, k), sub));
    }
    for (const [k, v] of Object.entries(got)) {
      if (k in want) continue;
      const defaulted =
        !(isMap(written) && k in written) &&
        isMap(stored) &&
        k in stored &&
        canonicalJson(stored[k]) === canonicalJson(v);
      if (!defaulted)
        problems.push(`${pathOf(path, k)} is ${canonicalJson(v)}, which is neither expected nor a server default`);
    }
    return problems;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return [`${at} is ${canonicalJson(got)}, want a list ${canonicalJson(want)}`];
    if (got.length !== want.length)
      return [`${at} has ${got.length} items ${canonicalJson(got)}, want ${want.length}: ${canonicalJson(want)}`];
    const at2 = (i: number) => `${path}[${i}]`;
    const item = (list: unknown, i: number) => (Array.isArray(list) ? (list as unknown[])[i] : undefined);
    return want.flatMap((v, i) => compareContent(v, got[i], item(stored, i), item(written, i), at2(i)));
  }
  return canonicalJson(got) === canonicalJson(want)
    ? []
    : [`${at} is ${canonicalJson(got)}, want ${canonicalJson(want)}`];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldOf(value: unknown, key: string): unknown {
  return isMap(value) ? value[key] : undefined;
}

function pathOf(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return path === '' ? part : part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

function base64Bytes(text: string): Uint8Array {
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function checkFindings(scenario: Scenario, findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  const keyOfFinding = (f: Finding) => `${f.object.namespace}/${f.object.name}`;
  for (const e of scenario.expect.findings) {
    const hit = findings.some(
      (f) =>
        f.reason === e.reason &&
        keyOfFinding(f) === e.object &&
        (e.annotation === undefined || f.annotation === e.annotation),
    );
    if (!hit)
      problems.push(
        `expected finding ${e.reason} on ${e.object}${e.annotation ? ` (${e.annotation})` : ''} is missing`,
      );
  }
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const expected = scenario.expect.findings.some((e) => e.reason === f.reason && e.object === keyOfFinding(f));
    if (!expected) problems.push(`unexpected ${f.severity} finding ${f.reason}: ${f.message}`);
  }
  return problems;
}

// Compares what a user wrote (labels, annotations, content), ignoring server-added metadata.
function sameUserContent(a: KubeObject, b: KubeObject): boolean {
  return (
    canonicalJson(contentOf(a)) === canonicalJson(contentOf(b)) &&
    canonicalJson(a.metadata.labels ?? {}) === canonicalJson(b.metadata.labels ?? {}) &&
    canonicalJson(a.metadata.annotations ?? {}) === canonicalJson(b.metadata.annotations ?? {}) &&
    groupKindOf(a) === groupKindOf(b)
  );
}
