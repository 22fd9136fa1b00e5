/**
 * Every annotation and label name kube-reflect reads or writes, in one place.
 * Nothing else in the project spells a prefix out; docs/annotations.md is tested against this file.
 */

/** Prefix of emberstack Reflector's annotations, read unchanged for compatibility. */
export const REFLECTOR_PREFIX = 'reflector.v1.k8s.emberstack.com/';

/** Prefix of kube-reflect's own (native) annotations and labels. */
export const NATIVE_PREFIX = 'kube-reflect.io/';

/** Reflector annotations, by role. */
export const Reflector = {
  /** Source: "true" allows any reflection of this object. */
  allowed: `${REFLECTOR_PREFIX}reflection-allowed`,
  /** Source: comma list of full-match regexes of namespaces that may hold mirrors; empty means all. */
  allowedNamespaces: `${REFLECTOR_PREFIX}reflection-allowed-namespaces`,
  /** Source: namespace label selector, ORed with the allowed list. */
  allowedNamespacesSelector: `${REFLECTOR_PREFIX}reflection-allowed-namespaces-selector`,
  /** Source: "true" creates same-named mirrors automatically. */
  autoEnabled: `${REFLECTOR_PREFIX}reflection-auto-enabled`,
  /** Source: comma list of full-match regexes of namespaces that get automatic mirrors; empty means all. */
  autoNamespaces: `${REFLECTOR_PREFIX}reflection-auto-namespaces`,
  /** Source: namespace label selector, ORed with the auto list. */
  autoNamespacesSelector: `${REFLECTOR_PREFIX}reflection-auto-namespaces-selector`,
  /** Mirror: "namespace/name" of the source it reflects. */
  reflects: `${REFLECTOR_PREFIX}reflects`,
  /** Mirror: "True" on mirrors created automatically. */
  autoReflects: `${REFLECTOR_PREFIX}auto-reflects`,
  /** Mirror: source resourceVersion at copy time; read and tolerated, never needed. */
  reflectedVersion: `${REFLECTOR_PREFIX}reflected-version`,
  /** Mirror: time of the copy; read and tolerated, never written. */
  reflectedAt: `${REFLECTOR_PREFIX}reflected-at`,
} as const;

/** Native annotations set by users on sources and pull mirrors. */
export const Native = {
  /** Source: comma list of target namespaces: names, globs, `regex:` entries, `all`, `!exclusions`. */
  to: `${NATIVE_PREFIX}to`,
  /** Source: namespace label selector whose namespaces are targets, ORed with `to`. */
  toSelector: `${NATIVE_PREFIX}to-selector`,
  /** Source: "true" makes only namespaces labelled `accept-mirrors=true` targets. */
  optInOnly: `${NATIVE_PREFIX}opt-in-only`,
  /** Source: the name mirrors get, when it differs from the source's. */
  mirrorName: `${NATIVE_PREFIX}mirror-name`,
  /** Source: patterns of namespaces allowed to hold mirrors (push ceiling and pull permission). */
  allowedNamespaces: `${NATIVE_PREFIX}allowed-namespaces`,
  /** Source: namespace label selector of namespaces allowed to hold mirrors, ORed with the list. */
  allowedNamespacesSelector: `${NATIVE_PREFIX}allowed-namespaces-selector`,
  /** Source: which labels mirrors copy: `none` (default), `all`, keys or globs, `!exclusions`. */
  copyLabels: `${NATIVE_PREFIX}copy-labels`,
  /** Source: which annotations mirrors copy: `none` (default), `all`, keys or globs, `!exclusions`. */
  copyAnnotations: `${NATIVE_PREFIX}copy-annotations`,
  /** Source: "true" copies once and never updates an existing mirror. */
  once: `${NATIVE_PREFIX}once`,
  /** Source: with `once`, any change of this string copies once more. */
  onceVersion: `${NATIVE_PREFIX}once-version`,
  /** Source: "true" pauses all reflection of this source; nothing is written or deleted. */
  paused: `${NATIVE_PREFIX}paused`,
  /** Source: the most targets allowed; more is an error and nothing is written. */
  maxTargets: `${NATIVE_PREFIX}max-targets`,
  /** Source: `delete` (default) or `orphan`: what happens to mirrors when the source goes. */
  onSourceDelete: `${NATIVE_PREFIX}on-source-delete`,
  /** Source: YAML `rules:` that change each mirror on its way into its namespace (KubeMirror's schema). */
  transform: `${NATIVE_PREFIX}transform`,
  /** Source: "true" makes a transform rule that fails stop the mirror in that namespace instead of being skipped. */
  transformStrict: `${NATIVE_PREFIX}transform-strict`,
  /** Pull mirror: "namespace/name" of the source to copy from. */
  from: `${NATIVE_PREFIX}from`,
  /** Pull mirror: `keep` (default) or `clear`: what happens to its data when the source goes or stops allowing it. */
  onSourceLoss: `${NATIVE_PREFIX}on-source-loss`,
} as const;

