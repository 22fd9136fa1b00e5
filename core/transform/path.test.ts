import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PathSegment } from './path.ts';
import { Draft, PathError } from './path.ts';

// The plain way to do what Draft does: clone everything, then edit the clone in place; an unusable path throws.
function reference(doc: unknown, segments: readonly PathSegment[], next: unknown): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  let node: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if ('index' in seg) {
      if (!Array.isArray(node) || seg.index >= node.length) throw new PathError('bad');
      node = node[seg.index];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new PathError('bad');
      const map = node as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(map, seg.key)) map[seg.key] = {};
      node = map[seg.key];
    }
  }
  const last = segments[segments.length - 1]!;
  if ('index' in last) {
    if (!Array.isArray(node) || last.index >= node.length) throw new PathError('bad');
    if (next === undefined) node.splice(last.index, 1);
    else node[last.index] = next;
  } else {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new PathError('bad');
    if (next === undefined) delete (node as Record<string, unknown>)[last.key];
    else (node as Record<string, unknown>)[last.key] = next;
  }
  return root;
}

const key = fc.constantFrom('a', 'b', 'c', 'data', 'spec');
const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null));
const { doc } = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), fc.array(tie('node'), { maxLength: 3 })),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4, noNullPrototype: true }),
  doc: tie('map'),
}));
const segment: fc.Arbitrary<PathSegment> = fc.oneof(
  key.map((k) => ({ key: k })),
  fc.nat({ max: 3 }).map((i) => ({ index: i })),
);
const edit = fc.record({
  segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
  value: fc.oneof(leaf, fc.constant(undefined), fc.constant({ x: '1' })),
});

describe('Draft, copy-on-write', () => {
  it('edits as cloning everything would, never touches the base, and changes nothing when an edit fails', () => {
    fc.assert(
      fc.property(doc, fc.array(edit, { maxLength: 8 }), (base, edits) => {
        const frozen = structuredClone(base);
        const draft = new Draft(base as Record<string, unknown>);
        let expected: unknown = structuredClone(base);
        for (const e of edits) {
          let want: unknown;
          try {
            want = reference(expected, e.segments, e.value);
          } catch {
            want = undefined;
          }
          let failed = false;
          try {
            draft.update(e.segments, () => e.value);
          } catch (err) {
            assert.ok(err instanceof PathError, String(err));
            failed = true;
          }
          assert.equal(failed, want === undefined, `edit ${JSON.stringify(e)} on ${JSON.stringify(expected)}`);
          if (want !== undefined) expected = want;
          assert.deepEqual(draft.root, expected);
        }
        assert.deepEqual(base, frozen, 'the base document changed');
      }),
      { numRuns: 3000 },
    );
  });

  it('shares what no edit touched, and copies a touched map once however many edits it takes', () => {
    const spec = { replicas: 1 };
    const data = { A: 'a', B: 'b' };
    const draft = new Draft({ spec, data });
    draft.update([{ key: 'data' }, { key: 'A' }], () => 'x');
    const copied = draft.root.data;
    draft.update([{ key: 'data' }, { key: 'C' }], () => 'c');
    draft.update([{ key: 'data' }, { key: 'B' }], () => undefined);
    assert.equal(draft.root.spec, spec);
    assert.equal(draft.root.data, copied);
    assert.deepEqual(draft.root.data, { A: 'x', C: 'c' });
    assert.deepEqual(data, { A: 'a', B: 'b' });
  });
});
