// reflect-fn must read every scalar as Kubernetes does (sigs.k8s.io/yaml on go-yaml v2), and write values so that
// Kubernetes reads them back unchanged. Expected values below are go-yaml v2's (resolve.go): YAML 1.1 booleans and
// nulls, strconv.ParseInt/ParseUint base 0 with underscores removed, no sexagesimal numbers, timestamps as strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { goFloat, goInt, WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';

const CASES: [string, unknown][] = [
  // the trust-repro cases: time-like values stay strings
  ['01:30', '01:30'],
  ['16:9', '16:9'],
  ['1:5', '1:5'],
  ['0:1:2:3:4:5', '0:1:2:3:4:5'],
  ['12:30:00', '12:30:00'],
  ['-1:30', '-1:30'],
  ['190:20:30.15', '190:20:30.15'],
  // YAML 1.1 booleans, exactly go-yaml's spellings
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['y', true],
  ['Y', true],
  ['on', true],
  ['On', true],
  ['true', true],
  ['no', false],
  ['n', false],
  ['off', false],
  ['OFF', false],
  ['False', false],
  ['yES', 'yES'],
  ['oN', 'oN'],
  // nulls
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['', null],
  ['nULL', 'nULL'],
  // integers: base 0 (0x, 0o, 0b, a leading 0 is octal), underscores removed, signs
  ['0', 0],
  ['-0', 0],
  ['42', 42],
  ['+12', 12],
  ['-17', -17],
  ['0777', 511],
  ['0o17', 15],
  ['0O17', 15],
  ['0x1F', 31],
  ['0X1f', 31],
  ['-0x1F', -31],
  ['0b101', 5],
  ['1_000', 1000],
  ['0x_1F', 31],
  ['_1', '_1'],
  // integers beyond 2^53 keep every digit; int64 and uint64 ranges as Go has them
  ['9007199254740993', 9007199254740993n],
  ['12345678901234567890', 12345678901234567890n],
  ['9223372036854775807', 9223372036854775807n],
  ['-9223372036854775808', -9223372036854775808n],
  ['18446744073709551615', 18446744073709551615n],
  ['0xFFFFFFFFFFFFFFFF', 18446744073709551615n],
  // beyond uint64: decimal digits become a float (as in Go), other bases stay strings
  ['18446744073709551616', 18446744073709551616],
  ['0xFFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFFF'],
  ['-9223372036854775809', Number('-9223372036854775809')],
  // floats
  ['1e3', 1000],
  ['1E3', 1000],
  ['1.5', 1.5],
  ['3.', 3],
  ['.5', 0.5],
  ['-.5', -0.5],
  ['08', 8],
  ['1_000.5', 1000.5],
  ['1e400', '1e400'],
  ['.inf', Infinity],
  ['-.Inf', -Infinity],
  ['+.INF', Infinity],
  ['.nan', NaN],
  ['.NaN', NaN],
  ['inf', 'inf'],
  ['NaN', 'NaN'],
  ['.5_0', '.5_0'],
  ['0x1p-2', '0x1p-2'],
  ['1e', '1e'],
  // timestamps: go-yaml gives untyped values the string they spell
  ['2024-01-01', '2024-01-01'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  // plain strings
  ['abc', 'abc'],
  ['1.2.3', '1.2.3'],
  ['0.0.0.0/0', '0.0.0.0/0'],
  ['1-2', '1-2'],
];

function read(text: string): unknown {
  return (parse(`v: ${text}\n`, YAML_OPTIONS) as { v: unknown }).v;
}

describe('reading scalars as Kubernetes does', () => {
  for (const [text, want] of CASES) {
    it(`${JSON.stringify(text)} reads as ${typeof want === 'bigint' ? `${want}n` : (JSON.stringify(want) ?? String(want))}`, () => {
      assert.deepEqual(read(text), want);
      // Written back and read again, the value is the same (strings are quoted where another reading is possible).
      const written = stringify({ v: want }, { ...YAML_OPTIONS, ...WRITE_OPTIONS });
      assert.deepEqual(read(written.slice(3).trimEnd()), want, `written as ${written}`);
    });
  }

  it('quotes strings that a YAML 1.1 reader could take for a number, a boolean or a date', () => {
    for (const s of ['01:30', '16:9', 'yes', 'on', '0o17', '12', '2024-01-01', 'null', '']) {
      assert.match(stringify(s, { ...YAML_OPTIONS, ...WRITE_OPTIONS }), /^"/, s);
    }
  });

  it('writes big integers with every digit and never as a rounded number', () => {
    assert.equal(
      stringify({ big: 12345678901234567890n }, { ...YAML_OPTIONS, ...WRITE_OPTIONS }),
      'big: 12345678901234567890\n',
    );
  });

  it('reads keys the same way (a key `on` is "true", as kubectl reads it)', () => {
    assert.deepEqual(parse('on: 1\n01:30: 2\n', YAML_OPTIONS), { true: 1, '01:30': 2 });
  });

  it('goInt and goFloat agree with Go on the edges of int64 and uint64', () => {
    assert.equal(goInt('-9223372036854775809'), undefined);
    assert.equal(goInt('+18446744073709551615'), undefined); // ParseUint takes no sign
    assert.equal(goFloat('-9223372036854775809'), -(2 ** 63));
    assert.equal(goFloat('1e-400'), 0);
  });
});
