import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../core/index.ts';
import { SECRETS } from '../kube/resource-type.ts';
import type { MemoryCluster } from '../kube/test-support/memory-cluster.ts';
import { checkScenario, loadScenarios } from '../test/scenarios/catalogue.ts';
import type { ScenarioOptions } from '../test/scenarios/catalogue.ts';
import { seedCluster } from '../test/scenarios/seed.ts';
import type { GlobalOptions } from './options.ts';
import { syncOnce } from './sync.ts';
import { clusterSession, runOnCluster } from './testdata/harness.ts';
import { NETWORK_POLICIES, SCENARIO_TYPES } from '../test/scenarios/resource-types.ts';
import { pluginFlagsOf, pluginOptionsOf, SCENARIO_KIND_NAMES } from '../test/scenarios/plugin-options.ts';

const TYPES = SCENARIO_TYPES;
const KINDS = SCENARIO_KIND_NAMES;

/** The scenario's options as the session's GlobalOptions, over every scenario namespace. */
function optionsOf(o: ScenarioOptions, within: string[]): Partial<GlobalOptions> {
  return { allNamespaces: true, kinds: [...KINDS], within, ...pluginOptionsOf(o) };
}

const objectsOf = (cluster: MemoryCluster): KubeObject[] => TYPES.flatMap((t) => cluster.all(t));

describe('kubectl reflect sync: the scenario catalogue on an in-memory cluster', () => {
  for (const scenario of loadScenarios('plugin')) {
    it(`${scenario.file}: ${scenario.name}`, async () => {
      const cluster = await seedCluster(scenario, TYPES);
      const within = scenario.namespaces.map((n) => n.name);
      const first = await runOnCluster(cluster, [
        'sync',
        '-A',
        `--within=${within.join(',')}`,
        `--kinds=${KINDS.join(',')}`,
        ...pluginFlagsOf(scenario.options),
      ]);
      assert.ok(
        first.code === 0 || /^error: /m.test(first.stderr),
        `exit ${first.code} without an error: ${first.stderr}`,
      );
      // A second sync plans from the new state: nothing to write (the plan converged in one pass), and its findings.
      const again = await syncOnce(await clusterSession(cluster, optionsOf(scenario.options, within)), {});
      assert.deepEqual(
        again.writes.map((w) => `${w.action} ${w.object} ${w.reason}`),
        [],
        'a second sync wrote',
      );
      assert.deepEqual(checkScenario(scenario, { objects: objectsOf(cluster), findings: again.plan.findings }), []);
      const errors = again.plan.findings.some((f) => f.severity === 'error');
      assert.equal(first.code, errors ? 1 : 0, `exit code with${errors ? '' : 'out'} error findings: ${first.stderr}`);
    });
  }
});

describe('kubectl reflect resolves [kind/]name through discovery (issue 11)', () => {
  const policy = (name: string, to: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'platform', annotations: { 'kube-reflect.io/to': to } },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const seed = () =>
    seedCluster(
      {
        ...loadScenarios()[0]!,
        namespaces: ['platform', 'team-a', 'team-b'].map((name) => ({ name, labels: {} })),
        objects: [
          policy('deny', 'team-a'),
          // A Secret of the same name: naming the NetworkPolicy must not sync it.
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'deny', namespace: 'platform', annotations: { 'kube-reflect.io/to': 'team-a' } },
            data: {},
          },
        ],
      },
      TYPES,
    );

  for (const arg of [
    'networkpolicies/deny',
    'netpol/deny',
    'networkpolicy/deny',
    'networkpolicy.networking.k8s.io/deny',
  ])
    it(`sync ${arg} writes that NetworkPolicy's mirror and nothing else`, async () => {
      const cluster = await seed();
      const out = await runOnCluster(cluster, ['sync', arg, '-n', 'platform', '--kinds=secrets']);
      assert.equal(out.stderr, '');
      assert.equal(out.code, 0);
      assert.equal(out.stdout, 'networkpolicy.networking.k8s.io/team-a/deny created\n');
      assert.deepEqual(
        cluster.all(SECRETS).map((o) => o.metadata.namespace),
        ['platform'],
      );
    });

  it('explain netpol/x explains the NetworkPolicy', async () => {
    const out = await runOnCluster(await seed(), ['explain', 'netpol/deny', '-n', 'platform', '--kinds=secrets']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^NetworkPolicy platform\/deny: It pushes mirrors named deny/m);
  });

  it('a kind the cluster does not serve is an error, not "Nothing to do"', async () => {
    const out = await runOnCluster(await seed(), ['sync', 'widgets/deny', '-n', 'platform']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^error: .*widgets/m);
  });

  it('sync -A --exclude-namespaces writes only where the controller would', async () => {
    const cluster = await seed();
    await cluster.apply(NETWORK_POLICIES, policy('wide', 'all'), { fieldManager: 'user' });
    const out = await runOnCluster(cluster, ['sync', '-A', '--kinds=networkpolicies', '--exclude-namespaces=team-b']);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(
      cluster
        .all(NETWORK_POLICIES)
        .filter((o) => o.metadata.name === 'wide')
        .map((o) => o.metadata.namespace)
        .sort(),
      ['platform', 'team-a'],
    );
  });
});
