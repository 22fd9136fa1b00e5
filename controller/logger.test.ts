import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, escapeForTerminal } from './logger.ts';

// Every character a terminal may act on: C0, DEL, C1, marks, line separators, bidirectional overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const POOL = [
  ...Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)),
  '\u061c',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  'é',
  '日',
  '😀',
  '"',
  '\\',
];

function randomText(seed: number): string {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: 1 + (next() % 40) }, () => POOL[next() % POOL.length]).join('');
}

test('a log line holds no character a terminal acts on, and parses back to the very fields', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    const msg = randomText(seed);
    const error = randomText(seed * 7919);
    log.warn(msg, { error, nested: { v: error } });
    const [line] = lines;
    assert.ok(line !== undefined && line.endsWith('\n'));
    const body = line.slice(0, -1);
    assert.doesNotMatch(body, ACTIVE, `seed ${seed}`);
    const parsed = JSON.parse(body) as { msg: string; error: string; nested: { v: string }; level: string };
    assert.equal(parsed.msg, msg);
    assert.equal(parsed.error, error);
    assert.equal(parsed.nested.v, error);
    assert.equal(parsed.level, 'warn');
  }
});

test('escapeForTerminal leaves a line without such characters as it is', () => {
  const json = JSON.stringify({ msg: 'mirror written', object: 'v1/Secret team-a/db', note: 'é 日 😀' });
  assert.equal(escapeForTerminal(json), json);
  assert.equal(escapeForTerminal('{"m":"\u009b31m\u202e"}'), '{"m":"\\u009b31m\\u202e"}');
});
