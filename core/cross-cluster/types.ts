// The inputs and the plan of cross-cluster sync for one remote/local pair.
import type { KubeObject } from '../kube-object.ts';
import type { CrossClusterNames } from '../names.ts';
import type { PairKey, PairLocation, PairNaming } from './mapping.ts';

/** How deleting an owned local namespace propagates (Foreground by default, as in the seed). */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** Settings of one synced resource type: naming, names of annotations, Secrets to upload, deletion policy. */
export interface PairSettings extends PairNaming {
  names: CrossClusterNames;
  /** Names of local Secrets (controlled by the local object) to upload into existing remote Secrets. */
  localSecretNames: readonly string[];
  propagationPolicy: PropagationPolicy;
  /**
   * Local namespaces never written (the controller's --exclude-namespaces): a remote object that maps into one is
   * ignored, whatever its namespace is called on the remote.
   */
  excludeNamespaces?: readonly string[];
}

/** A local namespace as the planner needs it. */
export interface LocalNamespace {
  name: string;
  uid?: string;
  annotations: Readonly<Record<string, string>>;
  /** A deletionTimestamp is set. */
  terminating: boolean;
}

/** Everything the planner reads about one pair; a missing object is undefined. */
export interface PairState {
  key: PairKey;
  remote: KubeObject | undefined;
  local: KubeObject | undefined;
  localNamespace: LocalNamespace | undefined;
  /** Local Secrets in the local namespace whose names are in localSecretNames (any controller). */
  localSecrets: readonly KubeObject[];
}

/** One write the pair needs; remote writes never touch spec. */
export type PairAction =
  | { kind: 'add-finalizer'; side: 'remote'; resourceVersion: string; finalizer: string }
  | { kind: 'remove-finalizer'; side: 'remote'; resourceVersion: string; index: number; finalizer: string }
  | { kind: 'upload-status'; side: 'remote'; resourceVersion: string; status: unknown }
  | { kind: 'upload-secret'; side: 'remote'; secret: KubeObject }
  | { kind: 'record-secret-hash'; side: 'local'; namespace: string; name: string; annotation: string; hash: string }
  | { kind: 'create-namespace'; side: 'local'; namespace: KubeObject }
  | { kind: 'create-local'; side: 'local'; object: KubeObject }
  | { kind: 'update-local'; side: 'local'; object: KubeObject }
  | { kind: 'set-generations'; side: 'remote'; annotations: Record<string, string> }
  | {
      kind: 'delete-namespace';
      side: 'local';
      name: string;
      uid: string | undefined;
      propagationPolicy: PropagationPolicy;
    };

/** Where a pair stands, for logs, metrics and `kubectl reflect status`. */
export type PairPhase =
  | 'InSync'
  | 'Syncing'
  | 'Paused'
  /** The remote is gone or going; the local side is being cleaned up or released. */
  | 'Deleting'
  /** Waiting for something outside our control (a terminating local namespace or object). */
  | 'Waiting'
  | 'Invalid'
  | 'Gone';

/** The plan for a pair: ordered actions (stop at the first failure), and what the pair looks like now. */
export interface PairPlan {
  location: PairLocation;
  phase: PairPhase;
  /** Which side's paused annotation stopped the sync. */
  pausedBy?: 'local' | 'remote';
  actions: PairAction[];
  /** Why nothing (more) can be done, in words, when that is the case. */
  reason?: string;
  remoteGeneration?: number;
  localGeneration?: number;
  /** The remote generation the local copy last reflected (from the remote's annotation). */
  syncedRemoteGeneration?: number;
}