/** Prefix of olli-ai k8s-replicator's annotations (its default `--annotations-prefix`), read unchanged. */
export const K8S_REPLICATOR_PREFIX = 'k8s-replicator/';

/** k8s-replicator annotations: set by users (sources and pull targets) and written by it (on its copies). */
export const K8sReplicator = {
  /** Pull target: "namespace/name", or a bare name in the target's own namespace, of the source to copy. */
  replicateFrom: `${K8S_REPLICATOR_PREFIX}replicate-from`,
  /** Source: comma list of target names: `name`, `namespace/name`, `namespace-regex/name`. */
  replicateTo: `${K8S_REPLICATOR_PREFIX}replicate-to`,
  /** Source: comma list of target namespaces and full-match namespace regexes. */
  replicateToNamespaces: `${K8S_REPLICATOR_PREFIX}replicate-to-namespaces`,
  /** Source or pull target: "true" copies once only. */
  replicateOnce: `${K8S_REPLICATOR_PREFIX}replicate-once`,
  /** Source: with replicate-once, a change of this string copies once more. */
  replicateOnceVersion: `${K8S_REPLICATOR_PREFIX}replicate-once-version`,
  /** Source: "true" allows pulls, "false" forbids them (even with --allow-all). */
  replicationAllowed: `${K8S_REPLICATOR_PREFIX}replication-allowed`,
  /** Source: comma list of namespaces and full-match regexes allowed to pull. */
  replicationAllowedNamespaces: `${K8S_REPLICATOR_PREFIX}replication-allowed-namespaces`,
  /** Copy (written by k8s-replicator): time of the copy; tolerated. */
  replicatedAt: `${K8S_REPLICATOR_PREFIX}replicated-at`,
  /** Copy (written by k8s-replicator): "namespace/name" of the source that created it; marks copies we adopt. */
  replicatedBy: `${K8S_REPLICATOR_PREFIX}replicated-by`,
  /** Copy (written by k8s-replicator): source resourceVersion at copy time; tolerated. */
  replicatedFromVersion: `${K8S_REPLICATOR_PREFIX}replicated-from-version`,
  /** Copy (written by k8s-replicator): origin of the data in a chain; tolerated. */
  replicatedFromOrigin: `${K8S_REPLICATOR_PREFIX}replicated-from-origin`,
  /** Copy (written by k8s-replicator): permissions inherited in a chain; tolerated. */
  replicatedFromAllowed: `${K8S_REPLICATOR_PREFIX}replicated-from-allowed`,
} as const;

/** Prefix of mittwald kubernetes-replicator's annotations, read unchanged. */
export const MITTWALD_PREFIX = 'replicator.v1.mittwald.de/';

/** mittwald kubernetes-replicator annotations. */
export const Mittwald = {
  /** Source: comma list of target namespaces as strict (whole-name) regexes; mirrors keep the source's name. */
  replicateTo: `${MITTWALD_PREFIX}replicate-to`,
  /** Source: namespace label selector of target namespaces. */
  replicateToMatching: `${MITTWALD_PREFIX}replicate-to-matching`,
  /** Pull target: "namespace/name" of the source to copy. */
  replicateFrom: `${MITTWALD_PREFIX}replicate-from`,
  /** Source: "true" allows pulls (with replication-allowed-namespaces). */
  replicationAllowed: `${MITTWALD_PREFIX}replication-allowed`,
  /** Source: comma list of strict regexes of namespaces allowed to pull. */
  replicationAllowedNamespaces: `${MITTWALD_PREFIX}replication-allowed-namespaces`,
  /** Source: "true" copies no labels (the default copies them). */
  stripLabels: `${MITTWALD_PREFIX}strip-labels`,
  /** Source: "true" would copy owner references; refused (the garbage collector would delete the copy). */
  keepOwnerReferences: `${MITTWALD_PREFIX}keep-owner-references`,
  /** Copy (written by mittwald): time of the copy; tolerated. */
  replicatedAt: `${MITTWALD_PREFIX}replicated-at`,
  /** Copy (written by mittwald): source resourceVersion at copy time; marks pushed copies we adopt. */
  replicatedFromVersion: `${MITTWALD_PREFIX}replicated-from-version`,
  /** Copy (written by mittwald): the keys it copied; tolerated. */
  replicatedKeys: `${MITTWALD_PREFIX}replicated-keys`,
} as const;

