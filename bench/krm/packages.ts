/** Generated packages (ResourceList text) for the reflect-fn benchmark. */
import { stringify } from 'yaml';

type Obj = Record<string, unknown>;

function resourceList(items: Obj[]): string {
  return stringify(
    { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items },
    { version: '1.1', lineWidth: 0 },
  );
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
export function fanOutPackage(sources: number, namespaces: number): string {
  const items: Obj[] = [withPath(namespace('platform'), 'namespaces.yaml', 0)];
  for (let n = 0; n < namespaces; n++) items.push(withPath(namespace(`team-${n}`), 'namespaces.yaml', n + 1));
  for (let i = 0; i < sources; i++) items.push(withPath(source(i, 'team-*'), `sources/${i}.yaml`));
  return resourceList(items);
}

/** `total` objects of a typical package: 20 team namespaces, 50 sources, 20 pull mirrors, workloads and their config. */
export function mixedPackage(total: number): string {
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
  return resourceList(items);
}
