import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { KubeClient } from './client.ts';
import type { ListProgress, RequestEvent } from './client.ts';
import { isConflict, isGone, isNotFound, KubeApiError } from './errors.ts';
import { CONFIGMAPS, LEASES } from './resource-type.ts';
import { obj, sendJson, sendStatus, startFakeApiserver } from './test-support/fake-apiserver.ts';
import type { FakeApiserver } from './test-support/fake-apiserver.ts';

describe('KubeClient against a fake apiserver', { timeout: 30_000 }, () => {
  let fake: FakeApiserver;
  let client: KubeClient;
  let seen: RequestEvent[];

  beforeEach(async () => {
    fake = await startFakeApiserver();
    seen = [];
    client = new KubeClient(fake.config, { observer: (e) => seen.push(e) });
  });
  afterEach(async () => {
    client.close();
    await fake.close();
  });

  it('server-side applies with the apply content type, fieldManager and force', async () => {
    fake.handle((_req, res) => sendJson(res, 200, obj('a', '5')));
    await client.apply(
      LEASES,
      { metadata: { name: 'l', namespace: 'ns1' }, spec: {} },
      { fieldManager: 'fm', force: true },
    );
    const r = fake.requests[0]!;
    assert.equal(r.method, 'PATCH');
    assert.equal(r.path, '/apis/coordination.k8s.io/v1/namespaces/ns1/leases/l');
    assert.equal(r.headers['content-type'], 'application/apply-patch+yaml');
    assert.equal(r.query.get('fieldManager'), 'fm');
    assert.equal(r.query.get('force'), 'true');
    assert.deepEqual(JSON.parse(r.body), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'ns1' },
      spec: {},
    });
    assert.deepEqual(
      seen.map((e) => [e.verb, e.resource, e.code]),
      [['apply', 'leases.coordination.k8s.io', 200]],
    );
    assert.ok((seen[0]?.durationMs ?? -1) >= 0);
  });

  it('patches and updates the status subresource when asked', async () => {
    fake.handle((_req, res) => sendJson(res, 200, obj('a', '6')));
    await client.jsonPatch(CONFIGMAPS, 'ns1', 'a', [{ op: 'add', path: '/status', value: {} }], {
      subresource: 'status',
    });
    await client.update(CONFIGMAPS, { metadata: { name: 'a', namespace: 'ns1' } }, { subresource: 'status' });
    assert.deepEqual(
      fake.requests.map((r) => [r.method, r.path]),
      [
        ['PATCH', '/api/v1/namespaces/ns1/configmaps/a/status'],
        ['PUT', '/api/v1/namespaces/ns1/configmaps/a/status'],
      ],
    );
    assert.deepEqual(
      seen.map((e) => [e.verb, e.resource]),
      [
        ['patch', 'configmaps/status'],
        ['update', 'configmaps/status'],
      ],
    );
  });

  it('leaves no abort listener behind on a shared signal once requests settle, whatever their outcome', async () => {
    // The controller passes one shutdown signal to every request; a listener left per request would be a leak.
    let n = 0;
    fake.handle((_req, res) => (n++ % 3 === 0 ? sendStatus(res, 404, 'NotFound') : sendJson(res, 200, obj('a', '1'))));
    const shutdown = new AbortController();
    const small = new KubeClient(fake.config, { maxConcurrency: 4 });
    try {
      const settled = await Promise.allSettled(
        Array.from({ length: 30 }, () => small.get(CONFIGMAPS, 'ns1', 'a', { signal: shutdown.signal })),
      );
      assert.equal(settled.filter((s) => s.status === 'rejected').length, 10);
      assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
    } finally {
      small.close();
    }
  });

  it('deletes with uid and resourceVersion preconditions', async () => {
    fake.handle((_req, res) => sendJson(res, 200, { kind: 'Status', status: 'Success' }));
    await client.delete(CONFIGMAPS, 'ns1', 'a', {
      preconditions: { uid: 'u1', resourceVersion: '7' },
      propagationPolicy: 'Background',
    });
    const r = fake.requests[0]!;
    assert.equal(r.method, 'DELETE');
    assert.equal(r.path, '/api/v1/namespaces/ns1/configmaps/a');
    assert.deepEqual(JSON.parse(r.body), {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      preconditions: { uid: 'u1', resourceVersion: '7' },
      propagationPolicy: 'Background',
    });
  });

  it('turns a Status body into a typed error naming the object', async () => {
    fake.handle((_req, res) => sendStatus(res, 409, 'Conflict', 'Precondition failed: UID in precondition: u1'));
    const err = await client.delete(CONFIGMAPS, 'ns1', 'a', { preconditions: { uid: 'u1' } }).catch((e: unknown) => e);
    assert.ok(err instanceof KubeApiError);
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'delete configmaps ns1/a: 409 Conflict: Precondition failed: UID in precondition: u1');
    assert.ok(isConflict(err) && !isNotFound(err) && !isGone(err));
    assert.deepEqual(
      seen.map((e) => e.code),
      [409],
    );
  });

  it('keeps a non-JSON error body as the message', async () => {
    fake.handle((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found'));
    await assert.rejects(client.get(CONFIGMAPS, 'ns1', 'x'), (e: unknown) => {
      assert.ok(isNotFound(e));
      assert.equal((e as Error).message, 'get configmaps ns1/x: 404 NotFound: 404 page not found');
      return true;
    });
  });

  it('retries 429 after Retry-After, then succeeds', async () => {
    let n = 0;
    fake.handle((_req, res) => {
      if (++n <= 2) return sendStatus(res, 429, 'TooManyRequests');
      sendJson(res, 200, obj('a', '1'));
    });
    const got = await client.get<{ metadata: { name: string } }>(CONFIGMAPS, 'ns1', 'a');
    assert.equal(got.metadata.name, 'a');
    assert.deepEqual(
      seen.map((e) => e.code),
      [429, 429, 200],
    );
  });

  it('reports network errors and timeouts as code 0', async () => {
    fake.handle(() => {}); // never answers
    const slow = new KubeClient({ ...fake.config, requestTimeoutMs: 100 });
    await assert.rejects(slow.get(CONFIGMAPS, 'ns1', 'a'), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.code, 0);
      assert.equal(e.reason, 'Timeout');
      return true;
    });
    slow.close();
  });

  it('fails a response whose body stops: cut off, stalled past the timeout, or aborted', async () => {
    // Headers and half a body, then the connection is cut.
    fake.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"kind":"ConfigMap",');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await assert.rejects(client.get(CONFIGMAPS, 'ns1', 'a'), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.code, 0);
      assert.equal(e.reason, 'NetworkError');
      return true;
    });
    // Headers and half a body, then nothing: the request timeout still holds.
    fake.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"kind":"ConfigMap",');
    });
    const slow = new KubeClient({ ...fake.config, requestTimeoutMs: 150 });
    await assert.rejects(slow.get(CONFIGMAPS, 'ns1', 'a'), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.reason, 'Timeout');
      return true;
    });
    slow.close();
    // The same, aborted through the signal while the body is being read.
    const ac = new AbortController();
    const p = client.get(CONFIGMAPS, 'ns1', 'a', { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    await assert.rejects(p, /Aborted: shutting down/);
  });

  it('sends paths and queries as the URL parser would: under the server path, escaped where they must be', async () => {
    const raw: string[] = [];
    fake.handle((_req, res, incoming) => {
      raw.push(incoming.url ?? '');
      sendJson(res, 200, { kind: 'APIResourceList', resources: [] });
    });
    const prefixed = new KubeClient({ ...fake.config, server: `${fake.url}/prefix/` });
    await prefixed.list(CONFIGMAPS, { namespace: 'ns1', labelSelector: 'a in (x y),b!=c' });
    await prefixed.getPath('/apis/odd group/v1');
    await prefixed.getPath('/apis/caf\u00e9/v1');
    await prefixed.get(CONFIGMAPS, '..', 'a').catch(() => undefined);
    await prefixed.getPath('/apis/x/%2E/v1/./y');
    prefixed.close();
    assert.deepEqual(raw, [
      '/prefix/api/v1/namespaces/ns1/configmaps?limit=500&labelSelector=a+in+%28x+y%29%2Cb%21%3Dc',
      '/prefix/apis/odd%20group/v1',
      '/prefix/apis/caf%C3%A9/v1',
      '/prefix/api/v1/configmaps/a',
      '/prefix/apis/x/v1/y',
    ]);
  });

  it('encodes query values byte for byte as URLSearchParams does, hostile ones included', async () => {
    const raw: string[] = [];
    fake.handle((_req, res, incoming) => {
      raw.push(incoming.url ?? '');
      sendJson(res, 200, { kind: 'ConfigMapList', items: [], metadata: {} });
    });
    const values = [
      'plain-1.x_*',
      "a!'()~b",
      'k=v&x=y',
      '+%2B% ',
      'caf\u00e9 \u{1F600}',
      'lone \ud800 surrogate',
      '\n\t#?/',
    ];
    for (const labelSelector of values) await client.list(CONFIGMAPS, { namespace: 'ns1', labelSelector });
    const expected = values.map((v) => {
      const q = new URLSearchParams({ limit: '500', labelSelector: v });
      return `/api/v1/namespaces/ns1/configmaps?${q.toString()}`;
    });
    assert.deepEqual(raw, expected);
  });

  it('aborts a request through its signal', async () => {
    fake.handle(() => {});
    const ac = new AbortController();
    const p = client.list(CONFIGMAPS, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('shutting down')), 20);
    await assert.rejects(p, /Aborted: shutting down/);
  });

  it('bounds concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    fake.handle((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, obj('a', '1'));
      }, 20);
    });
    const limited = new KubeClient(fake.config, { maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => limited.get(CONFIGMAPS, 'ns1', 'a')));
    assert.equal(peak, 2);
    limited.close();
  });

  it('lists all pages with selectors and fills in apiVersion/kind', async () => {
    fake.handle((req, res) => {
      if (!req.query.get('continue'))
        return sendJson(res, 200, {
          items: [{ metadata: { name: 'a' } }],
          metadata: { continue: 'c1', resourceVersion: '3', remainingItemCount: 1 },
        });
      sendJson(res, 200, { items: [{ metadata: { name: 'b' } }], metadata: { resourceVersion: '4' } });
    });
    const pages: ListProgress[] = [];
    const r = await client.list<{ apiVersion: string; kind: string }>(CONFIGMAPS, {
      labelSelector: 'a=b',
      fieldSelector: 'x=y',
      limit: 1,
      onPage: (p) => pages.push(p),
    });
    assert.deepEqual(pages, [
      { read: 1, remaining: 1 },
      { read: 2, remaining: 0 },
    ]);
    assert.equal(r.items.length, 2);
    assert.equal(r.resourceVersion, '4');
    assert.deepEqual([r.items[0]?.apiVersion, r.items[0]?.kind], ['v1', 'ConfigMap']);
    assert.equal(fake.requests[0]?.path, '/api/v1/configmaps');
    assert.equal(fake.requests[1]?.query.get('labelSelector'), 'a=b');
    assert.equal(fake.requests[1]?.query.get('continue'), 'c1');
  });
});
