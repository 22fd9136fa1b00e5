// The peers' figures, measured elsewhere and cited from shared/reference/peers-measured.md: facts, never run here.

/** Where the peers' figures come from. */
export const PEERS_SOURCE = {
  document: 'shared/reference/peers-measured.md',
  date: '2026-12-02',
  machine:
    '2 cores, 24 GiB, shared; one audit-enabled control plane per controller (etcd 3.5.21, kube-apiserver v1.33.13)',
  builds: [
    { name: 'mittwald/kubernetes-replicator', commit: 'f535dd9d8b4946b2629bddafe6de956801478391' },
    { name: 'lukaszraczylo/kubemirror', commit: '30ffc823d908eb93d52c7d54c1c9d1403aabc84f' },
    { name: 'olli-ai/k8s-replicator', commit: 'd15d5156697d50608693ae890c6cdda97be3e42b' },
  ],
} as const;

/** One peer's measured figures (undefined where it was not measured or it crashed). */
export interface PeerFigures {
  name: string;
  fanoutCreateSeconds: number;
  fanoutUpdateSeconds: number;
  newNamespaceP50Seconds?: number;
  newNamespaceMaxSeconds?: number;
  restartWrites?: number;
  rss60sMiB: number;
  rssSteadyMiB: number;
  idleRequestsPerMinute: number;
  idleCpuSecondsPer5Min: number;
}

/** The figures of peers-measured.md's results table (fan-out to 1,000 namespaces; 20,000 unrelated Secrets). */
export const PEERS: readonly PeerFigures[] = [
  {
    name: 'mittwald',
    fanoutCreateSeconds: 199.0,
    fanoutUpdateSeconds: 198.1,
    newNamespaceP50Seconds: 160.0,
    newNamespaceMaxSeconds: 165.7,
    restartWrites: 305,
    rss60sMiB: 143.7,
    rssSteadyMiB: 123.5,
    idleRequestsPerMinute: 138.9,
    idleCpuSecondsPer5Min: 1.95,
  },
  {
    name: 'kubemirror',
    fanoutCreateSeconds: 16.2,
    fanoutUpdateSeconds: 11.3,
    newNamespaceP50Seconds: 28.2,
    newNamespaceMaxSeconds: 56.6,
    restartWrites: 12,
    rss60sMiB: 220.0,
    rssSteadyMiB: 226.3,
    idleRequestsPerMinute: 17071,
    idleCpuSecondsPer5Min: 98.1,
  },
  {
    name: 'k8s-replicator (olli-ai)',
    fanoutCreateSeconds: 198.9,
    fanoutUpdateSeconds: 198.0,
    newNamespaceP50Seconds: 23.4,
    rss60sMiB: 176.2,
    rssSteadyMiB: 89.5,
    idleRequestsPerMinute: 87.0,
    idleCpuSecondsPer5Min: 1.38,
  },
];
