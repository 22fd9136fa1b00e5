import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { render } from 'ink';
import type { KubeObject } from '../../core/index.ts';
import { pendingStatuses } from '../status-report.ts';
import { goldenWorld } from '../testdata/world.ts';
import { drawOver, firstFrameLines, paintFirstFrame, truncateEnd } from './first-paint.ts';
import type { FirstFrame } from './first-paint.ts';
import { StatusApp } from './status-app.tsx';

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** A terminal of the given width for Ink, keeping every frame it is sent. */
class FakeTerminal extends EventEmitter {
  frames: string[] = [];
  constructor(readonly columns: number) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

/** Returns the frame Ink draws first for the state the first paint stands for, one string per line. */
async function inkFirstFrame(frame: FirstFrame): Promise<string[]> {
  const stdout = new FakeTerminal(frame.columns);
  const app = render(
    <StatusApp
      title={frame.title}
      sources={[...frame.sources]}
      countPending
      loading
      progress={frame.progress}
      height={frame.height}
      onSync={async () => ''}
      explain={() => ''}
    />,
    { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, patchConsole: false },
  );
  await new Promise((r) => setTimeout(r, 20));
  app.unmount();
  const first = stdout.frames.find((f) => f.trim() !== '') ?? '';
  return plain(first)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.trimEnd());
}

/** A namespace of n sources, each a Secret sent to one other namespace. */
function sources(n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `source-${String(i).padStart(3, '0')}`,
      namespace: 'platform',
      annotations: { 'kube-reflect.io/to': 'team-*' },
    },
    data: {},
  }));
}

function frameOf(objects: readonly KubeObject[], over: Partial<FirstFrame> = {}): FirstFrame {
  const height = over.height ?? 29;
  return {
    title: 'dev · namespace platform',
    sources: pendingStatuses(objects, { namespace: 'platform' }, {}, height),
    progress: 'reading 0 objects',
    height,
    columns: 100,
    colors: false,
    ...over,
  };
}

describe('firstFrameLines', () => {
  const cases: [string, FirstFrame][] = [
    ['the golden world', frameOf(goldenWorld().objects)],
    ['more sources than the screen has rows', frameOf(sources(60), { height: 20 })],
    ['no sources (yet)', frameOf([])],
    ['a terminal narrower than the rows', frameOf(sources(5), { columns: 40 })],
    ['a tiny terminal', frameOf(sources(10), { height: 5, columns: 30 })],
    ['a long title', frameOf(sources(3), { title: `dev · namespace ${'x'.repeat(50)}`, columns: 60 })],
  ];
  for (const [name, frame] of cases) {
    it(`is the text of Ink's first frame for the same state: ${name}`, async () => {
      assert.deepEqual(
        firstFrameLines(frame).map((l) => l.trimEnd()),
        await inkFirstFrame(frame),
      );
    });
  }

  it('writes the same text with colours, and marks the first row selected', () => {
    const frame = frameOf(goldenWorld().objects);
    const colored = firstFrameLines({ ...frame, colors: true });
    assert.deepEqual(colored.map(plain), firstFrameLines(frame));
    assert.equal(colored[0], '\x1b[1mkubectl reflect status\x1b[22m · dev · namespace platform · … sources');
    assert.ok(colored[3]!.includes('\x1b[7m›'), 'the first row is inverted');
    assert.ok(!colored[4]!.includes('\x1b[7m'), 'the second row is not');
  });

  it('keeps every line within the terminal, so the lines written are the lines to erase', () => {
    const frame = frameOf(sources(40), { columns: 25, height: 12 });
    for (const line of firstFrameLines(frame)) assert.ok([...line].length <= 25, line);
  });
});

describe('truncateEnd', () => {
  it('cuts to the width with an ellipsis, and leaves what fits', () => {
    assert.equal(truncateEnd('abcdef', 4), 'abc…');
    assert.equal(truncateEnd('abcd', 4), 'abcd');
    assert.equal(truncateEnd('→ ab', 3), '→ …');
  });
});

describe('drawOver', () => {
  it('starts the next write by erasing the painted lines, and only that write', () => {
    const written: string[] = [];
    const out = { write: (text: string) => (written.push(text), true) };
    const { lines } = paintFirstFrame(out, frameOf(sources(2)));
    assert.equal(written[0]!.split('\n').length - 1, lines);
    drawOver(out, lines);
    out.write('frame 1');
    out.write('frame 2');
    assert.deepEqual(written.slice(1), [`\r\x1b[${lines}A\x1b[Jframe 1`, 'frame 2']);
  });

  it('paints nothing on a terminal too short for the frame (its top would scroll where it cannot be erased)', () => {
    const written: string[] = [];
    const out = { write: (text: string) => (written.push(text), true) };
    assert.equal(paintFirstFrame(out, frameOf(sources(10), { height: 5 })).lines, 0);
    assert.deepEqual(written, []);
    assert.equal(paintFirstFrame(out, frameOf(sources(10), { height: 9 })).lines, 8);
  });

  it('writes nothing extra when nothing was painted', () => {
    const written: string[] = [];
    const out = { write: (text: string) => (written.push(text), true) };
    drawOver(out, 0);
    out.write('frame');
    assert.deepEqual(written, ['frame']);
  });
});
