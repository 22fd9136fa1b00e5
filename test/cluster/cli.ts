// `npm run cluster -- up|down|status|user|sa|audit|load-image`: named test control planes that outlive the command.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { down, killNow, livePids, up } from './control-plane.ts';
import { attachControlPlane } from './harness.ts';
import { loadImage } from './node.ts';
import { clusterDir, clustersDir, componentNames, readState } from './state.ts';

const usage = `usage: npm run cluster -- up [--name NAME] [--audit] [--with-node] [--owner-pid PID]
       npm run cluster -- down [--name NAME]
       npm run cluster -- load-image ARCHIVE [--name NAME]              (into the node's containerd; needs --with-node)
       npm run cluster -- status
       npm run cluster -- user USER [--group GROUP]... [--name NAME]   (client-cert kubeconfig, no RBAC granted)
       npm run cluster -- sa NAMESPACE/NAME [--name NAME]               (ServiceAccount token kubeconfig)
       npm run cluster -- audit [--user USER] [--name NAME]             (requests per user, agent and verb)`;

/** Resident memory of a process in MiB, from /proc (null if unavailable). */
function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function cmdUp(name: string, audit: boolean, withNode: boolean, ownerPid: number | undefined): Promise<void> {
  const dir = clusterDir(name);
  const started = Date.now();
  let claimed = false;
  const abort = (): void => {
    if (claimed) killNow(dir);
    process.exit(130);
  };
  process.once('SIGINT', abort).once('SIGTERM', abort);
  const log = (line: string): void => console.log(`cluster ${name}: ${line}`);
  log(`starting in ${dir}${audit ? ' (audit log on)' : ''}${withNode ? ' with a node' : ''}`);
  const state = await up({
    name,
    audit,
    withNode,
    log,
    onClaim: () => (claimed = true),
    ...(ownerPid ? { ownerPid } : {}),
  });
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s; stop with: npm run cluster -- down --name ${name}`);
  if (state.auditLog) console.log(`KUBE_REFLECT_AUDIT_LOG=${state.auditLog}`);
  console.log(`KUBE_REFLECT_CLUSTER=${state.dir}`);
  console.log(`KUBECONFIG=${state.kubeconfig}`);
}

async function cmdDown(name: string): Promise<void> {
  const existed = await down(clusterDir(name));
  console.log(existed ? `cluster ${name}: stopped` : `cluster ${name}: not running`);
}

function cmdStatus(): void {
  let names: string[] = [];
  try {
    names = readdirSync(clustersDir());
  } catch {
    // no clusters dir yet
  }
  if (names.length === 0) console.log('no control planes');
  for (const name of names) {
    const state = readState(join(clustersDir(), name));
    if (!state) {
      console.log(`${name}: starting or stale (no state)`);
      continue;
    }
    const alive = livePids(state);
    const parts = componentNames
      .filter((c) => state.components[c])
      .map((c) => {
        const pid = state.components[c]?.pid;
        const rss = pid !== undefined && alive.includes(pid) ? rssMiB(pid) : null;
        return `${c}=${rss === null ? 'down' : `${rss}MiB`}`;
      });
    console.log(`${name}: ${state.server} ${parts.join(' ')} KUBECONFIG=${state.kubeconfig}`);
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'dev' },
      audit: { type: 'boolean', default: false },
      'with-node': { type: 'boolean', default: false },
      'owner-pid': { type: 'string' },
      group: { type: 'string', multiple: true },
      user: { type: 'string' },
    },
  });
  const name = values.name ?? 'dev';
  switch (positionals[0]) {
    case 'up':
      return cmdUp(
        name,
        values.audit ?? false,
        values['with-node'] ?? false,
        values['owner-pid'] ? Number(values['owner-pid']) : undefined,
      );
    case 'load-image': {
      const archive = positionals[1];
      if (!archive) break;
      const t = Date.now();
      const names = loadImage(attachControlPlane(clusterDir(name)).state(), archive);
      console.log(`cluster ${name}: imported ${archive} in ${Date.now() - t} ms; images: ${names.join(' ')}`);
      return;
    }
    case 'down':
      return cmdDown(name);
    case 'status':
      return cmdStatus();
    case 'user': {
      const user = positionals[1];
      if (!user) break;
      console.log(`KUBECONFIG=${attachControlPlane(clusterDir(name)).userKubeconfig(user, values.group ?? [])}`);
      return;
    }
    case 'sa': {
      const [namespace, sa] = (positionals[1] ?? '').split('/');
      if (!namespace || !sa) break;
      console.log(`KUBECONFIG=${await attachControlPlane(clusterDir(name)).serviceAccountKubeconfig(namespace, sa)}`);
      return;
    }
    case 'audit':
      for (const c of attachControlPlane(clusterDir(name)).auditCounts(values.user ? { user: values.user } : {})) {
        console.log(`${String(c.count).padStart(7)}  ${c.verb.padEnd(16)} ${c.user}  ${c.userAgent}`);
      }
      return;
  }
  console.error(usage);
  process.exitCode = 2;
}

// `npm run cluster -- audit | head` closes stdout early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e: unknown) => {
  console.error(`cluster: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
