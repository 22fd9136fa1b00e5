// The pure cross-cluster planner: for one remote/local pair, the writes that bring it to the seed's desired state.
import { canonicalEqual } from '../content-hash.ts';
import type { KubeObject } from '../kube-object.ts';
import { NATIVE_PREFIX, REFLECTOR_PREFIX } from '../names.ts';
import { locate, remoteNamespaceSynced, validLocalName, validLocalNamespace } from './mapping.ts';
import { secretUploadHash } from './secret-hash.ts';
import type { PairAction, PairPlan, PairSettings, PairState } from './types.ts';

/**
 * Plans one pair the way the seed reconciles it: paused on either side → nothing; remote gone or going → delete the
 * local namespace only if we created it, then release the remote finalizer; otherwise claim the remote (finalizer),
 * upload local status, then controlled Secrets, then create the namespace and copy spec, labels and annotations down,
 * then record both generations on the remote. Actions that depend on the result of an earlier write (the local
 * generation after an update) are left to the next plan, which the caller makes from the write's response.
 */
export function planPair(settings: PairSettings, state: PairState): PairPlan {
  const { names } = settings;
  const location = locate(settings, state.key);
  const { remote, local, localNamespace: ns } = state;
  const base: PairPlan = {
    location,
    phase: 'InSync',
    actions: [],
    ...(remote ? generations(settings, remote, local) : {}),
  };
  if (local?.metadata.annotations?.[names.paused] === 'true')
    return { ...base, phase: 'Paused', pausedBy: 'local', reason: `local object has ${names.paused}=true` };
  if (remote?.metadata.annotations?.[names.paused] === 'true')
    return { ...base, phase: 'Paused', pausedBy: 'remote', reason: `remote object has ${names.paused}=true` };
  // A pair outside the synced remote namespaces is not ours to look at: no write on either side, not even a release.
  if (!remoteNamespaceSynced(settings, state.key.namespace))
    return {
      ...base,
      phase: 'Invalid',
      reason: `remote namespace "${state.key.namespace}" is not synced (--namespace-prefix, --remote-namespaces)`,
    };
  const refusal = !validLocalNamespace(settings, state.key)
    ? `local namespace "${location.local.namespace}" is not a valid namespace name`
    : !validLocalName(settings, state.key)
      ? `local name "${location.local.name}" (the remote name without its suffix) is not a valid object name`
      : settings.excludeNamespaces?.includes(location.local.namespace)
        ? `local namespace "${location.local.namespace}" is excluded (--exclude-namespaces)`
        : undefined;
  if (refusal !== undefined) {
    // Nothing local is ever written for such a pair; a claim made before (say, before the exclusion) is released.
    const index = remote ? finalizers(remote).indexOf(names.finalizer) : -1;
    const actions: PairAction[] =
      remote !== undefined && isDeleting(remote) && index >= 0
        ? [
            {
              kind: 'remove-finalizer',
              side: 'remote',
              resourceVersion: remote.metadata.resourceVersion ?? '',
              index,
              finalizer: names.finalizer,
            },
          ]
        : [];
    return { ...base, phase: 'Invalid', actions, reason: refusal };
  }

  if (remote === undefined || isDeleting(remote)) {
    if (ns !== undefined && ns.annotations[names.namespaceOwner] === state.key.name) {
      if (ns.terminating) return { ...base, phase: 'Deleting', reason: 'waiting for the local namespace to go' };
      const action: PairAction = {
        kind: 'delete-namespace',
        side: 'local',
        name: ns.name,
        uid: ns.uid,
        propagationPolicy: settings.propagationPolicy,
      };
      return { ...base, phase: 'Deleting', actions: [action] };
    }
    // The namespace is not ours (or gone): nothing local is deleted, and the remote is released.
    const index = remote?.metadata.finalizers ? finalizers(remote).indexOf(names.finalizer) : -1;
    if (remote !== undefined && index >= 0) {
      const action: PairAction = {
        kind: 'remove-finalizer',
        side: 'remote',
        resourceVersion: remote.metadata.resourceVersion ?? '',
        index,
        finalizer: names.finalizer,
      };
      return { ...base, phase: 'Deleting', actions: [action] };
    }
    return { ...base, phase: remote === undefined ? 'Gone' : 'Deleting' };
  }

  if (!finalizers(remote).includes(names.finalizer)) {
    const action: PairAction = {
      kind: 'add-finalizer',
      side: 'remote',
      resourceVersion: remote.metadata.resourceVersion ?? '',
      finalizer: names.finalizer,
    };
    return { ...base, phase: 'Syncing', actions: [action] };
  }

  const actions: PairAction[] = [];
  if (local !== undefined) {
    const status = local.status ?? {};
    if (!canonicalEqual(status, remote.status ?? {})) {
      actions.push({
        kind: 'upload-status',
        side: 'remote',
        resourceVersion: remote.metadata.resourceVersion ?? '',
        status,
      });
    }
    actions.push(...secretUploads(settings, state, remote, local));
    if (isDeleting(local)) {
      return {
        ...base,
        phase: actions.length > 0 ? 'Syncing' : 'Waiting',
        actions,
        reason: 'the local object is being deleted; it is created again once it is gone',
      };
    }
  }

  if (ns === undefined) {
    actions.push({
      kind: 'create-namespace',
      side: 'local',
      namespace: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: location.local.namespace, annotations: { [names.namespaceOwner]: state.key.name } },
      },
    });
  } else if (ns.terminating) {
    return {
      ...base,
      phase: actions.length > 0 ? 'Syncing' : 'Waiting',
      actions,
      reason: `local namespace ${ns.name} is terminating`,
    };
  }

  const desired = desiredLocal(settings, remote, location.local);
  if (local === undefined) {
    actions.push({ kind: 'create-local', side: 'local', object: desired });
  } else if (!sameCopy(local, desired)) {
    const object: KubeObject = {
      ...local,
      metadata: {
        ...local.metadata,
        labels: desired.metadata.labels ?? {},
        annotations: desired.metadata.annotations ?? {},
      },
      spec: desired.spec,
    };
    if (desired.spec === undefined) delete object.spec;
    actions.push({ kind: 'update-local', side: 'local', object });
  } else {
    const wanted = {
      [names.localGeneration]: String(local.metadata.generation ?? 0),
      [names.remoteGeneration]: String(remote.metadata.generation ?? 0),
    };
    const annotations = remote.metadata.annotations ?? {};
    if (Object.entries(wanted).some(([k, v]) => annotations[k] !== v))
      actions.push({ kind: 'set-generations', side: 'remote', annotations: wanted });
  }
  return { ...base, phase: actions.length > 0 ? 'Syncing' : 'InSync', actions };
}

