/**
 * The annotations orchestrators (kpt, kustomize) put on items, in one place (as kyaml's kioutil does): which file and
 * which document of it an item comes from, and whether it is local config that is never deployed.
 */

/** The file an item is read from and written to, relative to the package. */
export const PATH = 'config.kubernetes.io/path';
/** The index of the item's document in its file. */
export const INDEX = 'config.kubernetes.io/index';
/** kpt's newer twin of PATH; both are read and both are written. */
export const INTERNAL_PATH = 'internal.config.kubernetes.io/path';
/** kpt's newer twin of INDEX. */
export const INTERNAL_INDEX = 'internal.config.kubernetes.io/index';
/** `"true"` on objects that configure tools and are never deployed. */
export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

/** The path annotations, the one kpt prefers first. */
export const PATH_KEYS = [INTERNAL_PATH, PATH] as const;
/** The index annotations, the one kpt prefers first. */
export const INDEX_KEYS = [INTERNAL_INDEX, INDEX] as const;

/** Annotation prefixes of orchestrators: never pruned from an item, never invented. */
export const ORCHESTRATOR_PREFIXES = [
  'config.kubernetes.io/',
  'internal.config.kubernetes.io/',
  'config.k8s.io/',
  'kustomize.config.k8s.io/',
] as const;

/** Returns true when an annotation belongs to the orchestrator running the function. */
export function isOrchestratorKey(key: string): boolean {
  return ORCHESTRATOR_PREFIXES.some((p) => key.startsWith(p));
}

/** Returns the path and index annotations that tell kpt where to write a generated item. */
export function fileAnnotations(path: string, index: number): Record<string, string> {
  const i = String(index);
  return { [INDEX]: i, [PATH]: path, [INTERNAL_INDEX]: i, [INTERNAL_PATH]: path };
}
