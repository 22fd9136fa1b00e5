import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { World } from '../../core/index.ts';
import { pushTo, secret, world } from '../../test/fixtures.ts';
import { buildStatusReport, statusRows } from '../status-report.ts';
import type { PlannedRows } from './row-planner.ts';
import { RowPlanner } from './row-planner.ts';

// A clock that moves one tick per row planned: slices of ten rows, whatever the machine.
let ticks = 0;
const slicing = { sliceMs: 10, now: () => ticks++ };

const many = (n: number, data = 'v'): World =>
  world(
    ['platform', 'team-a', 'team-b'],
    Array.from({ length: n }, (_, i) =>
      secret('platform', `s-${String(i).padStart(4, '0')}`, { k: data }, pushTo('team-*')),
    ),
  );

/** Runs a planner over the worlds given one after another (each once the previous report arrives) to the end. */
async function plan(worlds: World[], setNextAfter: number): Promise<PlannedRows[]> {
  const reports: PlannedRows[] = [];
  await new Promise<void>((resolve) => {
    let given = 1;
    const planner = new RowPlanner(
      (w) => statusRows(w),
      (r) => {
        reports.push(r);
        if (reports.length === setNextAfter && given < worlds.length) planner.set(worlds[given++] as World);
        if (r.done && given === worlds.length && reports.filter((x) => x.done).length === worlds.length) resolve();
      },
      slicing,
    );
    planner.set(worlds[0] as World);
  });
  return reports;
}

describe('RowPlanner', () => {
  it("shows the first world's rows as a growing prefix of its report, then the whole report", async () => {
    const w = many(300);
    const reports = await plan([w], 0);
    const whole = buildStatusReport(w).sources;
    const last = reports.at(-1) as PlannedRows;
    assert.deepEqual(last, { sources: whole, total: whole.length, done: true });
    for (const r of reports) {
      assert.deepEqual(r.sources, whole.slice(0, r.sources.length));
      assert.equal(r.total, whole.length);
    }
    assert.ok(reports.length >= 30, `${reports.length} reports`);
  });

  it('replaces the rows of a later world only once all are decided', async () => {
    const first = many(300);
    const second = many(300, 'changed');
    const reports = await plan([first, second], 1);
    const done = reports.filter((r) => r.done);
    assert.deepEqual(
      done.map((r) => r.sources),
      [buildStatusReport(first).sources, buildStatusReport(second).sources],
    );
    const afterFirst = reports.slice(reports.indexOf(done[0] as PlannedRows) + 1);
    assert.deepEqual(afterFirst, [done[1]]);
  });
});
