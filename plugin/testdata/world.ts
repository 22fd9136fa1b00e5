/** The world every golden case runs against: one source in each mirror state, built by converging and then disturbing. */
import type { KubeObject, World } from '../../core/index.ts';
import { applyPlanToWorld, identityOf, planReflection } from '../../core/index.ts';
import { configMap, namespace, pushTo, secret } from '../../test/fixtures.ts';

const R = 'reflector.v1.k8s.emberstack.com/';

/** Returns the golden world: converged, then a mirror edited, a source changed, a mirror deleted, a source gone. */
export function goldenWorld(): World {
  const base: World = {
    namespaces: [
      namespace('platform'),
      namespace('team-a', { env: 'prod' }),
      namespace('team-b', { env: 'dev' }),
      namespace('team-c', { 'kube-reflect.io/accept-mirrors': 'false' }),
      namespace('legacy'),
      namespace('apps'),
    ],
    objects: [
      secret('platform', 'db', { password: 's3cr3t' }, { ...pushTo('team-*'), uid: 'u-db', labels: { tier: 'data' } }),
      secret('platform', 'tls', { crt: 'cert' }, { ...pushTo('team-a, team-b'), uid: 'u-tls' }),
      secret('platform', 'api-key', { key: 'k1' }, { ...pushTo('team-a, apps'), uid: 'u-api' }),
      secret('platform', 'old', { x: '1' }, { ...pushTo('apps', { 'kube-reflect.io/on-source-delete': 'orphan' }), uid: 'u-old' }),
      secret('platform', 'paused', { x: '1' }, { ...pushTo('apps', { 'kube-reflect.io/paused': 'true' }), uid: 'u-p' }),
      secret('platform', 'typo', { x: '1' }, { annotations: { 'kube-reflect.io/too': 'apps' }, uid: 'u-typo' }),
      configMap('platform', 'settings', { level: 'info' }, { annotations: { [`${R}reflection-allowed`]: 'true', [`${R}reflection-allowed-namespaces`]: 'team-a' }, uid: 'u-set' }),
      configMap('team-a', 'settings-copy', {}, { annotations: { [`${R}reflects`]: 'platform/settings' }, uid: 'u-sc' }),
      configMap('legacy', 'settings-copy', {}, { annotations: { [`${R}reflects`]: 'platform/settings' }, uid: 'u-lc' }),
    ],
  };
  let w = applyPlanToWorld(base, planReflection(base));
  let n = 0;
  w = { ...w, objects: w.objects.map((o) => ({ ...o, metadata: { ...o.metadata, uid: o.metadata.uid ?? `u-${++n}`, resourceVersion: '1' } })) };
  const edit = (id: string, fn: (o: KubeObject) => KubeObject | undefined) => {
    w = { ...w, objects: w.objects.flatMap((o) => (identityOf(o) === id ? [fn(structuredClone(o))].filter((x): x is KubeObject => x !== undefined) : [o])) };
  };
  edit('Secret/team-b/db', (o) => ({ ...o, data: { password: Buffer.from('edited').toString('base64') } })); // drifted
  edit('Secret/platform/tls', (o) => ({ ...o, data: { crt: Buffer.from('renewed').toString('base64') } })); // outdated
  edit('Secret/apps/api-key', () => undefined); // missing
  edit('Secret/platform/old', () => undefined); // orphaned
  // A foreign object where a mirror should go: blocked.
  w = { ...w, objects: [...w.objects, secret('team-b', 'api-key', { mine: 'yes' }, { uid: 'u-foreign' })] };
  edit('Secret/platform/api-key', (o) => ({ ...o, metadata: { ...o.metadata, annotations: { 'kube-reflect.io/to': 'team-a, team-b, apps' } } }));
  return w;
}
