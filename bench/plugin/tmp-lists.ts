import { KubeClient } from '../../kube/client.ts';
import { loadKubeConfig } from '../../kube/config.ts';
import { SECRETS } from '../../kube/resource-type.ts';
const client = new KubeClient(loadKubeConfig({ kubeconfig: process.env.KUBECONFIG! }), { maxConcurrency: 32 });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const [label, opts] of [
  ['limit 5000', { limit: 5000 }], ['limit 500', { limit: 500 }], ['limit 0 (one response)', { limit: 0 }],
  ['limit 5000', { limit: 5000 }], ['limit 0 (one response)', { limit: 0 }], ['metadata only, limit 5000', { limit: 5000, metadataOnly: true }],
] as const) {
  const t0 = performance.now(); const c0 = cpu(); let pages = 0;
  const r = await client.list(SECRETS, { ...opts, onPage: () => pages++ });
  console.log(`${label}: ${r.items.length} items, ${pages} pages, ${(performance.now() - t0).toFixed(0)} ms wall, client cpu ${(cpu() - c0).toFixed(0)} ms`);
}
client.close();
