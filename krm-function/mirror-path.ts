/**
 * The file a generated mirror is written to, relative to the package: a template such as
 * `mirrors/{namespace}/{kind}-{name}.yaml`, so kpt writes each mirror to a predictable file.
 */
import type { KubeObject, ObjectRef } from '../core/index.ts';
import { groupOf } from '../core/index.ts';

/** The default mirror path template. */
export const DEFAULT_MIRROR_PATH = 'mirrors/{namespace}/{kind}-{name}.yaml';

/** The placeholders a mirror path template may use, with what each stands for. */
export const MIRROR_PATH_PLACEHOLDERS: Readonly<Record<string, string>> = {
  namespace: "the mirror's namespace",
  name: "the mirror's name",
  kind: "the mirror's kind, lower case",
  group: "the mirror's API group, or `core`",
  sourceNamespace: "the source's namespace",
  sourceName: "the source's name",
};

/** Returns why a template is not usable, or undefined when it is. */
export function mirrorPathProblem(template: string): string | undefined {
  if (template.trim() === '') return 'it is empty';
  if (template.startsWith('/') || template.includes('\\')) return 'it must be a relative path with forward slashes';
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(m[1]! in MIRROR_PATH_PLACEHOLDERS)) {
      return `{${m[1]}} is not a placeholder; use ${Object.keys(MIRROR_PATH_PLACEHOLDERS)
        .map((p) => `{${p}}`)
        .join(', ')}`;
    }
  }
  const segments = template.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === ''))
    return 'it must not contain empty, "." or ".." segments';
  if (!/\.ya?ml$/.test(template)) return 'it must end in .yaml or .yml';
  return undefined;
}

/** Returns the path of a mirror in the package, from a valid template. */
export function mirrorPath(template: string, mirror: KubeObject, source: ObjectRef): string {
  const values: Record<string, string> = {
    namespace: mirror.metadata.namespace ?? '',
    name: mirror.metadata.name,
    kind: mirror.kind.toLowerCase(),
    group: groupOf(mirror.apiVersion) || 'core',
    sourceNamespace: source.namespace,
    sourceName: source.name,
  };
  return template.replace(/\{([^}]*)\}/g, (_, key: string) => pathSegment(values[key] ?? ''));
}

/**
 * Returns a value fit to be (part of) one path segment. Names are validated before they get here; this is the second
 * lock: no value, whatever it holds, can add a directory level or climb out of the package.
 */
export function pathSegment(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || /^\.+$/.test(safe) ? safe.replace(/\./g, '_') || '_' : safe;
}
