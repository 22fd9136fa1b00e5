/**
 * The function config of reflect-fn: our typed `ReflectConfig`, or a `ConfigMap` (what `kpt fn eval -- key=value`
 * sends). Bad config is data: each problem names the field at fault.
 */
import { isDnsLabel, MAX_TARGETS_LIMIT } from '../core/index.ts';
import { validateLabelKey, validateLabelValue } from '../core/patterns/index.ts';
import { DEFAULT_MIRROR_PATH, mirrorPathProblem } from './mirror-path.ts';

/** API group of the typed function config. */
export const CONFIG_GROUP = 'fn.kube-reflect.io';

/** apiVersion of the typed function config. */
export const CONFIG_API_VERSION = `${CONFIG_GROUP}/v1alpha1`;

/** kind of the typed function config. */
export const CONFIG_KIND = 'ReflectConfig';

/** A target namespace that lives outside the package (in the cluster), with the labels selectors see. */
export interface NamespaceEntry {
  name: string;
  labels: Record<string, string>;
}

/** The validated function config, with defaults filled in. */
export interface FunctionConfig {
  namespaces: NamespaceEntry[];
  /** The namespace of namespaced items that have no metadata.namespace. */
  defaultNamespace: string;
  /** Template of the file each generated mirror is written to. */
  mirrorPath: string;
  maxTargets?: number;
  /** Namespaces never written (the controller's --exclude-namespaces). */
  excludeNamespaces?: string[];
  /** When set, only sources in these namespaces may push (the controller's --push-source-namespaces). */
  pushSourceNamespaces?: string[];
  /** Namespaces whose access-granting objects (Roles, RoleBindings) may be mirrored; by default none. */
  accessKindSourceNamespaces?: string[];
  /** The peers' --allow-all: k8s-replicator and mittwald pulls need no allow annotation (default false). */
  allowAll?: boolean;
  /** k8s-replicator's --ignore-unknown: unknown keys under its prefix are no error (default false). */
  ignoreUnknown?: boolean;
}

/** The yes/no fields of the config, each the PlanOptions field of the same name (the controller's flags). */
export const SWITCH_FIELDS = ['allowAll', 'ignoreUnknown'] as const;

/** The namespace-list fields of the config, each the PlanOptions field of the same name. */
export const NAMESPACE_LIST_FIELDS = [
  'excludeNamespaces',
  'pushSourceNamespaces',
  'accessKindSourceNamespaces',
] as const;

/** A problem with the function config: the field at fault (e.g. `spec.namespaces[1].name`) and what is wrong. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** The config object a problem is reported on. */
export interface ConfigRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** The result of reading a function config: the config (defaults where invalid) and every problem found. */
export interface ConfigReading {
  config: FunctionConfig;
  problems: ConfigProblem[];
  ref?: ConfigRef;
}

const SPEC_FIELDS = [
  'namespaces',
  'defaultNamespace',
  'mirrorPath',
  'maxTargets',
  ...NAMESPACE_LIST_FIELDS,
  ...SWITCH_FIELDS,
];
const DATA_FIELDS = [
  'namespaces',
  'namespaceLabels',
  'defaultNamespace',
  'mirrorPath',
  'maxTargets',
  ...NAMESPACE_LIST_FIELDS,
  ...SWITCH_FIELDS,
];

/** Reads a functionConfig (absent, ReflectConfig or ConfigMap) into a validated config and its problems. */
export function readFunctionConfig(raw: unknown): ConfigReading {
  const config: FunctionConfig = { namespaces: [], defaultNamespace: 'default', mirrorPath: DEFAULT_MIRROR_PATH };
  if (raw === undefined || raw === null) return { config, problems: [] };
  const problems: ConfigProblem[] = [];
  const obj = asRecord(raw);
  const meta = asRecord(obj.metadata);
  const ref: ConfigRef = {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    name: String(meta.name ?? ''),
  };
  if (typeof meta.namespace === 'string') ref.namespace = meta.namespace;
  const reader = new Reader(config, problems);
  if (obj.kind === CONFIG_KIND && obj.apiVersion === CONFIG_API_VERSION) reader.readSpec(obj.spec);
  else if (obj.kind === 'ConfigMap' && obj.apiVersion === 'v1') reader.readData(obj.data);
  else {
    problems.push({
      field: 'kind',
      message: `functionConfig ${ref.apiVersion}/${ref.kind} is not supported; use ${CONFIG_API_VERSION} ${CONFIG_KIND} or a v1 ConfigMap`,
    });
  }
  return { config, problems, ref };
}

class Reader {
  constructor(
    private readonly config: FunctionConfig,
    private readonly problems: ConfigProblem[],
  ) {}

  private problem(field: string, message: string): void {
    this.problems.push({ field, message: `${field}: ${message}` });
  }

  readSpec(spec: unknown): void {
    if (spec === undefined || spec === null) return;
    if (!isRecord(spec)) return this.problem('spec', 'must be an object');
    for (const key of Object.keys(spec)) {
      if (!SPEC_FIELDS.includes(key))
        this.problem(`spec.${key}`, `unknown field; known fields: ${SPEC_FIELDS.join(', ')}`);
    }
    if (spec.namespaces !== undefined && spec.namespaces !== null) {
      if (!Array.isArray(spec.namespaces)) this.problem('spec.namespaces', 'must be a list of {name, labels}');
      else spec.namespaces.forEach((entry, i) => this.readNamespaceEntry(entry, `spec.namespaces[${i}]`));
    }
    this.readCommon(spec, 'spec');
  }

