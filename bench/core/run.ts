// Core benchmarks: annotation parsing on random and adversarial values, and planning at fleet scale.
// Usage: node --import tsx bench/core/run.ts
import fc from 'fast-check';
import type { KubeObject, NamespaceInfo } from '../../core/index.ts';
import { parseObject, planReflection } from '../../core/index.ts';

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const keys = [
  'kube-reflect.io/to',
  'kube-reflect.io/to-selector',
  'kube-reflect.io/allowed-namespaces',
  'kube-reflect.io/copy-labels',
  'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces',
  'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces',
  'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector',
];

// Random values, plus adversarial regexes and long lists: the worst the parser may be handed.
const random = fc.sample(fc.dictionary(fc.constantFrom(...keys), fc.string({ maxLength: 300 })), {
  numRuns: 20000,
  seed: 42,
});
const adversarial = [
  '(a+)+$',
  '(?!x)(a+)+$',
  '(.*a){12}',
  '^(?!(?:default|kube-system)$).*',
  `${'a?'.repeat(100)}${'a'.repeat(100)}`,
  Array.from({ length: 256 }, (_, i) => `team-${i}`).join(','),
  'x'.repeat(8000),
  '{a,b}'.repeat(60),
].map((v) => ({
  'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
  'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': v,
  'kube-reflect.io/copy-labels': 'all',
}));

const objects = [...random, ...adversarial].map((annotations): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'ns', annotations: annotations as Record<string, string> },
}));
// A first pass warms the JIT up, so the numbers are about inputs, not about compiling the parser.
for (const obj of objects) parseObject(obj);
const perParse: number[] = [];
const slowest: [number, string][] = [];
for (const obj of objects) {
  const ms = time(() => parseObject(obj)).ms;
  perParse.push(ms);
  slowest.push([ms, JSON.stringify(obj.metadata.annotations).slice(0, 90)]);
}
slowest.sort((a, b) => b[0] - a[0]);
const unsorted = [...perParse];
perParse.sort((a, b) => a - b);
const avg = perParse.reduce((a, b) => a + b, 0) / perParse.length;
process.stdout.write(
  `parse: ${objects.length} objects with random or adversarial annotations: mean ${(avg * 1000).toFixed(1)} µs, p99 ${(perParse[Math.floor(perParse.length * 0.99)]! * 1000).toFixed(1)} µs, max ${perParse.at(-1)!.toFixed(2)} ms (target < 1 ms each)\n`,
);

// An input over 1 ms is timed again: if it is fast the second time, the first time was a GC pause, not the input.
const over = objects.filter((_, i) => unsorted[i]! > 1);
const retimed = over.map((obj) => Math.min(...[0, 1, 2].map(() => time(() => parseObject(obj)).ms)));
process.stdout.write(
  `  ${over.length} of ${objects.length} took over 1 ms once; timed again, the slowest of them takes ${Math.max(0, ...retimed).toFixed(3)} ms\n`,
);
for (const [ms, what] of slowest.slice(0, 3)) process.stdout.write(`  slowest: ${ms.toFixed(2)} ms ${what}\n`);

// A fleet: 1,000 sources (globs, regexes, selectors) over 2,000 namespaces.
const namespaces: NamespaceInfo[] = Array.from({ length: 2000 }, (_, i) => ({
  name: `team-${i}`,
  labels: { env: i % 3 === 0 ? 'prod' : 'dev' },
}));
function annotationsFor(i: number): Record<string, string> {
  if (i % 3 === 0) return { 'kube-reflect.io/to': `team-${i % 10}*` };
  if (i % 3 === 1) return { 'kube-reflect.io/to': 'regex:^team-1[0-9]{2}$', 'kube-reflect.io/to-selector': 'env=prod' };
  return {
    'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
    'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
    'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': `team-${i % 7}.*`,
  };
}
const sources: KubeObject[] = Array.from({ length: 1000 }, (_, i) => ({
  apiVersion: 'v1',
  kind: i % 2 ? 'Secret' : 'ConfigMap',
  metadata: { name: `src-${i}`, namespace: `team-${i}`, annotations: annotationsFor(i) },
  data: { k: 'dmFsdWU=' },
}));
const whole = time(() => planReflection({ namespaces, objects: sources }));
process.stdout.write(
  `plan: 1,000 sources over 2,000 namespaces: ${whole.value.apply.length} mirrors planned in ${(whole.ms / 1000).toFixed(2)} s (${((whole.ms / whole.value.apply.length) * 1000).toFixed(1)} µs per mirror)\n`,
);
const one = time(() =>
  planReflection(
    { namespaces, objects: sources },
    {
      sources: [{ group: '', kind: 'ConfigMap', namespace: 'team-0', name: 'src-0' }],
    },
  ),
);
process.stdout.write(`plan: one source of the same world (a controller reconcile): ${one.ms.toFixed(1)} ms\n`);