/** Prefix of config-syncer's (formerly kubed's) keys, read unchanged. */
export const KUBED_PREFIX = 'kubed.appscode.com/';

/** config-syncer (kubed) annotations and labels. */
export const Kubed = {
  /** Source: "" or "true" copies to every namespace; any other value is a namespace label selector. */
  sync: `${KUBED_PREFIX}sync`,
  /** Source: comma list of kubeconfig contexts to copy to (cross-cluster); not supported, a finding. */
  syncContexts: `${KUBED_PREFIX}sync-contexts`,
  /** Copy (written by config-syncer): JSON reference to the source; marks copies we adopt. */
  origin: `${KUBED_PREFIX}origin`,
  /** Copy label (written by config-syncer): the source's name. */
  originName: `${KUBED_PREFIX}origin.name`,
  /** Copy label (written by config-syncer): the source's namespace. */
  originNamespace: `${KUBED_PREFIX}origin.namespace`,
  /** Copy label (written by config-syncer): the source's cluster. */
  originCluster: `${KUBED_PREFIX}origin.cluster`,
} as const;

/** Prefix of KubeMirror's annotations and labels, read unchanged. */
export const KUBEMIRROR_PREFIX = 'kubemirror.raczylo.com/';

/** KubeMirror annotations and labels. */
export const KubeMirror = {
  /** Source label: "true" is required (with the sync annotation). */
  enabled: `${KUBEMIRROR_PREFIX}enabled`,
  /** Source: "true" is required (with the enabled label). */
  sync: `${KUBEMIRROR_PREFIX}sync`,
  /** Source: comma list of names and globs, or `all`, or `all-labeled`. */
  targetNamespaces: `${KUBEMIRROR_PREFIX}target-namespaces`,
  /** Source: transformation rules; not applied yet, a finding. */
  transform: `${KUBEMIRROR_PREFIX}transform`,
  /** Source: "true" fails the mirror when a transformation fails. */
  transformStrict: `${KUBEMIRROR_PREFIX}transform-strict`,
  /** Namespace label: "true" opts in to `all-labeled`, "false" opts out of `all`. */
  allowMirrors: `${KUBEMIRROR_PREFIX}allow-mirrors`,
  /** Copy label (written by KubeMirror): "true" on its mirrors; marks copies we adopt. */
  mirror: `${KUBEMIRROR_PREFIX}mirror`,
  /** Copy label (written by KubeMirror): "kubemirror". */
  managedBy: `${KUBEMIRROR_PREFIX}managed-by`,
  /** Copy (written by KubeMirror): the source's namespace. */
  sourceNamespace: `${KUBEMIRROR_PREFIX}source-namespace`,
  /** Copy (written by KubeMirror): the source's name. */
  sourceName: `${KUBEMIRROR_PREFIX}source-name`,
  /** Finalizer KubeMirror puts on sources; a stopped KubeMirror leaves it behind. */
  finalizer: `${KUBEMIRROR_PREFIX}finalizer`,
} as const;

/**
 * Finalizers peers put on sources and remove only while they run (KubeMirror's): the planner removes one from a source
 * once every copy the peer made of it is ours, or a stopped peer would keep the source from ever being deleted.
 */
export const PEER_SOURCE_FINALIZERS: readonly string[] = [KubeMirror.finalizer];

/** Every prefix whose keys the planner reads (ours, Reflector's and each peer dialect's); caches keep only these. */
export const DIALECT_PREFIXES: readonly string[] = [
  NATIVE_PREFIX,
  REFLECTOR_PREFIX,
  K8S_REPLICATOR_PREFIX,
  MITTWALD_PREFIX,
  KUBED_PREFIX,
  KUBEMIRROR_PREFIX,
];

/** Namespaces KubeMirror never mirrors into (its built-in exclusions). */
export const KUBEMIRROR_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Annotations kube-reflect writes on the mirrors it renders. */
export const Provenance = {
  /** "namespace/name" of the source. */
  source: `${NATIVE_PREFIX}source`,
  /** UID of the source, when known. */
  sourceUid: `${NATIVE_PREFIX}source-uid`,
  /** Content hash of the rendered projection; compared to detect change and drift. */
  contentHash: `${NATIVE_PREFIX}content-hash`,
  /** The once-version the mirror was copied at, for `once` sources. */
  copiedOnceVersion: `${NATIVE_PREFIX}copied-once-version`,
  /** Copy of the source's on-source-delete policy, so it is known after the source is gone. */
  onSourceDelete: `${NATIVE_PREFIX}on-source-delete`,
} as const;

