import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { KubeClient } from './client.ts';
import { KubeApiError } from './errors.ts';
import { DEFAULT_WATCH_TIMEOUT_SECONDS, DEFAULT_WATCHDOG_MS, Informer } from './informer.ts';
import { watchOnce } from './watch.ts';
import type { InformerOptions } from './informer.ts';
import { CONFIGMAPS } from './resource-type.ts';
import { obj, sendJson, sendStatus, startFakeApiserver, startWatch } from './test-support/fake-apiserver.ts';
import type { FakeApiserver, SeenRequest } from './test-support/fake-apiserver.ts';
import { FakeClock } from './test-support/fake-clock.ts';

type O = { metadata: { name: string; namespace?: string; resourceVersion?: string }; data?: Record<string, string> };

// The informer runs on a fake clock: its backoff sleeps and watchdog fire only when a test moves the time. Waiting
// for the fake apiserver's real sockets moves the fake time in small steps, so a backoff on the way elapses too.
let clock: FakeClock;

async function eventually(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (check()) return;
    await clock.advance(5);
  }
  assert.fail(`never saw ${what}`);
}

const isWatch = (r: SeenRequest): boolean => r.query.get('watch') === 'true';

describe('Informer against a fake apiserver', { timeout: 30_000 }, () => {
  let fake: FakeApiserver;
  let client: KubeClient;
  let informers: Informer<O>[];
  let events: string[];

  beforeEach(async () => {
    fake = await startFakeApiserver();
    client = new KubeClient(fake.config);
    clock = new FakeClock();
    informers = [];
    events = [];
  });
  afterEach(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    client.close();
    await fake.close();
  });

  function start(opts: InformerOptions<O> = {}): Informer<O> {
    const inf = new Informer<O>(client, CONFIGMAPS, {
      namespace: 'ns1',
      backoff: { initialMs: 5, maxMs: 20 },
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (o) => events.push(`update ${o.metadata.name}@${o.metadata.resourceVersion}`),
      onDelete: (o, _key, listedAt) =>
        events.push(`delete ${o.metadata.name}${listedAt ? ` (listed at ${listedAt})` : ''}`),
      onSynced: () => events.push('synced'),
      clock,
      ...opts,
    });
    informers.push(inf);
    return inf.start();
  }

  it('lists every page, then watches from the list resourceVersion with bookmarks and a random timeout', async () => {
    fake.handle((req, res) => {
      if (isWatch(req)) {
        const w = startWatch(res);
        w.send('ADDED', obj('c', '11'));
        w.send('MODIFIED', obj('a', '12'));
        w.send('DELETED', obj('b', '13'));
        return;
      }
      if (!req.query.get('continue')) sendJson(res, 200, { items: [obj('a', '1')], metadata: { continue: 'p2' } });
      else sendJson(res, 200, { items: [obj('b', '2')], metadata: { resourceVersion: '10' } });
    });
    const inf = start({ pageSize: 1 });
    await eventually('three watch events', () => events.length === 6);
    assert.deepEqual(events, ['add a', 'add b', 'synced', 'add c', 'update a@12', 'delete b']);
    const lists = fake.requests.filter((r) => !isWatch(r));
    assert.deepEqual(
      lists.map((r) => `${r.path}?limit=${r.query.get('limit')}&continue=${r.query.get('continue') ?? ''}`),
      ['/api/v1/namespaces/ns1/configmaps?limit=1&continue=', '/api/v1/namespaces/ns1/configmaps?limit=1&continue=p2'],
    );
    const watch = fake.requests.find(isWatch)!;
    assert.equal(watch.query.get('resourceVersion'), '10');
    assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
    const timeout = Number(watch.query.get('timeoutSeconds'));
    assert.ok(
      timeout >= DEFAULT_WATCH_TIMEOUT_SECONDS.min && timeout <= DEFAULT_WATCH_TIMEOUT_SECONDS.max,
      String(timeout),
    );
    assert.equal(watch.headers.authorization, 'Bearer secret-token');
    assert.equal(inf.health().resourceVersion, '13');
    assert.deepEqual(inf.store.keys().sort(), ['ns1/a', 'ns1/c']);
  });

  it('re-watches from the last bookmark after a normal close, without relisting', async () => {
    let watches = 0;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '5' } });
      watches++;
      const w = startWatch(res);
      if (watches === 1) {
        w.send('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '50' } });
        w.end();
      }
    });
    const inf = start();
    await eventually('a second watch', () => watches === 2);
    const rvs = fake.requests.filter(isWatch).map((r) => r.query.get('resourceVersion'));
    assert.deepEqual(rvs, ['5', '50']);
    assert.equal(fake.requests.filter((r) => !isWatch(r)).length, 1);
    assert.equal(inf.health().relists, 0);
    assert.equal(inf.health().restarts, 0);
    assert.ok(inf.health().lastEventAt !== undefined);
    assert.equal(inf.store.size, 0);
  });

  for (const how of ['an ERROR event', 'an HTTP 410'] as const) {
    it(`relists exactly once on 410 Gone as ${how}, turning the gap into deletes and updates`, async () => {
      let lists = 0;
      let watches = 0;
      fake.handle((req, res) => {
        if (!isWatch(req)) {
          lists++;
          if (lists === 1) {
            return sendJson(res, 200, {
              items: [obj('same', '1'), obj('changed', '2'), obj('gone', '3')],
              metadata: { resourceVersion: '3' },
            });
          }
          return sendJson(res, 200, {
            items: [obj('same', '1'), obj('changed', '7'), obj('new', '8')],
            metadata: { resourceVersion: '9' },
          });
        }
        watches++;
        if (watches === 1) {
          if (how === 'an HTTP 410') return sendStatus(res, 410, 'Expired', 'too old resource version: 3 (8)');
          return startWatch(res).send('ERROR', {
            kind: 'Status',
            code: 410,
            reason: 'Expired',
            message: 'too old resource version',
          });
        }
        startWatch(res); // then stay open
      });
      const errors: unknown[] = [];
      const inf = start({ onError: (e) => errors.push(e) });
      await eventually('the watch after the relist', () => watches === 2);
      assert.equal(lists, 2);
      assert.deepEqual(events, [
        'add same',
        'add changed',
        'add gone',
        'synced',
        'delete gone (listed at 9)',
        'add new',
        'update changed@7',
      ]);
      const h = inf.health();
      assert.equal(h.relists, 1);
      assert.equal(h.restarts, 0);
      assert.equal(errors.length, 1);
      assert.equal(fake.requests.filter(isWatch)[1]?.query.get('resourceVersion'), '9');
      // The positive marker: the watch after the relist is open; only a failing one could lead to a third list.
      await eventually('the watch open again', () => inf.health().watching);
      await clock.advance(5000);
      assert.equal(lists, 2);
    });
  }

  it('reconnects from the last resourceVersion after a dropped connection, with backoff and no relist', async () => {
    let watches = 0;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      watches++;
      const w = startWatch(res);
      if (watches === 1) {
        w.send('ADDED', obj('a', '2'));
        // Half an event, then the connection dies.
        w.raw('{"type":"ADDED","object":{"metadata"');
        setImmediate(() => w.destroy());
      }
    });
    const inf = start();
    await eventually('the second watch', () => watches === 2);
    assert.equal(fake.requests.filter(isWatch)[1]?.query.get('resourceVersion'), '2');
    assert.equal(inf.health().restarts, 1);
    assert.equal(inf.health().relists, 0);
    assert.deepEqual(inf.store.keys(), ['ns1/a']);
  });

  it('keeps retrying a failing list with backoff until it succeeds', async () => {
    let lists = 0;
    fake.handle((req, res) => {
      if (isWatch(req)) return void startWatch(res);
      lists++;
      if (lists <= 3) return sendStatus(res, 500, 'InternalError', 'etcd is down');
      sendJson(res, 200, { items: [obj('a', '1')], metadata: { resourceVersion: '1' } });
    });
    const inf = start({ random: () => 0 });
    await eventually('the first successful list', () => inf.health().synced);
    assert.equal(lists, 4);
    // Three failures, three backoff sleeps: 5, 10, 20 ms (no jitter, the doubling capped at 20); a failed list is not
    // also paced as a relist would be.
    assert.deepEqual(
      clock.scheduled.filter((ms) => ms < 1000),
      [5, 10, 20],
    );
    assert.equal(inf.health().restarts, 3);
    assert.equal(inf.health().relists, 0);
    assert.match(inf.health().lastError ?? '', /500 InternalError: etcd is down/);
  });

  it('aborts a silent watch with the watchdog and reconnects', async () => {
    let watches = 0;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      watches++;
      startWatch(res); // never sends anything
    });
    const inf = start();
    await eventually('the watch', () => inf.health().watching);
    // The only timer is the watchdog, armed when the watch was asked for (a few fake steps before it opened).
    const [left = 0] = clock.pending();
    assert.ok(left > DEFAULT_WATCHDOG_MS - 1000 && left <= DEFAULT_WATCHDOG_MS, String(left));
    await clock.advance(left - 1);
    assert.equal(inf.health().watchdogTimeouts, 0, 'a quiet watch is left alone until the watchdog period ends');
    await clock.advance(1);
    await eventually('a watchdog reconnect', () => watches === 2);
    assert.equal(inf.health().watchdogTimeouts, 1);
    assert.equal(inf.health().restarts, 0, 'a watchdog reconnect is routine, not a restart after an error');
    assert.match(inf.health().lastError ?? '', /WatchdogTimeout/);
  });

  it('keeps a quiet watch that gets a bookmark every minute, and reconnects one that stops, saying how long it was silent', async () => {
    let watches = 0;
    let stream: ReturnType<typeof startWatch> | undefined;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      watches++;
      stream = startWatch(res);
    });
    const silences: number[] = [];
    const inf = start({ onWatchdog: (ms) => silences.push(ms) });
    await eventually('the watch', () => inf.health().watching);
    // Five minutes of an apiserver's heartbeat: a bookmark a minute, never a reconnect.
    for (let minute = 2; minute <= 6; minute++) {
      await clock.advance(60_000);
      stream?.send('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: String(minute) } });
      await eventually(`bookmark ${minute}`, () => inf.health().resourceVersion === String(minute));
    }
    assert.equal(watches, 1);
    assert.equal(inf.health().watchdogTimeouts, 0);
    // The stream dies without a FIN (a half-open connection): nothing more arrives, and the watchdog ends it.
    await eventually('a watchdog reconnect', () => watches === 2);
    assert.equal(inf.health().watchdogTimeouts, 1);
    assert.equal(silences.length, 1);
    assert.ok(silences[0]! >= DEFAULT_WATCHDOG_MS && silences[0]! < DEFAULT_WATCHDOG_MS + 1000, String(silences[0]));
    assert.equal(fake.requests.filter(isWatch).at(-1)?.query.get('resourceVersion'), '6', 'resumes, no relist');
    assert.equal(inf.health().relists, 0);
  });

  it('renews a quiet watch by its server-side timeout before the watchdog could call it dead', async () => {
    let watches = 0;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      watches++;
      // The apiserver ends a watch at timeoutSeconds, with nothing sent on a quiet resource.
      const w = startWatch(res);
      const cancel = clock.schedule(() => w.end(), Number(req.query.get('timeoutSeconds')) * 1000);
      res.once('close', cancel);
    });
    const silences: number[] = [];
    // The longest timeout the jitter can draw.
    const inf = start({ onWatchdog: (ms) => silences.push(ms), random: () => 0.999 });
    await eventually('the first watch', () => inf.health().watching);
    for (let w = 2; w <= 4; w++) {
      await clock.advance(DEFAULT_WATCH_TIMEOUT_SECONDS.max * 1000);
      await eventually(`watch ${w}`, () => watches === w && inf.health().watching);
    }
    assert.deepEqual(silences, [], 'a healthy quiet watch never meets the watchdog');
    assert.equal(inf.health().watchdogTimeouts, 0);
    assert.equal(inf.health().restarts, 0);
    assert.ok(DEFAULT_WATCHDOG_MS < 90_000, 'the watchdog fits in the soak bound');
  });

  it('reports stale when nothing has arrived for longer than the watchdog', async () => {
    let watches = 0;
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      // The first watch stays silent; the reconnect after the watchdog never gets an answer.
      if (++watches === 1) startWatch(res);
    });
    const inf = start({ watchdogMs: 60_000 });
    await eventually('the watch', () => inf.health().watching);
    await clock.advance(60_000);
    assert.equal(inf.health().stale, false);
    await clock.advance(1);
    assert.equal(inf.health().stale, true);
  });

  it('uses PartialObjectMetadata Accept headers and server-side selectors in metadata-only mode', async () => {
    fake.handle((req, res) => {
      if (!isWatch(req)) {
        return sendJson(res, 200, {
          items: [{ metadata: { name: 'a', namespace: 'ns1' } }],
          metadata: { resourceVersion: '1' },
        });
      }
      startWatch(res);
    });
    const inf = start({ metadataOnly: true, labelSelector: 'x=y', fieldSelector: 'metadata.name=a' });
    await inf.waitForSync();
    await eventually('the watch', () => fake.requests.some(isWatch));
    const [list, watch] = fake.requests;
    assert.equal(list?.headers.accept, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    assert.equal(watch?.headers.accept, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    for (const r of [list, watch]) {
      assert.equal(r?.query.get('labelSelector'), 'x=y');
      assert.equal(r?.query.get('fieldSelector'), 'metadata.name=a');
    }
    assert.equal((inf.store.list()[0] as unknown as { kind: string }).kind, 'PartialObjectMetadata');
  });

  it('survives throwing handlers', async () => {
    fake.handle((req, res) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [obj('a', '1')], metadata: { resourceVersion: '1' } });
      startWatch(res).send('ADDED', obj('b', '2'));
    });
    const errors: unknown[] = [];
    const inf = start({
      onAdd: () => {
        throw new Error('handler bug');
      },
      onError: (e) => errors.push(e),
    });
    await eventually('both objects', () => inf.store.size === 2);
    assert.equal(errors.length, 2);
    assert.equal(inf.health().restarts, 0);
  });

  it('stop() aborts the open watch and resolves; waitForSync rejects if stopped first', async () => {
    let closed = false;
    fake.handle((req, res, raw) => {
      if (!isWatch(req)) return sendJson(res, 200, { items: [], metadata: { resourceVersion: '1' } });
      raw.socket.on('close', () => (closed = true));
      startWatch(res);
    });
    const inf = start();
    await eventually('the watch', () => inf.health().watching);
    await inf.stop();
    await eventually('the server to see the socket close', () => closed);
    assert.equal(inf.health().watching, false);

    fake.handle(() => {}); // never answers
    const never = start();
    const sync = never.waitForSync();
    await never.stop();
    await assert.rejects(sync, /stopped before sync/);
  });
});

describe('watchOnce', { timeout: 10_000 }, () => {
  it('reports an abort through its signal as reason Aborted', async () => {
    const fake = await startFakeApiserver();
    fake.handle((_req, res) => void startWatch(res));
    const client = new KubeClient(fake.config);
    const ac = new AbortController();
    const p = watchOnce(
      client,
      CONFIGMAPS,
      { resourceVersion: '1', signal: ac.signal, onOpen: () => ac.abort(new Error('bye')) },
      () => {},
    );
    await assert.rejects(
      p,
      (e: unknown) => e instanceof KubeApiError && e.reason === 'Aborted' && e.serverMessage === 'bye',
    );
    client.close();
    await fake.close();
  });
});
