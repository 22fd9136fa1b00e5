// Transform benchmarks: the cost of one rule on one mirror, and a 1 → 1,000 fan-out with 10 rules against the same
// fan-out without rules, measured in the same run and interleaved (the ratio is what matters on a loaded machine).
// Usage: node --import tsx bench/core/transform.ts [--namespaces N] [--rounds N]
import type { KubeObject, NamespaceInfo } from '../../core/index.ts';
import { Native, parseObject, planReflection } from '../../core/index.ts';
import { renderMirrorOutcome } from '../../core/render.ts';
import { numberArg } from '../lib/args.ts';

const NAMESPACES = numberArg('namespaces', 1000);
const ROUNDS = numberArg('rounds', 7);

// Ten rules of every kind, as the README's examples mix them: static values, templates with functions and
// conditions, a merge, a delete, a quoted key, and patterns that match some namespaces and not others.
const TEN_RULES = `rules:
  - path: data.LOG_LEVEL
    value: error
    namespacePattern: "prod-*"
  - path: data.LOG_LEVEL
    value: debug
    namespacePattern: "dev-*"
  - path: data.API_URL
    template: "https://{{.TargetNamespace}}.api.example.com"
  - path: data.DB_HOST
    template: "{{.TargetNamespace}}.postgres.svc.cluster.local"
  - path: data.SERVICE
    template: "{{replace .TargetNamespace \\"-\\" \\"_\\" | upper}}"
  - path: data.TIER
    template: '{{if hasPrefix .TargetNamespace "prod-"}}gold{{else}}{{default "bronze" .Labels.tier}}{{end}}'
  - path: data["app.properties"]
    template: "name={{.SourceName}}\\nnamespace={{.TargetNamespace}}\\nowner={{index .Annotations \\"owner\\"}}"
  - path: metadata.labels
    merge: { environment: shared, team: platform }
  - path: data.DEBUG_MODE
    delete: true
  - path: data.BANNER
    template: '{{printf "%s/%s -> %s" .SourceNamespace .SourceName .TargetNamespace | quote}}'
`;

const DATA = {
  LOG_LEVEL: 'info',
  API_URL: 'https://localhost:8080',
  DB_HOST: 'localhost',
  DEBUG_MODE: 'true',
  'app.properties': 'name=local',
  ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`KEY_${i}`, `value-${i}-${'x'.repeat(40)}`])),
};

function source(rules: string | undefined): KubeObject {
  const annotations: Record<string, string> = { [Native.to]: 'all', owner: 'platform-team' };
  if (rules !== undefined) annotations[Native.transform] = rules;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app-config', namespace: 'platform', labels: { tier: 'silver' }, annotations },
    data: DATA,
  };
}

const namespaces: NamespaceInfo[] = [
  { name: 'platform', labels: {} },
  ...Array.from({ length: NAMESPACES }, (_, i) => ({
    name: `${['prod', 'dev', 'team'][i % 3]}-${i}`,
    labels: {},
  })),
];

// CPU time of this process (all its threads, the collector's too), not wall time: on a machine shared by several
// builds, wall time mostly measures how long the scheduler kept us waiting.
function ms(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

// 1. Cost per rule per mirror: render one mirror many times with 0 and with 10 rules.
const plain = source(undefined);
const ruled = source(TEN_RULES);
const plainSpec = parseObject(plain).spec!;
const ruledSpec = parseObject(ruled).spec!;
const N = 5000;
const renderAll = (src: KubeObject, spec: typeof plainSpec) => {
  for (let i = 0; i < N; i++)
    renderMirrorOutcome(src, spec, { namespace: `prod-${i % 1000}`, name: 'app-config' }, 'push');
};
renderAll(plain, plainSpec);
renderAll(ruled, ruledSpec);
const perMirror: { plain: number[]; ruled: number[] } = { plain: [], ruled: [] };
for (let r = 0; r < ROUNDS; r++) {
  perMirror.plain.push((ms(() => renderAll(plain, plainSpec)) * 1000) / N);
  perMirror.ruled.push((ms(() => renderAll(ruled, ruledSpec)) * 1000) / N);
}
const plainUs = median(perMirror.plain);
const ruledUs = median(perMirror.ruled);
const perRuleUs = (ruledUs - plainUs) / 10;
console.log(`render one mirror, no rules:     ${plainUs.toFixed(1)} µs`);
console.log(`render one mirror, 10 rules:     ${ruledUs.toFixed(1)} µs`);
console.log(`cost per rule per mirror:        ${perRuleUs.toFixed(2)} µs (target ≤ 20 µs)`);

// 2. A 1 → N fan-out planned from scratch (every mirror missing), with and without the ten rules, interleaved.
const worldOf = (src: KubeObject) => ({ namespaces, objects: [src] });
const plan = (src: KubeObject) => planReflection(worldOf(src));
plan(plain);
plan(ruled);
const fanout: { plain: number[]; ruled: number[] } = { plain: [], ruled: [] };
for (let r = 0; r < ROUNDS; r++) {
  fanout.plain.push(ms(() => plan(plain)));
  fanout.ruled.push(ms(() => plan(ruled)));
}
const fp = median(fanout.plain);
const fr = median(fanout.ruled);
console.log(`fan-out 1 → ${NAMESPACES}, no rules:       ${fp.toFixed(1)} ms (median of ${ROUNDS})`);
console.log(`fan-out 1 → ${NAMESPACES}, 10 rules:       ${fr.toFixed(1)} ms`);
console.log(`ratio with/without rules:        ${(fr / fp).toFixed(2)}x (target ≤ 1.2x)`);

// 3. The worst a hostile source can ask for: 50 templates that each run into the step budget, in every namespace.
const hostile = `rules:\n${Array.from(
  { length: 50 },
  (_, i) =>
    `  - path: data.K${i}\n    template: '{{replace (replace (replace .TargetNamespace "" "0123456789") "" "0123456789") "" "0123456789"}}'\n`,
).join('')}`;
const hostileSrc = source(hostile);
const hostileSpec = parseObject(hostileSrc).spec!;
const worst = median(
  Array.from({ length: 3 }, () =>
    ms(() => {
      for (let i = 0; i < 100; i++)
        renderMirrorOutcome(hostileSrc, hostileSpec, { namespace: `prod-${i}`, name: 'app-config' }, 'push');
    }),
  ),
);
console.log(`hostile source (50 budget-bound templates): ${((worst * 1000) / 100).toFixed(0)} µs per mirror`);
