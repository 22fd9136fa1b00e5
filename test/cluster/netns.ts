// The test node's own network namespace, joined to the host by a veth pair: its iptables (kube-proxy), bridge (CNI)
// and pod addresses never touch the host's, so several planes with nodes can run side by side and `down` leaves none.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Addresses of one node's link: host side 10.213.<slot>.1/30, node side 10.213.<slot>.2/30. */
export interface NodeLink {
  slot: number;
  netns: string;
  hostVeth: string;
  nodeVeth: string;
  hostIp: string;
  nodeIp: string;
}

function ip(args: string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || String(e)}`);
  }
}

/** Runs `ip` inside the namespace. */
function ipIn(netns: string, args: string[]): string {
  return ip(['-n', netns, ...args]);
}

/** The path `nsenter --net=` takes for a named namespace. */
export function netnsPath(netns: string): string {
  return `/run/netns/${netns}`;
}

/** argv that runs `bin args` inside the node's network namespace only (mounts and cgroups stay the host's). */
export function inNetns(netns: string, bin: string, args: readonly string[]): { bin: string; args: string[] } {
  // Not `ip netns exec`: it remounts /sys in a new mount namespace, which hides the cgroup v1 hierarchies.
  return { bin: 'nsenter', args: [`--net=${netnsPath(netns)}`, '--', bin, ...args] };
}

function usedSlots(): Set<number> {
  const used = new Set<number>();
  for (const m of ip(['-4', '-o', 'addr']).matchAll(/inet 10\.213\.(\d+)\.1\//g)) used.add(Number(m[1]));
  return used;
}

function writeSysctl(netns: string, key: string, value: string): void {
  execFileSync('nsenter', [`--net=${netnsPath(netns)}`, '--', 'sysctl', '-q', '-w', `${key}=${value}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Creates the namespace `netns` and its veth link on a free 10.213.x.0/30; returns the addresses. */
export function createNodeLink(netns: string): NodeLink {
  if (existsSync(netnsPath(netns))) deleteNodeLink(netns); // a crashed run's leftover of the same plane
  const used = usedSlots();
  let slot = 1;
  while (used.has(slot)) slot++;
  if (slot > 254) throw new Error('no free 10.213.x.0/30 link for another test node');
  const link: NodeLink = {
    slot,
    netns,
    hostVeth: `krh${slot}`,
    nodeVeth: `krn${slot}`,
    hostIp: `10.213.${slot}.1`,
    nodeIp: `10.213.${slot}.2`,
  };
  ip(['netns', 'add', netns]);
  try {
    ip(['link', 'add', link.hostVeth, 'type', 'veth', 'peer', 'name', link.nodeVeth]);
    ip(['link', 'set', link.nodeVeth, 'netns', netns]);
    ip(['addr', 'add', `${link.hostIp}/30`, 'dev', link.hostVeth]);
    ip(['link', 'set', link.hostVeth, 'up']);
    ipIn(netns, ['link', 'set', 'lo', 'up']);
    ipIn(netns, ['addr', 'add', `${link.nodeIp}/30`, 'dev', link.nodeVeth]);
    ipIn(netns, ['link', 'set', link.nodeVeth, 'up']);
    ipIn(netns, ['route', 'add', 'default', 'via', link.hostIp]);
    // Pods route through the node (bridge → veth), and Services need bridged traffic to pass iptables.
    writeSysctl(netns, 'net.ipv4.ip_forward', '1');
    if (existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) {
      writeSysctl(netns, 'net.bridge.bridge-nf-call-iptables', '1');
    }
  } catch (e) {
    deleteNodeLink(netns);
    throw e;
  }
  return link;
}

/** Deletes the namespace (its end of the veth goes with it, and so the host end); a no-op if it is gone. */
export function deleteNodeLink(netns: string): void {
  if (!existsSync(netnsPath(netns))) return;
  try {
    ip(['netns', 'delete', netns]);
  } catch {
    // still held by a dying process; the next `up` of this name retries
  }
}
