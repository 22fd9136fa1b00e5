// A fake apiserver serving a status-sized world (sources in one namespace, each pushed to some of the target
// namespaces, every mirror in sync), with paginated lists, label and field selectors, and open-but-quiet watches:
// a quick, machine-independent loop for `kubectl reflect status` before the real control plane is at hand.
import type { ServerResponse } from 'node:http';
import type { KubeObject, World } from '../../core/index.ts';
import { applyPlanToWorld, planReflection } from '../../core/index.ts';
import { parseLabelSelector } from '../../core/patterns/index.ts';
import { sendJson, sendStatus, startFakeApiserver } from '../../kube/test-support/fake-apiserver.ts';
import type { FakeApiserver, SeenRequest } from '../../kube/test-support/fake-apiserver.ts';

/** The shape of the world. */
export interface FakeWorldOptions {
  sources: number;
  fanout: number;
  targets: number;
  /** Unrelated Secrets per target namespace (service-account tokens, application Secrets). */
  bystanders?: number;
}

/** One request as the fake served it: what was asked and how many bytes went back. */
export interface ServedRequest {
  method: string;
  path: string;
  query: string;
  bytes: number;
}

/** A running fake apiserver over a world, and what it served. */
export interface FakeWorldServer {
  fake: FakeApiserver;
  world: World;
  served: ServedRequest[];
  close(): Promise<void>;
}

/** Builds the world: namespaces bench-src and bench-tNNN, sources src-N in bench-src, their mirrors in sync. */
export function buildBenchWorld(o: FakeWorldOptions): World {
  const pad = (i: number) => String(i).padStart(3, '0');
  const namespaces = [
    { name: 'bench-src', labels: {} },
    ...Array.from({ length: o.targets }, (_, i) => ({ name: `bench-t${pad(i)}`, labels: {} })),
  ];
  const objects: KubeObject[] = [];
  for (let i = 0; i < o.sources; i++) {
    const to = Array.from({ length: o.fanout }, (_, k) => `bench-t${pad((i + k * 7) % o.targets)}`).join(',');
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `src-${i}`,
        namespace: 'bench-src',
        uid: `uid-bench-src-src-${i}`,
        annotations: { 'kube-reflect.io/to': to },
      },
      type: 'Opaque',
      data: { v: Buffer.from(`value-${i}`).toString('base64') },
    });
  }
  for (let t = 0; t < o.targets; t++)
    for (let b = 0; b < (o.bystanders ?? 0); b++)
      objects.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `app-${b}`, namespace: `bench-t${pad(t)}`, labels: { app: 'x' } },
        type: 'Opaque',
        data: { k: Buffer.from(`bystander-${b}`).toString('base64') },
      });
  const seeded = { namespaces, objects };
  const world = applyPlanToWorld(seeded, planReflection(seeded));
  let rv = 1000;
  for (const obj of world.objects) {
    const m = obj.metadata;
    m.resourceVersion = String(rv++);
    m.uid ??= `uid-${m.namespace}-${m.name}`;
    m.creationTimestamp = '2026-12-01T00:00:00Z';
    // What a real server adds to every object written with server-side apply: about half of a small Secret's bytes.
    m.managedFields = [
      {
        manager: 'kube-reflect',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-12-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:data': { 'f:v': {} },
          'f:metadata': {
            'f:annotations': Object.fromEntries(Object.keys(m.annotations ?? {}).map((k) => [`f:${k}`, {}])),
          },
        },
      },
    ];
  }
  // The apiserver lists in etcd key order: namespace, then name.
  const key = (x: KubeObject) => `${x.metadata.namespace}/${x.metadata.name}`;
  world.objects = [...world.objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return world;
}

/** Starts a fake apiserver serving the world (Secrets; ConfigMaps empty) and records each response's size. */
export async function serveWorld(world: World): Promise<FakeWorldServer> {
  const fake = await startFakeApiserver();
  const served: ServedRequest[] = [];
  const watches = new Set<ServerResponse>();
  const namespaceObjects = world.namespaces.map((n) => ({
    metadata: { name: n.name, labels: n.labels, resourceVersion: '10', uid: `uid-ns-${n.name}` },
    status: { phase: 'Active' },
  }));
  fake.handle((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      served.push({ method: req.method, path: req.path, query: req.query.toString(), bytes: text.length });
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    };
    if (req.query.get('watch') === 'true' || req.query.get('watch') === '1') {
      served.push({ method: req.method, path: req.path, query: req.query.toString(), bytes: 0 });
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    if (req.path === '/api/v1/namespaces') return send(200, page(req, 'NamespaceList', namespaceObjects));
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?(secrets|configmaps)$/.exec(req.path);
    if (m !== null) {
      const kind = m[2] === 'secrets' ? 'Secret' : 'ConfigMap';
      const items = world.objects.filter(
        (o) => o.kind === kind && (m[1] === undefined || o.metadata.namespace === m[1]),
      );
      return send(200, page(req, `${kind}List`, items));
    }
    const one = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(req.path);
    if (one !== null) {
      const ns = namespaceObjects.find((n) => n.metadata.name === one[1]);
      return ns === undefined ? sendStatus(res, 404, 'NotFound') : send(200, ns);
    }
    sendStatus(res, 404, 'NotFound', `no route for ${req.path}`);
  });
  return {
    fake,
    world,
    served,
    close: async () => {
      for (const w of watches) w.end();
      await fake.close();
    },
  };
}

/** Returns one page of a list, honouring labelSelector, fieldSelector (metadata.name/namespace), limit and continue. */
function page(req: SeenRequest, kind: string, all: readonly object[]): unknown {
  const labels = req.query.get('labelSelector');
  const selector = labels ? parseLabelSelector(labels) : undefined;
  if (selector !== undefined && !selector.ok) throw new Error(`bad selector ${labels}`);
  const fields = (req.query.get('fieldSelector') ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => {
      const neg = f.includes('!=');
      const [k, v] = f.split(neg ? '!=' : /==?/);
      return { k: k ?? '', v: v ?? '', neg };
    });
  const meta = (o: object) =>
    (o as { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }).metadata;
  const matching = all.filter((o) => {
    if (selector?.ok && !selector.selector.matches(meta(o).labels ?? {})) return false;
    return fields.every(({ k, v, neg }) => {
      const actual = k === 'metadata.name' ? meta(o).name : k === 'metadata.namespace' ? meta(o).namespace : undefined;
      return neg ? actual !== v : actual === v;
    });
  });
  const start = Number(req.query.get('continue') ?? '0');
  const limit = Number(req.query.get('limit') ?? '0') || matching.length;
  const items = matching.slice(start, start + limit);
  const more = start + limit < matching.length;
  return {
    kind,
    apiVersion: 'v1',
    metadata: {
      resourceVersion: '99999',
      ...(more ? { continue: String(start + limit), remainingItemCount: matching.length - start - limit } : {}),
    },
    items,
  };
}

export { sendJson };
