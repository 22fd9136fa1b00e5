// Command lines of etcd, kube-apiserver and kube-controller-manager for a test control plane on loopback.
import { join } from 'node:path';
import type { ClusterState } from './state.ts';

/** The controllers kube-controller-manager runs: namespace deletion, ownerReference GC, ServiceAccounts and their tokens. */
export const kcmControllers = [
  'namespace-controller',
  'garbage-collector-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
];

/** The extra controllers a plane with a node runs, so Deployments roll out, Services get endpoints, PDBs work. */
export const kcmNodeControllers = [
  'deployment-controller',
  'replicaset-controller',
  'endpoints-controller',
  'endpointslice-controller',
  'disruption-controller',
  'node-lifecycle-controller',
  'pod-garbage-collector-controller',
  'taint-eviction-controller',
];

/** An audit policy that records every request at Metadata level, once it has a response. */
export const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

/** etcd on a loopback client port; fsync is off because test data is disposable. */
export function etcdArgs(s: ClusterState): string[] {
  const client = `http://127.0.0.1:${s.ports.etcd}`;
  const peer = `http://127.0.0.1:${s.ports.etcdPeer}`;
  return [
    '--name=default',
    `--data-dir=${join(s.dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

/** kube-apiserver with x509 client auth, RBAC, ServiceAccount token issuing and an optional audit log. */
export function apiserverArgs(s: ClusterState): string[] {
  const node = s.node;
  const args = [
    `--etcd-servers=http://127.0.0.1:${s.ports.etcd}`,
    // With a node, the kubelet and pods reach the apiserver over the node's veth link (see netns.ts).
    `--bind-address=${node ? '0.0.0.0' : '127.0.0.1'}`,
    `--advertise-address=${node ? node.hostIp : '127.0.0.1'}`,
    `--secure-port=${s.ports.apiserver}`,
    `--cert-dir=${join(s.dir, 'apiserver-certs')}`,
    `--tls-cert-file=${s.pki.servingCert}`,
    `--tls-private-key-file=${s.pki.servingKey}`,
    `--client-ca-file=${s.pki.caCert}`,
    `--service-account-issuer=${s.server}`,
    `--service-account-key-file=${s.pki.saPub}`,
    `--service-account-signing-key-file=${s.pki.saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
  if (node) {
    // Pods run: ServiceAccount admission mounts tokens; the Node authorizer and NodeRestriction serve the kubelet;
    // `default/kubernetes` gets the host-side link address as its endpoint, so in-cluster clients find us.
    const kubeletClient = join(s.pki.dir, 'apiserver-kubelet-client');
    args.push(
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--endpoint-reconciler-type=lease',
      '--kubelet-preferred-address-types=InternalIP',
      `--kubelet-client-certificate=${kubeletClient}.crt`,
      `--kubelet-client-key=${kubeletClient}.key`,
    );
  } else {
    args.push(
      '--authorization-mode=RBAC',
      // Pods are never scheduled here (no kubelet); skip waiting for each namespace's default ServiceAccount.
      '--disable-admission-plugins=ServiceAccount',
      '--endpoint-reconciler-type=none',
    );
  }
  if (s.auditLog) {
    args.push(
      `--audit-policy-file=${join(s.dir, 'audit-policy.yaml')}`,
      `--audit-log-path=${s.auditLog}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
    );
  }
  return args;
}

/** kube-controller-manager with only the controllers a control plane without nodes needs. */
export function kcmArgs(s: ClusterState): string[] {
  const kubeconfig = join(s.dir, 'kcm.kubeconfig');
  return [
    `--kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${s.ports.kcm}`,
    `--cert-dir=${join(s.dir, 'kcm-certs')}`,
    '--leader-elect=false',
    `--controllers=${[...kcmControllers, ...(s.node ? kcmNodeControllers : [])].join(',')}`,
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${s.pki.saKey}`,
    `--root-ca-file=${s.pki.caCert}`,
    '--profiling=false',
    '--v=1',
  ];
}
