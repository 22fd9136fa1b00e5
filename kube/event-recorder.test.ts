import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError } from './errors.ts';
import { EventRecorder, fitNote, NOTE_MAX_BYTES } from './event-recorder.ts';
import type { EventInput, EventOutcome, EventRecorderOptions } from './event-recorder.ts';
import { FakeClock } from './test-support/fake-clock.ts';

type Call = { verb: 'create' | 'patch'; name: string; body: Record<string, unknown> };

function setup(over: Partial<EventRecorderOptions> = {}, failCreate = false) {
  const calls: Call[] = [];
  const outcomes: EventOutcome[] = [];
  const clock = new FakeClock();
  const recorder = new EventRecorder({
    client: {
      create: (_t: unknown, body: object) => {
        const b = body as { metadata: { name: string } };
        calls.push({ verb: 'create', name: b.metadata.name, body: b as never });
        if (failCreate)
          return Promise.reject(new KubeApiError({ verb: 'create', resource: 'events' }, 403, 'Forbidden', 'no'));
        return Promise.resolve(b as never);
      },
      mergePatch: (_t: unknown, _ns: unknown, name: string, patch: object) => {
        calls.push({ verb: 'patch', name, body: patch as never });
        return Promise.resolve(patch as never);
      },
    },
    controller: 'kube-reflect.io/controller',
    instance: 'pod-a_1234',
    onOutcome: (_i, o) => outcomes.push(o),
    clock,
    ...over,
  });
  return { recorder, calls, outcomes, advance: (ms: number) => clock.advance(ms) };
}

const blocked = (name = 'db'): EventInput => ({
  regarding: { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name },
  related: { apiVersion: 'v1', kind: 'Secret', namespace: 'platform', name: 'db' },
  type: 'Warning',
  reason: 'TargetBlocked',
  action: 'Reconcile',
  note: 'team-a/db exists and is not our mirror',
});

describe('EventRecorder', () => {
  it('creates an events.k8s.io/v1 Event with reporting fields and microsecond eventTime', async () => {
    const { recorder, calls } = setup();
    assert.equal(recorder.record(blocked()), 'created');
    await recorder.flush();
    assert.equal(calls.length, 1);
    const body = calls[0]?.body as Record<string, unknown>;
    assert.equal(body.reportingController, 'kube-reflect.io/controller');
    assert.equal(body.reportingInstance, 'pod-a_1234');
    assert.equal(body.reason, 'TargetBlocked');
    assert.equal(body.type, 'Warning');
    assert.equal(body.action, 'Reconcile');
    assert.match(String(body.eventTime), /\.\d{6}Z$/);
    assert.deepEqual(body.regarding, { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'db' });
    assert.deepEqual((body.metadata as { namespace: string }).namespace, 'team-a');
  });

  it('folds repeats into one series, written at most once per window', async () => {
    const { recorder, calls, advance } = setup({ seriesWindowMs: 60_000 });
    recorder.record(blocked());
    for (let i = 0; i < 50; i++) {
      await advance(1000);
      recorder.record(blocked());
    }
    await recorder.flush();
    // 1 create at t=0, then a series patch after the first window (t=60 s is not reached: 50 s).
    assert.deepEqual(
      calls.map((c) => c.verb),
      ['create'],
    );
    await advance(20_000);
    assert.equal(recorder.record(blocked()), 'updated');
    await recorder.flush();
    const patch = calls[1];
    assert.equal(patch?.verb, 'patch');
    assert.equal(patch?.name, calls[0]?.name);
    assert.equal((patch?.body.series as { count: number }).count, 52);
  });

  it('throttles per object and globally, so a stuck source cannot flood the API server', async () => {
    const { recorder, calls, outcomes } = setup({ perObjectBurst: 3, globalBurst: 5, globalRefillMs: 1_000_000 });
    // Distinct notes on one object: 3 pass the object's bucket.
    for (let i = 0; i < 10; i++) recorder.record({ ...blocked(), note: `note ${i}` });
    // Distinct objects: the global bucket has 2 left.
    for (let i = 0; i < 10; i++) recorder.record(blocked(`obj-${i}`));
    await recorder.flush();
    assert.equal(calls.length, 5);
    assert.equal(outcomes.filter((o) => o === 'throttled').length, 15);
  });

  it('never throws when the events API fails', async () => {
    const { recorder, outcomes } = setup({}, true);
    assert.equal(recorder.record(blocked()), 'created');
    await recorder.flush();
    assert.deepEqual(outcomes, ['failed']);
  });
});

describe('fitNote', () => {
  it('cuts a note to 1,024 bytes of UTF-8 (what the API server counts), never inside a character', () => {
    assert.equal(fitNote('short'), 'short');
    const ascii = 'a'.repeat(2000);
    assert.equal(fitNote(ascii), `${'a'.repeat(1021)}...`);
    // 1,000 characters but 3,000 bytes: cutting by characters gave the API server a note it refuses.
    const wide = '名'.repeat(1000);
    const cut = fitNote(wide);
    assert.ok(Buffer.byteLength(cut, 'utf8') <= NOTE_MAX_BYTES, `${Buffer.byteLength(cut, 'utf8')} bytes`);
    assert.equal(cut, `${'名'.repeat(340)}...`);
    const emoji = `${'a'.repeat(1019)}😀😀`;
    assert.equal(fitNote(emoji), `${'a'.repeat(1019)}...`);
  });
});