/** Labels kube-reflect writes on mirrors and reads on namespaces. */
export const Labels = {
  /** Mirror: "true" on every object kube-reflect owns; the server-side selector for mirrors. */
  mirror: `${NATIVE_PREFIX}mirror`,
  /** Mirror: a hash of the source's "namespace/name", so a source's mirrors can be listed server-side. */
  sourceHash: `${NATIVE_PREFIX}source-hash`,
  /** Mirror: the standard managed-by label, for people and dashboards. */
  managedBy: 'app.kubernetes.io/managed-by',
  /** Namespace: "true" opts in to opt-in-only sources; "false" opts out of all pushed mirrors. */
  acceptMirrors: `${NATIVE_PREFIX}accept-mirrors`,
} as const;

/** Prefix of Teleport sync-controller's names, used instead of ours under `--teleport-annotations`. */
export const TELEPORT_PREFIX = 'cloud.teleport.dev/';

/** The names cross-cluster sync reads and writes: annotations on both sides, and the remote finalizer. */
export interface CrossClusterNames {
  /** Local or remote object: "true" stops every write for that object. */
  paused: string;
  /** Local namespace: the local object name it was created for; only such a namespace is ever deleted. */
  namespaceOwner: string;
  /** Local Secret (and its remote copy): hash of the content last uploaded, so nothing is uploaded twice. */
  lastUploadedHash: string;
  /** Remote object: the remote generation last copied to the local object. */
  remoteGeneration: string;
  /** Remote object: the local object's generation after that copy. */
  localGeneration: string;
  /** Remote object: finalizer holding its deletion until the local side is cleaned up. */
  finalizer: string;
}

/** Cross-cluster names under our prefix (the default). */
export const CrossCluster: CrossClusterNames = {
  paused: `${NATIVE_PREFIX}paused`,
  namespaceOwner: `${NATIVE_PREFIX}sync-owner`,
  lastUploadedHash: `${NATIVE_PREFIX}last-uploaded-hash`,
  remoteGeneration: `${NATIVE_PREFIX}sync-remote-generation`,
  localGeneration: `${NATIVE_PREFIX}sync-local-generation`,
  finalizer: `${NATIVE_PREFIX}sync-local`,
};

/** Cross-cluster names exactly as Teleport's sync-controller spells them, to replace it in place. */
export const TeleportCrossCluster: CrossClusterNames = {
  paused: `${TELEPORT_PREFIX}paused`,
  namespaceOwner: `${TELEPORT_PREFIX}sync-owner`,
  lastUploadedHash: `${TELEPORT_PREFIX}last-uploaded-hash`,
  remoteGeneration: `${TELEPORT_PREFIX}sync-remote-generation`,
  localGeneration: `${TELEPORT_PREFIX}sync-local-generation`,
  finalizer: `${TELEPORT_PREFIX}sync-local`,
};

/** Value of the managed-by label on mirrors. */
export const MANAGER_NAME = 'kube-reflect';

/** The server-side apply field manager every surface writes with. */
export const FIELD_MANAGER = 'kube-reflect';

/** Every native annotation key a user may set; any other key under the native prefix is unknown. */
export const KNOWN_NATIVE_KEYS: ReadonlySet<string> = new Set<string>([
  ...Object.values(Native),
  ...Object.values(Provenance),
  ...Object.values(CrossCluster),
  Labels.mirror,
  Labels.sourceHash,
  Labels.acceptMirrors,
]);

/** Every Reflector annotation key; any other key under the Reflector prefix is unknown. */
export const KNOWN_REFLECTOR_KEYS: ReadonlySet<string> = new Set<string>(Object.values(Reflector));

/** Every k8s-replicator annotation key; any other key under its prefix is unknown (no action, as k8s-replicator). */
export const KNOWN_K8S_REPLICATOR_KEYS: ReadonlySet<string> = new Set<string>(Object.values(K8sReplicator));

/** Metadata keys that are never copied to mirrors, whatever the copy policy says (GitOps and Helm ownership). */
export const NEVER_COPIED_KEYS: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/managed-by',
  'argocd.argoproj.io/*',
  'helm.sh/*',
  'meta.helm.sh/*',
  'kustomize.toolkit.fluxcd.io/*',
  'helm.toolkit.fluxcd.io/*',
  'fluxcd.io/*',
  'kapp.k14s.io/*',
  'config.kubernetes.io/*',
  'internal.config.kubernetes.io/*',
  'config.k8s.io/*',
  'kustomize.config.k8s.io/*',
  'deployment.kubernetes.io/*',
  'kubernetes.io/*',
  'cert-manager.io/*',
  `${NATIVE_PREFIX}*`,
  `${REFLECTOR_PREFIX}*`,
  `${K8S_REPLICATOR_PREFIX}*`,
  `${MITTWALD_PREFIX}*`,
  `${KUBED_PREFIX}*`,
  `${KUBEMIRROR_PREFIX}*`,
];
