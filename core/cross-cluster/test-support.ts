// A model of both clusters for the planner's tests: applies a plan's actions the way the API servers would.
import type { KubeObject } from '../kube-object.ts';
import { CrossCluster } from '../names.ts';
import type { PairAction, PairSettings, PairState } from './types.ts';

/** Default settings of the tests: both suffixes, a prefix and one uploaded Secret name. */
export const testSettings: PairSettings = {
  remoteResourceSuffix: '-east',
  localNamespaceSuffix: '-local',
  namespacePrefix: 'tenant-',
  names: CrossCluster,
  localSecretNames: ['creds'],
  propagationPolicy: 'Foreground',
};

/** Returns the state after the model API servers executed one action (a fresh copy; the input is untouched). */
export function applyAction(state: PairState, action: PairAction): PairState {
  const s = structuredClone(state) as PairState & { localSecrets: KubeObject[] };
  const bump = (o: KubeObject) => (o.metadata.resourceVersion = String(Number(o.metadata.resourceVersion ?? 0) + 1));
  switch (action.kind) {
    case 'add-finalizer':
      s.remote!.metadata.finalizers = [...((s.remote!.metadata.finalizers as string[]) ?? []), action.finalizer];
      bump(s.remote!);
      break;
    case 'remove-finalizer': {
      const f = [...(s.remote!.metadata.finalizers as string[])];
      f.splice(action.index, 1);
      s.remote!.metadata.finalizers = f;
      if (s.remote!.metadata.deletionTimestamp && f.length === 0) s.remote = undefined;
      else bump(s.remote!);
      break;
    }
    case 'upload-status':
      s.remote!.status = structuredClone(action.status);
      bump(s.remote!);
      break;
    case 'set-generations':
      s.remote!.metadata.annotations = { ...(s.remote!.metadata.annotations ?? {}), ...action.annotations };
      bump(s.remote!);
      break;
    case 'upload-secret':
      break;
    case 'record-secret-hash': {
      const sec = s.localSecrets.find((x) => x.metadata.name === action.name)!;
      sec.metadata.annotations = { ...(sec.metadata.annotations ?? {}), [action.annotation]: action.hash };
      break;
    }
    case 'create-namespace':
      s.localNamespace = {
        name: action.namespace.metadata.name,
        uid: 'ns-uid',
        annotations: { ...(action.namespace.metadata.annotations ?? {}) },
        terminating: false,
      };
      break;
    case 'create-local':
      s.local = {
        ...structuredClone(action.object),
        metadata: { ...structuredClone(action.object.metadata), uid: 'local-uid', generation: 1, resourceVersion: '1' },
      };
      break;
    case 'update-local': {
      const old = s.local!;
      const changed = JSON.stringify(old.spec) !== JSON.stringify(action.object.spec);
      s.local = structuredClone(action.object);
      s.local.metadata.generation = Number(old.metadata.generation ?? 1) + (changed ? 1 : 0);
      bump(s.local);
      break;
    }
    case 'delete-namespace':
      s.localNamespace = undefined;
      s.local = undefined;
      s.localSecrets = [];
      break;
  }
  return s;
}
