import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_DIFF_EDITS, unifiedDiff } from './diff.ts';

/** Applies a unified diff made by unifiedDiff to the text it was made from; checks every context and removed line. */
function applyDiff(before: string, diff: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  const lines = diff.replace(/\n$/, '').split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i]!);
    assert.ok(header, `a hunk header: ${lines[i]}`);
    const aStart = Number(header[1]);
    const aLen = header[2] === undefined ? 1 : Number(header[2]);
    const first = aLen === 0 ? aStart : aStart - 1;
    assert.ok(first >= at, 'hunks in order, not overlapping');
    out.push(...a.slice(at, first));
    at = first;
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('@@')) {
      const line = lines[++i]!;
      if (line.startsWith('+')) out.push(line.slice(1));
      else {
        assert.equal(a[at], line.slice(1), `line ${at + 1} of the old text`);
        if (line.startsWith(' ')) out.push(line.slice(1));
        at++;
      }
    }
  }
  out.push(...a.slice(at));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** The number of lines a shortest diff changes: n + m less twice their longest common subsequence. */
function shortestEdits(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = [0];
    for (let j = 1; j <= b.length; j++)
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    prev = row;
  }
  return a.length + b.length - 2 * prev[b.length]!;
}

const changedLines = (diff: string) =>
  diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;
const text = (lines: readonly string[]) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);
// Few distinct lines, so that texts share many of them and the search has choices to make.
const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd: 1', ''), { maxLength: 30 });

describe('unifiedDiff', () => {
  it('is a diff that turns the old text into the new, changing as few lines as any diff can', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const diff = unifiedDiff(text(a), text(b), 'old', 'new');
        if (text(a) === text(b)) return assert.equal(diff, '');
        assert.equal(applyDiff(text(a), diff), text(b));
        assert.equal(changedLines(diff), shortestEdits(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('diffs a 30,000-line object with three changed lines into three short hunks', () => {
    const a = Array.from({ length: 30_000 }, (_, i) => `  key-${i}: value-${i}`);
    const b = [...a];
    b[10] = '  key-10: changed';
    b.splice(15_000, 1);
    b.push('  key-new: added');
    const diff = unifiedDiff(text(a), text(b), 'old', 'new');
    assert.equal(applyDiff(text(a), diff), text(b));
    assert.deepEqual(
      diff.split('\n').filter((l) => l.startsWith('@@')),
      ['@@ -8,7 +8,7 @@', '@@ -14998,7 +14998,6 @@', '@@ -29998,3 +29997,4 @@'],
    );
  });

  it('replaces the changed middle whole when a shortest diff would need too many edits, and is still a diff', () => {
    const a = Array.from({ length: MAX_DIFF_EDITS }, (_, i) => `old-${i}`);
    const b = Array.from({ length: MAX_DIFF_EDITS }, (_, i) => `new-${i}`);
    const before = text(['same', ...a, 'end']);
    const after = text(['same', ...b, 'end']);
    const diff = unifiedDiff(before, after, 'old', 'new');
    assert.equal(applyDiff(before, diff), after);
    assert.equal(changedLines(diff), 2 * MAX_DIFF_EDITS);
  });

  it('shows control characters and bidi overrides of a line as escapes', () => {
    assert.equal(
      unifiedDiff('a: x\n', 'a: "m\u009bn"\nb: p\u202eq\n', 'old', 'new'),
      '--- old\n+++ new\n@@ -1 +1,2 @@\n-a: x\n+a: "m\\x9bn"\n+b: p\\u202eq\n',
    );
  });

  it('writes the hunk of an empty side as kubectl diff does: start 0, length 0', () => {
    assert.equal(unifiedDiff('', 'a\nb\n', 'old', 'new'), '--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.equal(unifiedDiff('a\n', '', 'old', 'new'), '--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n');
  });
});
