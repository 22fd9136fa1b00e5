/** Generated packages for the reflect-fn benchmark, as block-style YAML, one JSON document or a legacy stream. */
import { stringify } from 'yaml';

type Obj = Record<string, unknown>;

/** The ways a package reaches reflect-fn: what kpt sends, a JSON ResourceList, kustomize's legacy plugin stream. */
export type Encoding = 'yaml' | 'json' | 'stream';

/** The function config the legacy stream is run with (its file is the plugin's first argument). */
export const STREAM_CONFIG =
  'apiVersion: fn.kube-reflect.io/v1alpha1\nkind: ReflectConfig\nmetadata:\n  name: reflect\n';

/** A package's items in one encoding: a block-style ResourceList, a compact JSON ResourceList, or a YAML stream. */
export function encode(items: Obj[], encoding: Encoding): string {
  const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items };
  if (encoding === 'json') return JSON.stringify(list);
  if (encoding === 'yaml') return stringify(list, { version: '1.1', lineWidth: 0 });
  // kustomize's legacy exec plugins get the objects without kpt's path and index annotations.
  return items.map((item) => stringify(withoutFileAnnotations(item), { version: '1.1', lineWidth: 0 })).join('---\n');
}

function withoutFileAnnotations(obj: Obj): Obj {
  const meta = obj.metadata as Obj;
  const annotations = Object.fromEntries(
    Object.entries((meta.annotations as Obj | undefined) ?? {}).filter(([k]) => !k.includes('config.kubernetes.io/')),
  );
  const metadata =
    Object.keys(annotations).length === 0 ? { ...meta, annotations: undefined } : { ...meta, annotations };
  if (metadata.annotations === undefined) delete metadata.annotations;
  return { ...obj, metadata };
}

function namespace(name: string): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: name } } };
}

function withPath(obj: Obj, path: string, index = 0): Obj {
  const meta = obj.metadata as Obj;
  const annotations = {
    ...(meta.annotations as Obj),
    'config.kubernetes.io/index': String(index),
    'config.kubernetes.io/path': path,
    'internal.config.kubernetes.io/index': String(index),
    'internal.config.kubernetes.io/path': path,
  };
  return { ...obj, metadata: { ...meta, annotations } };
}

function source(i: number, to: string): Obj {
  const name = `shared-${i}`;
  const annotations = { 'kube-reflect.io/to': to };
  if (i % 2 === 0) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'platform', annotations },
      type: 'Opaque',
      data: { username: 'YWRtaW4=', password: Buffer.from(`secret-${i}`).toString('base64') },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'platform', annotations },
    data: { LOG_LEVEL: 'info', ENDPOINT: `http://service-${i}.platform:8080`, 'settings.yaml': 'a: 1\nb: [x, y]\n' },
  };
}

/** `sources` sources, each pushed to all of `namespaces` team namespaces: sources × namespaces mirrors. */
export function fanOutItems(sources: number, namespaces: number): Obj[] {
  const items: Obj[] = [withPath(namespace('platform'), 'namespaces.yaml', 0)];
  for (let n = 0; n < namespaces; n++) items.push(withPath(namespace(`team-${n}`), 'namespaces.yaml', n + 1));
  for (let i = 0; i < sources; i++) items.push(withPath(source(i, 'team-*'), `sources/${i}.yaml`));
  return items;
}

/** `total` objects of a typical package: 20 team namespaces, 50 sources, 20 pull mirrors, workloads and their config. */
export function mixedItems(total: number): Obj[] {
  const items: Obj[] = [withPath(namespace('platform'), 'namespaces.yaml', 0)];
  for (let n = 0; n < 20; n++) items.push(withPath(namespace(`team-${n}`), 'namespaces.yaml', n + 1));
  for (let i = 0; i < 50; i++)
    items.push(
      withPath(source(i, i % 5 === 0 ? 'team-*' : `team-${i % 20}, team-${(i + 7) % 20}`), `sources/${i}.yaml`),
    );
  for (let i = 0; i < 20; i++) {
    items.push(
      withPath(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: `pulled-${i}`,
            namespace: `team-${i}`,
            annotations: { 'kube-reflect.io/from': 'platform/shared-1' },
          },
        },
        `pulls/${i}.yaml`,
      ),
    );
  }
  for (let i = 0; items.length < total; i++) {
    const ns = `team-${i % 20}`;
    const app = `app-${i}`;
    const path = `apps/${ns}/${app}.yaml`;
    const kind = i % 3;
    if (kind === 0) {
      items.push(
        withPath(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: app, namespace: ns, labels: { app } },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app } },
              template: {
                metadata: { labels: { app } },
                spec: {
                  containers: [
                    {
                      name: app,
                      image: `registry.example.com/${app}:1.0.${i}`,
                      ports: [{ containerPort: 8080 }],
                      envFrom: [{ configMapRef: { name: `${app}-config` } }],
                    },
                  ],
                },
              },
            },
          },
          path,
        ),
      );
    } else if (kind === 1) {
      items.push(
        withPath(
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: app, namespace: ns },
            spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
          },
          path,
        ),
      );
    } else {
      items.push(
        withPath(
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `${app}-config`, namespace: ns },
            data: { LOG_LEVEL: 'debug', FEATURE_X: 'on', TIMEOUT: '30s' },
          },
          path,
        ),
      );
    }
  }
  return items;
}