/** The local object the remote one asks for: its spec, labels and annotations (without sync bookkeeping). */
function desiredLocal(
  settings: PairSettings,
  remote: KubeObject,
  where: { namespace: string; name: string },
): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(remote.metadata.annotations ?? {})) {
    if (k === settings.names.remoteGeneration || k === settings.names.localGeneration) continue;
    // A remote must not turn a local object into a reflection source (or mirror): our own keys never cross.
    if (k.startsWith(NATIVE_PREFIX) || k.startsWith(REFLECTOR_PREFIX)) continue;
    annotations[k] = v;
  }
  const out: KubeObject = {
    apiVersion: remote.apiVersion,
    kind: remote.kind,
    metadata: {
      name: where.name,
      namespace: where.namespace,
      labels: { ...(remote.metadata.labels ?? {}) },
      annotations,
    },
  };
  if (remote.spec !== undefined) out.spec = remote.spec;
  return out;
}

function sameCopy(local: KubeObject, desired: KubeObject): boolean {
  return (
    canonicalEqual(local.spec ?? null, desired.spec ?? null) &&
    canonicalEqual(local.metadata.labels ?? {}, desired.metadata.labels ?? {}) &&
    canonicalEqual(local.metadata.annotations ?? {}, desired.metadata.annotations ?? {})
  );
}

function secretUploads(settings: PairSettings, state: PairState, remote: KubeObject, local: KubeObject): PairAction[] {
  const out: PairAction[] = [];
  const hashKey = settings.names.lastUploadedHash;
  const localUid = local.metadata.uid;
  for (const name of [...new Set(settings.localSecretNames)].sort()) {
    const secret = state.localSecrets.find(
      (s) => s.metadata.name === name && s.metadata.namespace === local.metadata.namespace,
    );
    // Only a Secret the local object controls (same uid) is ever uploaded.
    if (secret === undefined || localUid === undefined || controllerUid(secret) !== localUid) continue;
    const hash = secretUploadHash(secret, hashKey);
    if (secret.metadata.annotations?.[hashKey] === hash) continue;
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: name + settings.remoteResourceSuffix,
        namespace: remote.metadata.namespace ?? state.key.namespace,
        labels: { ...(secret.metadata.labels ?? {}) },
        annotations: { ...(secret.metadata.annotations ?? {}), [hashKey]: hash },
        ownerReferences: [
          {
            apiVersion: remote.apiVersion,
            kind: remote.kind,
            name: remote.metadata.name,
            uid: remote.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      type: secret.type ?? 'Opaque',
    };
    if (secret.data !== undefined) body.data = secret.data;
    out.push({ kind: 'upload-secret', side: 'remote', secret: body });
    out.push({
      kind: 'record-secret-hash',
      side: 'local',
      namespace: secret.metadata.namespace ?? '',
      name,
      annotation: hashKey,
      hash,
    });
  }
  return out;
}

/** Returns the uid of an object's controller owner reference, if it has one. */
export function controllerUid(obj: KubeObject): string | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const ctl = (refs as Array<{ controller?: boolean; uid?: string }>).find((r) => r.controller === true);
  return ctl?.uid;
}

function finalizers(obj: KubeObject): string[] {
  const f = obj.metadata.finalizers;
  return Array.isArray(f) ? (f as string[]) : [];
}

function isDeleting(obj: KubeObject): boolean {
  return typeof obj.metadata.deletionTimestamp === 'string' && obj.metadata.deletionTimestamp !== '';
}

function generations(
  settings: PairSettings,
  remote: KubeObject,
  local: KubeObject | undefined,
): Pick<PairPlan, 'remoteGeneration' | 'localGeneration' | 'syncedRemoteGeneration'> {
  const synced = Number(remote.metadata.annotations?.[settings.names.remoteGeneration]);
  return {
    ...(typeof remote.metadata.generation === 'number' ? { remoteGeneration: remote.metadata.generation } : {}),
    ...(typeof local?.metadata.generation === 'number' ? { localGeneration: local.metadata.generation } : {}),
    ...(Number.isInteger(synced) && remote.metadata.annotations?.[settings.names.remoteGeneration] !== undefined
      ? { syncedRemoteGeneration: synced }
      : {}),
  };
}
