import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pushTo, secret, world } from '../test/fixtures.ts';
import type { StatusPrintOptions } from './status-print.ts';
import { formatStatus, printStatus } from './status-print.ts';
import type { SourceStatus } from './status-report.ts';
import { buildStatusReport, statusRows } from './status-report.ts';

// Sources whose names grow longer further down the list, so later chunks are wider than the first.
const names = ['a', 'b', 'c', 'd-long-name', 'e', 'f-much-longer-name', 'g'];
const w = world(
  ['platform', 'team-a', 'team-b'],
  names.map((n) => secret('platform', n, { k: 'v' }, pushTo('team-*'))),
);
const table: StatusPrintOptions = { format: 'table', allNamespaces: false, noHeaders: false, mirrors: false };

describe('printStatus', () => {
  it('writes each chunk as soon as it is full, before later rows are planned', () => {
    const events: string[] = [];
    function* traced(): Generator<SourceStatus> {
      for (const s of statusRows(w).rows) {
        events.push(`row ${s.source.name}`);
        yield s;
      }
    }
    printStatus(traced(), table, (text) => events.push(`write ${text.trim().split('\n').length} lines`), { chunk: 3 });
    assert.deepEqual(events, [
      'row a',
      'row b',
      'row c',
      'write 4 lines',
      'row d-long-name',
      'row e',
      'row f-much-longer-name',
      'write 3 lines',
      'row g',
      'write 1 lines',
    ]);
  });

  it('prints a chunked table aligned, as one print of the whole table', () => {
    const { refs, rows } = statusRows(w);
    let chunked = '';
    printStatus(rows, table, (text) => (chunked += text), { chunk: 3, refs });
    assert.equal(chunked, formatStatus(buildStatusReport(w), table));
  });

  it('widens later chunks rather than cut a cell it was not told of', () => {
    let chunked = '';
    printStatus(statusRows(w).rows, table, (text) => (chunked += text), { chunk: 3 });
    const at = chunked.split('\n').map((line) => line.search(/ {3}\d/));
    assert.deepEqual(at.slice(0, 8), [-1, 8, 8, 8, 25, 25, 25, 25]);
  });

  it('prints names as they come, and a header alone for an empty wide table', () => {
    let out = '';
    printStatus(statusRows(w).rows, { ...table, format: 'name' }, (text) => (out += text), { chunk: 2 });
    assert.equal(out, names.map((n) => `secret/${n}\n`).join(''));
    out = '';
    assert.equal(
      printStatus([], { ...table, format: 'wide' }, (text) => (out += text)),
      0,
    );
    assert.match(out, /^NAME\s+MIRRORS.*FINDINGS\n$/);
  });
});
