// Performs one planned cross-cluster write and returns the pair's state as the API server left it.
import type { KubeObject } from '../../core/index.ts';
import type { PairAction, PairState } from '../../core/cross-cluster/index.ts';
import type { LocalNamespace } from '../../core/cross-cluster/index.ts';
import { FIELD_MANAGER } from '../../core/names.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES, SECRETS } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';

/** The two clients and the synced type an action is executed with. */
export interface ExecuteContext {
  local: KubeClient;
  remote: KubeClient;
  type: ResourceType;
  signal?: AbortSignal;
}

/** What a write changed: the pair's new state and the objects to remember until the watches catch up. */
export interface ExecuteResult {
  state: PairState;
  remote?: KubeObject;
  local?: KubeObject;
  namespace?: KubeObject;
  localSecret?: KubeObject;
}

/** Executes one action; throws the KubeApiError of a refused write. */
export async function executeAction(ctx: ExecuteContext, state: PairState, action: PairAction): Promise<ExecuteResult> {
  const { local, remote, type } = ctx;
  const opts = { fieldManager: FIELD_MANAGER, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const r = state.remote;
  switch (action.kind) {
    case 'add-finalizer': {
      const current = Array.isArray(r?.metadata.finalizers) ? (r.metadata.finalizers as string[]) : [];
      // The resourceVersion test makes the list replacement safe against a concurrent finalizer change.
      const obj = await remote.jsonPatch<KubeObject>(
        type,
        r?.metadata.namespace,
        r?.metadata.name ?? '',
        [
          { op: 'test', path: '/metadata/resourceVersion', value: action.resourceVersion },
          { op: 'add', path: '/metadata/finalizers', value: [...current, action.finalizer] },
        ],
        opts,
      );
      return { state: { ...state, remote: obj }, remote: obj };
    }
    case 'remove-finalizer': {
      const obj = await remote.jsonPatch<KubeObject>(
        type,
        r?.metadata.namespace,
        r?.metadata.name ?? '',
        [
          { op: 'test', path: '/metadata/resourceVersion', value: action.resourceVersion },
          { op: 'test', path: `/metadata/finalizers/${action.index}`, value: action.finalizer },
          { op: 'remove', path: `/metadata/finalizers/${action.index}` },
        ],
        opts,
      );
      return { state: { ...state, remote: obj }, remote: obj };
    }
    case 'upload-status': {
      // Status belongs to the local side: replace it whatever else changed on the remote meanwhile.
      const obj = await remote.jsonPatch<KubeObject>(
        type,
        r?.metadata.namespace,
        r?.metadata.name ?? '',
        [{ op: 'add', path: '/status', value: action.status }],
        { ...opts, subresource: 'status' },
      );
      return { state: { ...state, remote: obj }, remote: obj };
    }
    case 'upload-secret': {
      // PUT without a resourceVersion: the remote Secret must exist, and RBAC needs nothing but update on it.
      await remote.update(SECRETS, action.secret, opts);
      return { state };
    }
    case 'record-secret-hash': {
      const obj = await local.mergePatch<KubeObject>(
        SECRETS,
        action.namespace,
        action.name,
        { metadata: { annotations: { [action.annotation]: action.hash } } },
        opts,
      );
      const localSecrets = state.localSecrets.map((s) => (s.metadata.name === action.name ? obj : s));
      return { state: { ...state, localSecrets }, localSecret: obj };
    }
    case 'create-namespace': {
      const obj = await local.create<KubeObject>(NAMESPACES, action.namespace, opts);
      return { state: { ...state, localNamespace: namespaceOf(obj) }, namespace: obj };
    }
    case 'create-local': {
      const obj = await local.create<KubeObject>(type, action.object, opts);
      return { state: { ...state, local: obj }, local: obj };
    }
    case 'update-local': {
      const body = structuredClone(action.object);
      delete body.metadata.managedFields;
      // With a resourceVersion, a concurrent change fails with 409 and the next plan starts from the new object.
      const obj = await local.update<KubeObject>(type, body, opts);
      return { state: { ...state, local: obj }, local: obj };
    }
    case 'set-generations': {
      const obj = await remote.mergePatch<KubeObject>(
        type,
        r?.metadata.namespace,
        r?.metadata.name ?? '',
        { metadata: { annotations: action.annotations } },
        opts,
      );
      return { state: { ...state, remote: obj }, remote: obj };
    }
    case 'delete-namespace': {
      const obj = await local.delete<KubeObject>(NAMESPACES, undefined, action.name, {
        ...(action.uid ? { preconditions: { uid: action.uid } } : {}),
        propagationPolicy: action.propagationPolicy,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      // A namespace DELETE answers with the namespace, now terminating.
      const ns = obj?.kind === 'Namespace' ? obj : undefined;
      return {
        state: {
          ...state,
          localNamespace: ns ? namespaceOf(ns) : state.localNamespace && { ...state.localNamespace, terminating: true },
        },
        ...(ns ? { namespace: ns } : {}),
      };
    }
  }
}

/** The planner's view of a Namespace object. */
export function namespaceOf(obj: KubeObject): LocalNamespace {
  return {
    name: obj.metadata.name,
    ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
    annotations: obj.metadata.annotations ?? {},
    terminating: typeof obj.metadata.deletionTimestamp === 'string',
  };
}
