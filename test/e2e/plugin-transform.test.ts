// kubectl reflect and transform rules on a real kube-apiserver (issue 13): a Deployment whose image is rewritten per
// team, with a transform-strict rule that fails in one namespace. sync writes no mirror there; status and explain
// name the TransformFailed finding, list per namespace which rules applied, and mark the transformed mirrors; the
// mirror the server defaulted (strategy, dnsPolicy, imagePullPolicy...) reads as in sync, so a second sync writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../core/index.ts';
import { isNotFound } from '../../kube/errors.ts';
import type { KubeClient } from '../../kube/client.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { useTestControlPlane } from '../cluster/harness.ts';
import { DEPLOYMENTS } from '../scenarios/resource-types.ts';
import { adminClient, createObjects, ensureNamespaces } from './support/controller-harness.ts';
import { buildPlugin, kubectlReflect } from './support/kubectl-reflect.ts';

const p = `tf${process.pid % 10000}`;
const ns = { src: `${p}-platform`, a: `${p}-team-a`, b: `${p}-team-b` };
const within = `--within=${Object.values(ns).join(',')}`;
// A Deployment runs pods as its target namespace: mirrored only from namespaces the administrator names.
const kinds = ['--kinds=deployments.apps', `--access-kind-source-namespaces=${ns.src}`];

/** The source: rule 1 applies everywhere; rule 2 (team-b only) names a second container the Deployment lacks. */
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: ns.src,
    annotations: {
      'kube-reflect.io/to': `${ns.a}, ${ns.b}`,
      'kube-reflect.io/transform-strict': 'true',
      'kube-reflect.io/transform': [
        'rules:',
        '  - path: spec.template.spec.containers[0].image',
        '    template: "registry.{{.TargetNamespace}}.example.com/app:v1"',
        '  - path: spec.template.spec.containers[1].image',
        '    value: "registry.example.com/audit-sidecar:v2"',
        `    namespacePattern: "${ns.b}"`,
        '',
      ].join('\n'),
    },
  },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/app:v1' }] },
    },
  },
};

type StatusList = {
  items: {
    metadata: { name: string };
    status: {
      health: string;
      mirrors: {
        namespace: string;
        mode: string;
        state: string;
        transform?: { applied: number[]; failed: number[] };
      }[];
      findings: { severity: string; reason: string; message: string; annotation?: string }[];
    };
  }[];
};

describe('kubectl reflect: transform rules on a real API server', () => {
  let kubeconfig: string;
  let client: KubeClient;
  let firstSync: { code: number; stdout: string; stderr: string };

  before(async () => {
    buildPlugin();
    kubeconfig = (await useTestControlPlane()).kubeconfigPath;
    client = await adminClient();
    await ensureNamespaces(
      client,
      Object.values(ns).map((name) => ({ name, labels: {} })),
    );
    await createObjects(client, [deployment]);
    firstSync = await kubectlReflect(kubeconfig, ['sync', '-n', ns.src, within, ...kinds]);
  });
  after(async () => {
    for (const name of Object.values(ns)) await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
    client.close();
  });

  const get = (namespace: string) =>
    client.get<KubeObject>(DEPLOYMENTS, namespace, 'api').then(
      (o) => o,
      (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)),
    );

  it('sync writes the transformed mirror where every rule applied, and none where the strict rule failed', async () => {
    assert.equal(firstSync.code, 0, firstSync.stderr);
    assert.equal(firstSync.stdout, `deployment.apps/${ns.a}/api created\n`);
    assert.match(
      firstSync.stderr,
      new RegExp(
        `^warning: TransformFailed: Deployment ${ns.b}/api: transform rule 2 \\(spec\\.template\\.spec\\.containers\\[1\\]\\.image\\) failed: .*index out of range.*; the mirror was not written \\(transform-strict\\)$`,
        'm',
      ),
    );
    const mirror = await get(ns.a);
    assert.ok(mirror, 'the mirror in team-a exists');
    const spec = mirror.spec as { template: { spec: { containers: { image: string; imagePullPolicy?: string }[] } } };
    assert.equal(spec.template.spec.containers[0]?.image, `registry.${ns.a}.example.com/app:v1`);
    // The server defaulted the source; the mirror carries the same defaults.
    assert.equal(spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(await get(ns.b), undefined, 'no mirror in team-b');
  });

  it('a second sync writes nothing: the server-defaulted mirror is in sync', async () => {
    const again = await kubectlReflect(kubeconfig, ['sync', '-n', ns.src, within, ...kinds]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.equal(await get(ns.b), undefined, 'still no mirror in team-b');
  });

  it('status -o json: the TransformFailed finding, each mirror marked with the rules applied and failed', async () => {
    const out = await kubectlReflect(kubeconfig, ['status', '-n', ns.src, within, ...kinds, '-o', 'json']);
    assert.equal(out.code, 0, out.stderr);
    const list = JSON.parse(out.stdout) as StatusList;
    assert.equal(list.items.length, 1);
    const status = list.items[0]!.status;
    assert.deepEqual(status.mirrors, [
      { namespace: ns.a, name: 'api', mode: 'push', state: 'in-sync', transform: { applied: [1], failed: [] } },
      { namespace: ns.b, name: 'api', mode: 'push', state: 'blocked', transform: { applied: [1], failed: [2] } },
    ]);
    assert.deepEqual(
      status.findings.map((f) => [f.severity, f.reason, f.annotation]),
      [['warning', 'TransformFailed', 'kube-reflect.io/transform']],
    );
    assert.match(status.findings[0]!.message, new RegExp(`^Deployment ${ns.b}/api: transform rule 2 `));
  });

  it('status of the source marks its transformed mirrors in the mirror table', async () => {
    const out = await kubectlReflect(kubeconfig, ['status', 'deployment/api', '-n', ns.src, within, ...kinds]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`^deployment\\.apps/api +${ns.a}/api +push\\+transform +in-sync$`, 'm'));
    assert.match(out.stdout, new RegExp(`^deployment\\.apps/api +${ns.b}/api +push\\+transform +blocked$`, 'm'));
  });

  it('explain names the finding, the namespace with no mirror, and the rules applied per namespace', async () => {
    const out = await kubectlReflect(kubeconfig, ['explain', 'deploy/api', '-n', ns.src, within, ...kinds]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stdout,
      new RegExp(
        `^ {2}warning {2}TransformFailed {2}Deployment ${ns.b}/api: transform rule 2 .*\\(transform-strict\\) \\(annotation kube-reflect.io/transform\\)$`,
        'm',
      ),
    );
    assert.match(
      out.stdout,
      new RegExp(`^${ns.a} +yes +in-sync +yes +selected by exact "${ns.a}" in kube-reflect.io/to$`, 'm'),
    );
    assert.match(
      out.stdout,
      new RegExp(
        `^${ns.b} +yes +blocked +yes +selected by exact "${ns.b}" in kube-reflect.io/to, but not written: a transform-strict rule failed here$`,
        'm',
      ),
    );
    const rules = out.stdout.slice(out.stdout.indexOf('Transform rules, per namespace:'));
    assert.equal(
      rules,
      [
        'Transform rules, per namespace:',
        `  ${ns.a}  applied: 1 spec.template.spec.containers[0].image (template)`,
        `  ${ns.b}  applied: 1 spec.template.spec.containers[0].image (template); failed: 2 spec.template.spec.containers[1].image (value, ${ns.b})`,
        '',
      ].join('\n'),
    );
  });
});
