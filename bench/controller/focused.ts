// The controller's cost of a new namespace without an API server: S sources, each with its mirror in N namespaces
// (cached as the informer caches them), then one more namespace: S focused reconciles, each gathering its world from
// the index and planning it, as controller/reconcile.ts does before writing. CPU per new namespace by N shows whether
// a focused reconcile grows with the cluster (it should not: only the planner's target count reads every namespace).
// Usage: node --import tsx bench/controller/focused.ts [--sources S] [--rounds R]   (prints numbers, asserts nothing)
import type { KubeObject, NamespaceInfo } from '../../core/index.ts';
import { Labels, planReflection, Provenance, sourceHashLabel } from '../../core/index.ts';
import { gatherWorld } from '../../controller/gatherer.ts';
import { cacheForm, KindIndex } from '../../controller/kind-index.ts';
import { numberArg } from '../lib/args.ts';

const SOURCES = numberArg('sources', 50);
const ROUNDS = numberArg('rounds', 5);

function source(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `s${i}`,
      namespace: 'platform',
      uid: `uid-s${i}`,
      resourceVersion: '1',
      annotations: { 'kube-reflect.io/to': 'team-*' },
    },
    data: { v: Buffer.from(`value ${i}`).toString('base64') },
  };
}

// A mirror as the controller caches it: our labels and provenance annotations, the source's content.
function mirror(i: number, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `s${i}`,
      namespace,
      uid: `uid-${namespace}-s${i}`,
      resourceVersion: '2',
      labels: { [Labels.mirror]: 'true', [Labels.sourceHash]: sourceHashLabel(`platform/s${i}`) },
      annotations: { [Provenance.source]: `platform/s${i}` },
    },
    data: { v: Buffer.from(`value ${i}`).toString('base64') },
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

console.log(`focused reconciles of a new namespace, ${SOURCES} sources, best of ${ROUNDS} (${process.version})`);
for (const n of [100, 1000, 3000]) {
  const index = new KindIndex('v1', 'Secret');
  const namespaces: NamespaceInfo[] = [{ name: 'platform', labels: {} }];
  for (let s = 0; s < SOURCES; s++) index.update(`platform/s${s}`, cacheForm(source(s), 'v1', 'Secret'));
  for (let t = 0; t < n; t++) {
    const ns = `team-${t}`;
    namespaces.push({ name: ns, labels: {} });
    for (let s = 0; s < SOURCES; s++) index.update(`${ns}/s${s}`, cacheForm(mirror(s, ns), 'v1', 'Secret'));
  }
  let best = Infinity;
  let writes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const fresh = `team-new-${r}`;
    const all = [...namespaces, { name: fresh, labels: {} }];
    const start = cpuMs();
    writes = 0;
    for (let s = 0; s < SOURCES; s++) {
      const key = `platform/s${s}`;
      const world = gatherWorld({ index, namespaces: all }, key, fresh);
      const plan = planReflection(world, {
        sources: [{ group: '', kind: 'Secret', namespace: 'platform', name: `s${s}` }],
        namespaces: [fresh],
      });
      writes += plan.apply.length;
    }
    best = Math.min(best, cpuMs() - start);
  }
  console.log(
    `  ${String(n).padStart(5)} namespaces (${(n * SOURCES).toLocaleString('en')} mirrors cached): ${best.toFixed(1)} ms CPU per new namespace, ${writes} writes planned`,
  );
}
