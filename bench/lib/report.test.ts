import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchRun } from '../suite/results.ts';
import { charts, markdown } from './report.ts';

const run: BenchRun = {
  date: '2026-12-02T03:00:00.000Z',
  commit: 'abc1234',
  quick: false,
  machine: { cores: 2, loadBefore: 1, loadAfter: 2 },
  concurrency: { best: 32, rates: { 8: 400, 32: 600 } },
  fanout: [
    { namespaces: 100, ours: { create: 300, update: 280 }, floor: { create: 250, update: 240 }, rssMiB: 60 },
    { namespaces: 1000, ours: { create: 2600, update: 2500 }, floor: { create: 2000, update: 2400 }, rssMiB: 70 },
  ],
  newNamespace: { sources: 50, rounds: 20, ours: { p50: 150, p99: 300 }, floor: { p50: 100, p99: 180 } },
  restart: {
    mirrors: 1000,
    settleSeconds: 60,
    writes: 0,
    requests: 6,
    informerRequests: 6,
    byVerb: { list: 3, watch: 3 },
  },
};

describe('the benchmark report', () => {
  it('reads every figure as a ratio to the floor and judges the 1,000 fan-out against its target', () => {
    const md = markdown(run, ['fanout.svg']);
    assert.match(md, /\| fan-out 1 → 1,000: create \(s\) \| 2\.60 \| 2\.00 \| 1\.30× \| ≤ 1\.2× \| \*\*missed\*\* \|/);
    assert.match(md, /\| fan-out 1 → 1,000: update \(s\) \| 2\.50 \| 2\.40 \| 1\.04× \| ≤ 1\.2× \| met \|/);
    assert.match(md, /\| fan-out 1 → 100: create \(s\) \| 0\.30 \| 0\.25 \| 1\.20× \| reported \|/);
    assert.match(md, /p99 of 20 \(s\) \| 0\.30 \| 0\.18 \| 1\.67× \| ≤ 1\.5× \| \*\*missed\*\*/);
    assert.match(md, /writes in 60 s \| 0 \| 0 \| \| 0 \| met \|/);
  });

  it('judges the fan-out RSS on the settled figure when the run has it, and shows the 5-s one beside it', () => {
    assert.match(
      markdown(run, []),
      /RSS 5 s after the 1,000 fan-out \(MiB\) \| 70 \| best Go peer 57 \(cited\) \| 1\.23× \| ≤ 1\.2× \| \*\*missed\*\*/,
    );
    const settled = {
      ...run,
      fanout: run.fanout.map((f) => (f.namespaces === 1000 ? { ...f, settledRssMiB: 63 } : f)),
    };
    const md = markdown(settled, []);
    assert.match(
      md,
      /RSS 5 s after the 1,000 fan-out \(MiB\) \| 70 \| best Go peer 57 \(cited\) \| 1\.23× \| reported \|/,
    );
    assert.match(md, /… 30 s after, settled \(MiB\) \| 63 \| best Go peer 57 \(cited\) \| 1\.11× \| ≤ 1\.2× \| met \|/);
  });

  it('cites the peers as measured elsewhere, never as part of this run', () => {
    const md = markdown(run, []);
    assert.match(md, /measured elsewhere/);
    assert.match(md, /mittwald \| 199 \| 198\.1 \|/);
    assert.match(md, /peers-measured\.md/);
  });

  it('draws the convergence chart with our line, the floor and the peers’ points as SVG', async () => {
    const svgs = await charts(run);
    assert.deepEqual(Object.keys(svgs).sort(), ['fanout.svg', 'new-namespace.svg']);
    const fan = svgs['fanout.svg']!;
    assert.match(fan, /^<svg /);
    for (const label of ['kube-reflect (this run)', 'floor (this run)', 'kubemirror (measured elsewhere)']) {
      assert.ok(fan.includes(label), `legend shows ${label}`);
    }
  });
});
