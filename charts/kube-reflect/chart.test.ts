import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { chartDir, helm, KUBE_VERSION, renderObjects, renderYaml } from './render.ts';
import type { RenderedObject } from './render.ts';

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };
type Container = {
  args: string[];
  securityContext: Record<string, unknown>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
};

const READ_WRITE = ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'];
const EVENT_RULES: Rule[] = [
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];
const LEASE_RULES: Rule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['kube-reflect-controller'],
    verbs: ['get', 'update'],
  },
];

const find = (objs: RenderedObject[], kind: string, name?: string, namespace?: string) =>
  objs.filter(
    (o) =>
      o.kind === kind &&
      (name === undefined || o.metadata.name === name) &&
      (namespace === undefined || o.metadata.namespace === namespace),
  );
const rulesOf = (o: RenderedObject | undefined): Rule[] => (o?.rules as Rule[] | undefined) ?? [];
const container = (objs: RenderedObject[]): Container => {
  const d = find(objs, 'Deployment')[0] as { spec: { template: { spec: { containers: Container[] } } } } | undefined;
  const c = d?.spec.template.spec.containers[0];
  assert.ok(c, 'a controller container');
  return c;
};

/** Every string anywhere in the RBAC objects' rules, to prove no wildcard is granted. */
function ruleStrings(objs: RenderedObject[]): string[] {
  return objs
    .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
    .flatMap((o) => rulesOf(o).flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.verbs ?? [])]));
}

