// Secret values never reach a terminal: the dry-run diff masks them as `kubectl diff` does.
import type { KubeObject } from '../core/index.ts';

/** The annotation kubectl apply leaves on an object; on a Secret it holds the Secret's data in clear. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Returns true for a core-group Secret, the one kind whose values are masked. */
export function isSecret(obj: { apiVersion: string; kind: string } | undefined): boolean {
  return obj !== undefined && obj.apiVersion === 'v1' && obj.kind === 'Secret';
}

/**
 * Returns copies of the two sides of a diff with every Secret value replaced, as kubectl diff's masker does: `***` where
 * both sides agree or only one side has the key, `*** (before)` and `*** (after)` where they differ, so a diff still
 * shows which keys changed but never what they hold. Objects other than Secrets come back unchanged.
 */
export function maskSecretPair(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const b = before === undefined ? undefined : structuredClone(before);
  const a = after === undefined ? undefined : structuredClone(after);
  for (const field of ['data', 'stringData'])
    maskMaps(b?.[field] as Record<string, unknown> | undefined, a?.[field] as Record<string, unknown> | undefined);
  maskMaps(b?.metadata.annotations, a?.metadata.annotations, (k) => k === LAST_APPLIED);
  return [b, a];
}

function maskMaps(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  only: (key: string) => boolean = () => true,
): void {
  const b = isMap(before) ? before : undefined;
  const a = isMap(after) ? after : undefined;
  for (const key of new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])) {
    if (!only(key)) continue;
    const inB = b !== undefined && key in b;
    const inA = a !== undefined && key in a;
    const differ = inB && inA && b[key] !== a[key];
    if (inB) b[key] = differ ? '*** (before)' : '***';
    if (inA) a[key] = differ ? '*** (after)' : '***';
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
