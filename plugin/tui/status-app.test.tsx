import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { buildStatusReport } from '../status-report.ts';
import type { SourceStatus } from '../status-report.ts';
import { goldenWorld } from '../testdata/world.ts';
import { StatusApp } from './status-app.tsx';
import { StatusView } from './status-view.tsx';

const sources = buildStatusReport(goldenWorld()).sources;
const tick = () => new Promise((r) => setTimeout(r, 30));

/**
 * Waits until the frame satisfies the check (Ink renders asynchronously; a loaded machine is slow) and fails with the
 * last frame if it never does, so a key typed next never races a screen that has not caught up.
 */
async function until(frame: () => string | undefined, check: (f: string) => boolean): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const f = frame() ?? '';
    if (check(f)) return f;
    await tick();
  }
  assert.fail(`the screen never showed what the test waits for; last frame:\n${frame() ?? ''}`);
}

function app(onSync: (s: SourceStatus) => Promise<string> = async () => 'ok') {
  return render(
    <StatusApp
      title="ctx · all namespaces"
      sources={sources}
      height={30}
      onSync={onSync}
      explain={(s) => `EXPLAIN ${s.source.name}`}
    />,
  );
}

function selectedLine(frame: string): string {
  // The selected row is marked in the first column (and inverted where colour is on).
  return frame.split('\n').find((l) => l.startsWith('›')) ?? '';
}

describe('StatusView', () => {
  it('shows one row per source with its counts and health, and the key help', () => {
    const { lastFrame } = render(
      <StatusView
        title="t"
        sources={sources}
        selected={0}
        expanded={new Set()}
        filter=""
        filtering={false}
        height={20}
      />,
    );
    const frame = lastFrame() ?? '';
    assert.match(frame, /NAMESPACE\s+NAME\s+MIRRORS\s+IN-SYNC\s+DETAILS\s+STATUS/);
    assert.match(frame, /›\s+platform\s+secret\/api-key\s+3\s+1\s+1 missing, 1 blocked\s+Blocked/);
    assert.match(frame, /secret\/old .*SourceGone/);
    assert.match(frame, /7 sources · 10 mirrors, 3 in sync/);
    assert.match(frame, /s: sync {2}e: explain {2}q: quit/);
  });

  it('shows only a window of rows around the selection when there are more rows than fit', () => {
    const { lastFrame } = render(
      <StatusView
        title="t"
        sources={sources}
        selected={6}
        expanded={new Set()}
        filter=""
        filtering={false}
        height={3}
      />,
    );
    const frame = lastFrame() ?? '';
    assert.match(frame, /secret\/typo/);
    assert.doesNotMatch(frame, /secret\/api-key/);
  });
});

describe('StatusApp', () => {
  it('moves the selection with j, k and the arrows', async () => {
    const { lastFrame, stdin } = app();
    assert.match(selectedLine(await until(lastFrame, (f) => /api-key/.test(selectedLine(f)))), /api-key/);
    stdin.write('j');
    assert.match(selectedLine(await until(lastFrame, (f) => /secret\/db/.test(selectedLine(f)))), /secret\/db/);
    stdin.write('\x1b[B'); // down arrow
    assert.match(selectedLine(await until(lastFrame, (f) => /secret\/old/.test(selectedLine(f)))), /secret\/old/);
    stdin.write('k');
    assert.match(selectedLine(await until(lastFrame, (f) => /secret\/db/.test(selectedLine(f)))), /secret\/db/);
  });

  it('filters by typing after /', async () => {
    const { lastFrame, stdin } = app();
    await tick();
    stdin.write('/');
    await until(lastFrame, (f) => f.includes('enter: done'));
    for (const ch of 'tls') {
      stdin.write(ch);
      await tick();
    }
    const frame = await until(lastFrame, (f) => f.includes('/tls'));
    assert.match(frame, /\/tls/);
    assert.match(frame, /secret\/tls/);
    assert.doesNotMatch(frame, /secret\/db/);
    stdin.write('\r');
    assert.match(await until(lastFrame, (f) => /filter \(tls\)/.test(f)), /filter \(tls\)/);
  });

  it('expands the selected source into its mirrors with enter', async () => {
    const { lastFrame, stdin } = app();
    await tick();
    stdin.write('\r');
    const frame = await until(lastFrame, (f) => f.includes('→ apps'));
    assert.match(frame, /→ apps\s+api-key\s+push\s+missing/);
    assert.match(frame, /→ team-b\s+api-key\s+push\s+blocked/);
  });

  it('opens the explanation with e and syncs the selected source with s', async () => {
    const synced: string[] = [];
    const { lastFrame, stdin } = app(async (s) => {
      synced.push(s.source.name);
      return `synced ${s.source.name}: 1 writes`;
    });
    await tick();
    stdin.write('j');
    await until(lastFrame, (f) => /secret\/db/.test(selectedLine(f)));
    stdin.write('e');
    assert.match(await until(lastFrame, (f) => /EXPLAIN db/.test(f)), /EXPLAIN db/);
    stdin.write('s');
    assert.match(await until(lastFrame, (f) => /synced db: 1 writes/.test(f)), /synced db: 1 writes/);
    assert.deepEqual(synced, ['db']);
  });

  it('says how far reading and planning have got, on a line of its own, with the rows decided so far', () => {
    const view = (extra: { progress: string; sources: SourceStatus[] }) =>
      render(
        <StatusView
          title="ctx · namespace platform"
          selected={0}
          expanded={new Set()}
          filter=""
          filtering={false}
          height={20}
          loading
          {...extra}
        />,
      ).lastFrame() ?? '';
    const reading = view({ progress: 'reading 5,000/11,000 objects', sources: [] });
    assert.match(reading, /\nreading 5,000\/11,000 objects…\n/);
    assert.doesNotMatch(reading, /Reading the cluster|No sources/);
    const planning = view({ progress: 'planning 1/3 sources', sources: sources.slice(0, 1) });
    assert.match(planning, /\nplanning 1\/3 sources…\n/);
    assert.match(planning, new RegExp(sources[0]!.source.name));
  });

  it('shows a pending source with dots where its counts will be', () => {
    const pending: SourceStatus = { ...sources[0]!, pending: true };
    const frame =
      render(
        <StatusView
          title="t"
          sources={[pending]}
          selected={0}
          expanded={new Set()}
          filter=""
          filtering={false}
          height={10}
          loading
          progress="reading 1/2 objects"
        />,
      ).lastFrame() ?? '';
    assert.match(frame, new RegExp(`${pending.source.name}\\s+…\\s+…\\s+…`));
  });

  it('shows no count of sources while only the first of them are listed', () => {
    const frame = (countPending: boolean) =>
      render(
        <StatusView
          title="t"
          sources={sources.slice(0, 2)}
          {...(countPending ? { countPending } : {})}
          selected={0}
          expanded={new Set()}
          filter=""
          filtering={false}
          height={10}
          loading
          progress="reading 1/2 objects"
        />,
      ).lastFrame() ?? '';
    assert.match(frame(true), / · … sources\n/);
    assert.match(frame(false), / · 2 sources\n/);
  });
});