describe('charts/kube-reflect', () => {
  it('passes helm lint', () => {
    const r = helm(['lint', chartDir, '--strict', '--kube-version', KUBE_VERSION]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('renders standard labels, two replicas with leader election, and a PDB', () => {
    const objs = renderObjects();
    assert.deepEqual(objs.map((o) => o.kind).sort(), [
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Pod',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    for (const o of objs) {
      const l = o.metadata.labels ?? {};
      for (const k of ['helm.sh/chart', 'app.kubernetes.io/name', 'app.kubernetes.io/instance'])
        assert.ok(l[k], `${o.kind} has ${k}`);
      assert.equal(l['app.kubernetes.io/managed-by'], 'Helm');
    }
    const d = find(objs, 'Deployment')[0] as unknown as {
      spec: { replicas: number; selector: { matchLabels: Record<string, string> } };
    };
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'kube-reflect',
      'app.kubernetes.io/instance': 'kube-reflect',
    });
    assert.deepEqual((find(objs, 'PodDisruptionBudget')[0]?.spec as { minAvailable: number }).minAvailable, 1);
    const args = container(objs).args;
    for (const a of [
      '--kinds=secrets,configmaps',
      '--leader-elect',
      '--leader-election-namespace=kube-reflect',
      '--leader-election-id=kube-reflect-controller',
      '--metrics-bind-address=:8080',
      '--health-probe-bind-address=:8081',
      '--log-level=info',
    ])
      assert.ok(args.includes(a), `args include ${a}: ${args.join(' ')}`);
  });

  it('runs under the restricted Pod Security Standard with probes on the health port', () => {
    const objs = renderObjects();
    const pod = (find(objs, 'Deployment')[0] as unknown as { spec: { template: { spec: Record<string, unknown> } } })
      .spec.template.spec;
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal(pod.hostNetwork, undefined);
    const c = container(objs);
    assert.deepEqual(c.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'health' });
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'health' });
    assert.deepEqual(c.startupProbe.httpGet, { path: '/readyz', port: 'health' });
    assert.deepEqual(
      c.ports.map((p) => [p.name, p.containerPort]),
      [
        ['health', 8081],
        ['metrics', 8080],
      ],
    );
    const sa = find(objs, 'ServiceAccount')[0] as { automountServiceAccountToken?: boolean } | undefined;
    assert.equal(sa?.automountServiceAccountToken, false);
  });

  it('grants exactly: namespaces read, mirrored kinds read/write, events create/patch, its own Lease', () => {
    const objs = renderObjects();
    assert.deepEqual(rulesOf(find(objs, 'ClusterRole')[0]), [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: READ_WRITE },
      { apiGroups: [''], resources: ['configmaps'], verbs: READ_WRITE },
      ...EVENT_RULES,
    ]);
    const lease = find(objs, 'Role', 'kube-reflect-leader-election', 'kube-reflect')[0];
    assert.deepEqual(rulesOf(lease), LEASE_RULES);
    assert.ok(!ruleStrings(objs).some((s) => s.includes('*')), 'no wildcard anywhere');
    const crb = find(objs, 'ClusterRoleBinding')[0] as unknown as { subjects: unknown[]; roleRef: { name: string } };
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'kube-reflect', namespace: 'kube-reflect' }]);
  });

  it('maps extra kinds given as {group, resource} to their API group and to --kinds', () => {
    const objs = renderObjects({
      kinds: ['secrets', { group: 'networking.k8s.io', resource: 'networkpolicies' }, { resource: 'services' }],
    });
    assert.deepEqual(rulesOf(find(objs, 'ClusterRole')[0]), [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: READ_WRITE },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ_WRITE },
      { apiGroups: [''], resources: ['services'], verbs: READ_WRITE },
      ...EVENT_RULES,
    ]);
    assert.ok(container(objs).args.includes('--kinds=secrets,networkpolicies.networking.k8s.io,services'));
    assert.ok(!ruleStrings(objs).some((s) => s.includes('*')));
  });

  it('kinds: auto passes --kinds auto and the discovery interval, and only then grants every resource', () => {
    const objs = renderObjects({ kinds: 'auto', discoveryInterval: '10m' });
    assert.deepEqual(rulesOf(find(objs, 'ClusterRole')[0]), [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['*'], resources: ['*'], verbs: READ_WRITE },
      ...EVENT_RULES,
    ]);
    const args = container(objs).args;
    assert.ok(args.includes('--kinds=auto'), args.join(' '));
    assert.ok(args.includes('--discovery-interval=10m'));
    assert.ok(!ruleStrings(objs).some((s) => s.includes('bind') || s.includes('escalate')), 'no bind/escalate');
    // Access-granting kinds then need an administrator's namespaces, and only then bind/escalate on Roles.
    const access = renderObjects({ kinds: 'auto', accessKindSourceNamespaces: ['platform'] });
    assert.ok(ruleStrings(access).some((s) => s.includes('escalate')));
    assert.ok(!container(renderObjects()).args.some((a) => a.startsWith('--discovery-interval')));
  });

  it("passes the peers' --allow-all and --ignore-unknown only when asked", () => {
    const peerFlags = (values: object) =>
      container(renderObjects(values)).args.filter((a) => /^--(allow-all|ignore-unknown)/.test(a));
    assert.deepEqual(peerFlags({}), []);
    assert.deepEqual(peerFlags({ allowAll: true, ignoreUnknown: true }), ['--allow-all', '--ignore-unknown']);
  });

  it('cross-cluster: mounts the remote kubeconfig Secret, passes the flags, grants the synced types and Namespace create/delete', () => {
    const objs = renderObjects({
      crossCluster: {
        enabled: true,
        remoteKubeconfigSecret: { name: 'mgmt', key: 'config' },
        syncResources: ['db.example.com/v1/databases', 'v1/configmaps'],
        remoteResourceSuffix: '-us1',
        remoteNamespaces: ['tenant-a', 'tenant-b'],
        localSecretNames: ['creds'],
      },
    });
    assert.deepEqual(rulesOf(find(objs, 'ClusterRole')[0]).slice(-4), [
      { apiGroups: ['db.example.com'], resources: ['databases'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['create', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'patch'] },
    ]);
    const c = container(objs);
    for (const flag of [
      '--remote-kubeconfig=/etc/kube-reflect/remote/config',
      '--sync-resource=db.example.com/v1/databases',
      '--sync-resource=v1/configmaps',
      '--remote-resource-suffix=-us1',
      '--remote-namespaces=tenant-a,tenant-b',
      '--local-secret-names=creds',
      '--local-propagation-policy=Foreground',
    ])
      assert.ok(c.args.includes(flag), flag);
    const d = find(objs, 'Deployment')[0] as unknown as { spec: { template: { spec: { volumes: unknown[] } } } };
    assert.deepEqual(d.spec.template.spec.volumes.at(-1), {
      name: 'remote-kubeconfig',
      secret: { secretName: 'mgmt' },
    });
    assert.equal(rulesOf(find(renderObjects(), 'ClusterRole')[0]).length, 5, 'nothing extra when off');
  });

  it('namespaced mode: Roles only in the listed namespaces, Namespace reads by name, --namespaces', () => {
    const objs = renderObjects({ namespaced: { enabled: true, namespaces: ['team-a', 'team-b'] } });
    const clusterRoles = find(objs, 'ClusterRole');
    assert.deepEqual(
      clusterRoles.map((r) => [r.metadata.name, rulesOf(r)]),
      [
        [
          'kube-reflect-namespaces',
          [
            {
              apiGroups: [''],
              resources: ['namespaces'],
              resourceNames: ['team-a', 'team-b'],
              verbs: ['get', 'list', 'watch'],
            },
          ],
        ],
      ],
    );
    for (const ns of ['team-a', 'team-b']) {
      assert.deepEqual(rulesOf(find(objs, 'Role', 'kube-reflect', ns)[0]), [
        { apiGroups: [''], resources: ['secrets'], verbs: READ_WRITE },
        { apiGroups: [''], resources: ['configmaps'], verbs: READ_WRITE },
        ...EVENT_RULES,
      ]);
      assert.equal(find(objs, 'RoleBinding', 'kube-reflect', ns).length, 1);
    }
    assert.deepEqual(
      find(objs, 'Role')
        .map((r) => `${r.metadata.namespace}/${r.metadata.name}`)
        .sort(),
      ['kube-reflect/kube-reflect-leader-election', 'team-a/kube-reflect', 'team-b/kube-reflect'],
    );
    assert.ok(container(objs).args.includes('--namespaces=team-a,team-b'));
    assert.ok(!ruleStrings(objs).some((s) => s.includes('*')));
    assert.match(
      helm(['template', 'x', chartDir, '--kube-version', KUBE_VERSION], { namespaced: { enabled: true } }).stderr,
      /namespaced.namespaces/,
    );
  });

  it('renders a PDB only with more than one replica, and refuses two replicas without leader election', () => {
    const one = renderObjects({ replicaCount: 1, leaderElection: { enabled: false } });
    assert.equal(find(one, 'PodDisruptionBudget').length, 0);
    assert.ok(!container(one).args.includes('--leader-elect'));
    assert.equal(find(one, 'Role').length, 0, 'no Lease Role without leader election');
    const r = helm(['template', 'x', chartDir, '--kube-version', KUBE_VERSION], { leaderElection: { enabled: false } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /leaderElection.enabled/);
  });

  it('renders a ServiceMonitor only when enabled and the cluster serves monitoring.coreos.com/v1', () => {
    assert.equal(find(renderObjects({ serviceMonitor: { enabled: true } }), 'ServiceMonitor').length, 0);
    const opts = { apiVersions: ['monitoring.coreos.com/v1'] };
    assert.equal(find(renderObjects({}, opts), 'ServiceMonitor').length, 0);
    const sm = find(renderObjects({ serviceMonitor: { enabled: true } }, opts), 'ServiceMonitor')[0];
    assert.deepEqual((sm?.spec as { endpoints: unknown[] }).endpoints, [
      { port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' },
    ]);
    const off = renderObjects({ metrics: { enabled: false } });
    assert.equal(find(off, 'Service').length, 0);
    assert.ok(container(off).args.includes('--metrics-bind-address=0'));
  });

  it('places pods as configured', () => {
    const objs = renderObjects({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
      ],
      affinity: { podAntiAffinity: {} },
    });
    const pod = (find(objs, 'Deployment')[0] as unknown as { spec: { template: { spec: Record<string, unknown> } } })
      .spec.template.spec;
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
    assert.equal(pod.priorityClassName, 'system-cluster-critical');
    assert.equal((pod.tolerations as unknown[]).length, 1);
    assert.equal((pod.topologySpreadConstraints as unknown[]).length, 1);
    assert.deepEqual(pod.affinity, { podAntiAffinity: {} });
  });

  it('rejects values the schema does not know', () => {
    for (const values of [
      { kinds: ['pods'] },
      { kinds: [{ group: 'apps' }] },
      { replicas: 3 },
      { logLevel: 'trace' },
    ]) {
      const r = helm(['template', 'x', chartDir, '--kube-version', KUBE_VERSION], values);
      assert.notEqual(r.status, 0, JSON.stringify(values));
    }
  });

  it('has no default image: installing without one fails saying how to build and push it', () => {
    const r = helm(['template', 'x', chartDir, '--kube-version', KUBE_VERSION], { image: { repository: '' } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /image\.repository is not set: .*npm run image.*docs\/install\.md/);
    const c = container(renderObjects({ image: { repository: 'r.example/kr', tag: '1.2.3' } })) as Container & {
      image: string;
    };
    assert.equal(c.image, 'r.example/kr:1.2.3');
  });

  it("excludes the cluster's own namespaces by default, and passes the multi-tenant policy flags when set", () => {
    assert.ok(container(renderObjects()).args.includes('--exclude-namespaces=kube-system,kube-public,kube-node-lease'));
    assert.ok(!container(renderObjects({ excludeNamespaces: [] })).args.some((a) => a.startsWith('--exclude-')));
    const args = container(renderObjects({ pushSourceNamespaces: ['platform'] })).args;
    assert.ok(args.includes('--push-source-namespaces=platform'));
    assert.ok(!args.some((a) => a.startsWith('--access-kind-source-namespaces')));
  });

  it('refuses access-granting kinds unless an administrator names their source namespaces, then grants bind/escalate', () => {
    const kinds = ['secrets', { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }];
    const r = helm(['template', 'x', chartDir, '--kube-version', KUBE_VERSION], { kinds });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /rolebindings .*accessKindSourceNamespaces/);
    assert.doesNotMatch(renderYaml(), /escalate/);
    const objs = renderObjects({ kinds, accessKindSourceNamespaces: ['platform'] });
    assert.ok(container(objs).args.includes('--access-kind-source-namespaces=platform'));
    assert.ok(
      rulesOf(find(objs, 'ClusterRole')[0]).some(
        (x) => x.resources?.includes('roles') && x.verbs?.join() === 'bind,escalate',
      ),
    );
  });

  it('renders a NetworkPolicy only when enabled: health port open, metrics only from the given peers, egress to the API', () => {
    assert.equal(find(renderObjects(), 'NetworkPolicy').length, 0);
    const peer = { namespaceSelector: { matchLabels: { name: 'monitoring' } } };
    const np = find(renderObjects({ networkPolicy: { enabled: true, metricsFrom: [peer] } }), 'NetworkPolicy')[0] as
      { spec: { ingress: unknown[]; egress: unknown[]; policyTypes: string[] } } | undefined;
    assert.deepEqual(np?.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(np?.spec.ingress, [
      { ports: [{ port: 8081, protocol: 'TCP' }] },
      { from: [peer], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    assert.deepEqual(np?.spec.egress, [
      {
        ports: [
          { port: 443, protocol: 'TCP' },
          { port: 6443, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('ships the PrometheusRule with exactly the alerts of docs/operations.md, and a Grafana dashboard; both off by default', () => {
    const objs = renderObjects();
    assert.equal(find(objs, 'PrometheusRule').length + find(objs, 'ConfigMap').length, 0);
    const on = renderObjects({ prometheusRule: { enabled: true }, grafanaDashboard: { enabled: true } });
    type Rule = { alert: string; expr: string; for: string };
    const rule = find(on, 'PrometheusRule')[0] as { spec: { groups: { rules: Rule[] }[] } } | undefined;
    const docs = readFileSync(fileURLToPath(new URL('../../docs/operations.md', import.meta.url)), 'utf8');
    const block = /### Alerts \(PromQL\)\n\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const documented = (parse(block) as Rule[]).map((r) => ({ alert: r.alert, expr: r.expr, for: r.for }));
    assert.ok(documented.length >= 6);
    assert.deepEqual(
      rule?.spec.groups[0]?.rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for })),
      documented,
    );
    const cm = find(on, 'ConfigMap')[0] as unknown as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    assert.equal(cm.metadata.labels.grafana_dashboard, '1');
    const dashboard = JSON.parse(cm.data['kube-reflect.json'] ?? '') as { panels: { targets: { expr: string }[] }[] };
    assert.ok(dashboard.panels.flatMap((p) => p.targets).every((t) => t.expr.includes('kube_reflect_')));
  });

  it('helm test: a restricted pod of the controller image scrapes the metrics Service, outside its selector', () => {
    const objs = renderObjects();
    const pod = find(objs, 'Pod')[0] as
      | {
          metadata: { labels: Record<string, string>; annotations: Record<string, string> };
          spec: { containers: { command: string[]; securityContext: unknown }[] };
        }
      | undefined;
    assert.equal(pod?.metadata.annotations['helm.sh/hook'], 'test');
    assert.deepEqual(pod?.spec.containers[0]?.command, ['/nodejs/bin/node', '-e']);
    assert.deepEqual(pod?.spec.containers[0]?.securityContext, container(objs).securityContext);
    const svc = find(objs, 'Service')[0] as { spec: { selector: Record<string, string> } } | undefined;
    const labels = pod?.metadata.labels ?? {};
    assert.ok(Object.entries(svc?.spec.selector ?? {}).some(([k, v]) => labels[k] !== v));
    assert.equal(find(renderObjects({ tests: { enabled: false } }), 'Pod').length, 0);
  });

  it('deploy/kube-reflect.yaml is the chart rendered with default values (run node scripts/render-deploy.mjs)', () => {
    const script = fileURLToPath(new URL('../../scripts/render-deploy.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
