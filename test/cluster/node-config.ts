// Configuration files and command lines of the test node: kube-scheduler, containerd (+ runc, bridge CNI), kubelet and
// kube-proxy. The smallest set that runs Deployments' pods under Pod Security and routes ClusterIP Services.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState, NodeState } from './state.ts';

/** The image containerd runs as every pod's sandbox (built from test/cluster/go/pause and imported at start). */
export const pauseImage = 'localhost/kube-reflect-pause:3.10';

/** Pod addresses: one /24 per node on its bridge (so leftovers are attributable), masqueraded when leaving it. */
export function podCidr(node: NodeState): string {
  return `10.244.${node.slot}.0/24`;
}

/** Paths of the node's files under the plane's state dir. */
export function nodePaths(dir: string) {
  return {
    containerdConfig: join(dir, 'containerd.toml'),
    containerdRoot: join(dir, 'containerd', 'root'),
    containerdState: join(dir, 'containerd', 'state'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    cniDataDir: join(dir, 'cni', 'ipam'),
    kubeletConfig: join(dir, 'kubelet-config.yaml'),
    kubeletRoot: join(dir, 'kubelet'),
    kubeletKubeconfig: join(dir, 'kubelet.kubeconfig'),
    kubeProxyConfig: join(dir, 'kube-proxy-config.yaml'),
    kubeProxyKubeconfig: join(dir, 'kube-proxy.kubeconfig'),
    schedulerKubeconfig: join(dir, 'scheduler.kubeconfig'),
  };
}

/** containerd 1.6 (Debian) with only the CRI pieces a test node needs; its own root, state and socket per plane. */
export function containerdConfig(s: ClusterState, node: NodeState): string {
  const p = nodePaths(s.dir);
  return `version = 2
root = ${JSON.stringify(p.containerdRoot)}
state = ${JSON.stringify(p.containerdState)}
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing"]

[grpc]
  address = ${JSON.stringify(node.containerdSocket)}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${JSON.stringify(pauseImage)}
  enable_selinux = false
  # This sandbox's root lacks CAP_SYS_RESOURCE: lowering oom_score_adj (-998 for sandboxes) fails in runc init.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${JSON.stringify(p.cniConfDir)}
`;
}

/** A bridge network with host-local addresses; hairpin so a pod can reach itself through a Service. */
export function cniConflist(s: ClusterState, node: NodeState): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'kube-reflect',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: podCidr(node) }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: nodePaths(s.dir).cniDataDir,
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

/** kubelet: cgroupfs (a cgroup v1 host without systemd), swap allowed, webhook authn/authz for the apiserver's calls. */
export function kubeletConfig(s: ClusterState, node: NodeState): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupRoot: ${node.cgroupRoot}
failSwapOn: false
containerRuntimeEndpoint: unix://${node.containerdSocket}
address: ${node.nodeIp}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${s.pki.caCert}}
authorization:
  mode: Webhook
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
serializeImagePulls: false
# A shared, busy disk: never evict test pods for disk, never garbage-collect the imported images.
evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
nodeStatusReportFrequency: 10s
`;
}

/** kube-proxy in iptables mode; conntrack limits left as the kernel has them (not writable from a non-init netns). */
export function kubeProxyConfig(s: ClusterState, node: NodeState): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: ${nodePaths(s.dir).kubeProxyKubeconfig}
mode: iptables
clusterCIDR: ${podCidr(node)}
hostnameOverride: ${node.name}
bindAddress: ${node.nodeIp}
healthzBindAddress: 0.0.0.0:10256
metricsBindAddress: 127.0.0.1:10249
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`;
}

/** Writes the node's config files. */
export function writeNodeConfig(s: ClusterState, node: NodeState): void {
  const p = nodePaths(s.dir);
  writeFileSync(p.containerdConfig, containerdConfig(s, node));
  writeFileSync(join(p.cniConfDir, '10-kube-reflect.conflist'), cniConflist(s, node));
  writeFileSync(p.kubeletConfig, kubeletConfig(s, node));
  writeFileSync(p.kubeProxyConfig, kubeProxyConfig(s, node));
}

/** kube-scheduler on loopback, no leader election. */
export function schedulerArgs(s: ClusterState): string[] {
  return [
    `--kubeconfig=${nodePaths(s.dir).schedulerKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${s.ports.scheduler}`,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ];
}

/** containerd with the plane's own config. */
export function containerdArgs(s: ClusterState): string[] {
  return ['--config', nodePaths(s.dir).containerdConfig, '--log-level', 'warn'];
}

/** kubelet registering the node under its name and node address. */
export function kubeletArgs(s: ClusterState, node: NodeState): string[] {
  const p = nodePaths(s.dir);
  return [
    `--config=${p.kubeletConfig}`,
    `--kubeconfig=${p.kubeletKubeconfig}`,
    `--root-dir=${p.kubeletRoot}`,
    `--cert-dir=${join(p.kubeletRoot, 'pki')}`,
    `--node-ip=${node.nodeIp}`,
    `--hostname-override=${node.name}`,
    '--v=1',
  ];
}

/** kube-proxy from its config file. */
export function kubeProxyArgs(s: ClusterState): string[] {
  return [`--config=${nodePaths(s.dir).kubeProxyConfig}`, '--v=1'];
}