  private readNamespaceEntry(entry: unknown, field: string): void {
    if (typeof entry === 'string') return this.addNamespace(entry, {}, `${field}`);
    if (!isRecord(entry)) return this.problem(field, 'must be an object with name and labels');
    for (const key of Object.keys(entry)) {
      if (key !== 'name' && key !== 'labels')
        this.problem(`${field}.${key}`, 'unknown field; known fields: name, labels');
    }
    const labels: Record<string, string> = {};
    if (entry.labels !== undefined && entry.labels !== null) {
      if (!isRecord(entry.labels)) this.problem(`${field}.labels`, 'must be a map of label keys to values');
      else for (const [k, v] of Object.entries(entry.labels)) this.addLabel(labels, k, v, `${field}.labels`);
    }
    this.addNamespace(typeof entry.name === 'string' ? entry.name : '', labels, `${field}.name`);
  }

  readData(data: unknown): void {
    if (data === undefined || data === null) return;
    if (!isRecord(data)) return this.problem('data', 'must be a map');
    for (const key of Object.keys(data)) {
      if (!DATA_FIELDS.includes(key)) this.problem(`data.${key}`, `unknown key; known keys: ${DATA_FIELDS.join(', ')}`);
    }
    if (data.namespaces !== undefined) {
      for (const name of splitList(String(data.namespaces), /[,\s]+/)) this.addNamespace(name, {}, 'data.namespaces');
    }
    if (data.namespaceLabels !== undefined) this.readNamespaceLabels(String(data.namespaceLabels));
    this.readCommon(data, 'data');
  }

  // "team-a:env=prod,tier=web;team-b:env=dev"
  private readNamespaceLabels(text: string): void {
    for (const entry of splitList(text, /;/)) {
      const colon = entry.indexOf(':');
      const name = (colon < 0 ? entry : entry.slice(0, colon)).trim();
      const labels: Record<string, string> = {};
      for (const pair of splitList(colon < 0 ? '' : entry.slice(colon + 1), /,/)) {
        const eq = pair.indexOf('=');
        if (eq < 0) this.problem('data.namespaceLabels', `"${pair}" in namespace ${name} is not key=value`);
        else this.addLabel(labels, pair.slice(0, eq).trim(), pair.slice(eq + 1).trim(), 'data.namespaceLabels');
      }
      this.addNamespace(name, labels, 'data.namespaceLabels');
    }
  }

  private readCommon(source: Record<string, unknown>, prefix: string): void {
    const { defaultNamespace, mirrorPath, maxTargets } = source;
    for (const field of NAMESPACE_LIST_FIELDS) {
      const raw = source[field];
      if (raw === undefined || raw === null) continue;
      // A YAML list in a ReflectConfig, or a comma- or space-separated string (a ConfigMap's data, `-- key=a,b`).
      const entries = Array.isArray(raw) ? raw : typeof raw === 'string' ? splitList(raw, /[,\s]+/) : undefined;
      if (entries === undefined) {
        this.problem(`${prefix}.${field}`, 'must be a list of namespace names');
        continue;
      }
      const names: string[] = [];
      for (const entry of entries) {
        if (typeof entry === 'string' && isDnsLabel(entry)) names.push(entry);
        else this.problem(`${prefix}.${field}`, `"${String(entry)}" is not a valid namespace name`);
      }
      this.config[field] = names;
    }
    for (const field of SWITCH_FIELDS) {
      const raw = source[field];
      if (raw === undefined || raw === null) continue;
      // A YAML boolean in a ReflectConfig, or "true"/"false" in a ConfigMap's data (`-- allowAll=true`).
      const text = typeof raw === 'boolean' ? String(raw) : typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (text === 'true' || text === 'false') this.config[field] = text === 'true';
      else this.problem(`${prefix}.${field}`, `"${String(raw)}" is not true or false`);
    }
    if (defaultNamespace !== undefined) {
      if (typeof defaultNamespace === 'string' && isDnsLabel(defaultNamespace))
        this.config.defaultNamespace = defaultNamespace;
      else this.problem(`${prefix}.defaultNamespace`, `"${String(defaultNamespace)}" is not a valid namespace name`);
    }
    if (mirrorPath !== undefined) {
      const why = typeof mirrorPath === 'string' ? mirrorPathProblem(mirrorPath) : 'must be a string';
      if (why === undefined) this.config.mirrorPath = mirrorPath as string;
      else this.problem(`${prefix}.mirrorPath`, why);
    }
    if (maxTargets !== undefined) {
      const n =
        typeof maxTargets === 'number' ? maxTargets : /^\s*\d+\s*$/.test(String(maxTargets)) ? Number(maxTargets) : NaN;
      if (Number.isInteger(n) && n >= 1 && n <= MAX_TARGETS_LIMIT) this.config.maxTargets = n;
      else
        this.problem(
          `${prefix}.maxTargets`,
          `"${String(maxTargets)}" is not a whole number from 1 to ${MAX_TARGETS_LIMIT}`,
        );
    }
  }

  private addNamespace(name: string, labels: Record<string, string>, field: string): void {
    if (!isDnsLabel(name)) return this.problem(field, `"${name}" is not a valid namespace name`);
    const existing = this.config.namespaces.find((n) => n.name === name);
    if (existing === undefined) this.config.namespaces.push({ name, labels });
    else Object.assign(existing.labels, labels);
  }

  private addLabel(labels: Record<string, string>, key: string, value: unknown, field: string): void {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return this.problem(field, `the value of label ${key} must be a string`);
    }
    const why = validateLabelKey(key) ?? validateLabelValue(String(value));
    if (why !== undefined) return this.problem(field, `label ${key}=${String(value)}: ${why}`);
    labels[key] = String(value);
  }
}

function splitList(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
