import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLabelSelector } from './label-selector.ts';
import { validateLabelKey, validateLabelValue } from './label-syntax.ts';

type Labels = Record<string, string>;

describe('parseLabelSelector matching', () => {
  const cases: { name: string; selector: string; yes: Labels[]; no: Labels[] }[] = [
    {
      name: 'key=value needs the key with that value',
      selector: 'env=prod',
      yes: [{ env: 'prod' }],
      no: [{ env: 'dev' }, {}],
    },
    { name: 'key==value is the same as key=value', selector: 'env==prod', yes: [{ env: 'prod' }], no: [{}] },
    {
      name: 'key!=value also matches when the key is absent',
      selector: 'env!=prod',
      yes: [{}, { env: 'dev' }],
      no: [{ env: 'prod' }],
    },
    {
      name: 'in needs the key with one of the values',
      selector: 'env in (dev, prod)',
      yes: [{ env: 'dev' }, { env: 'prod' }],
      no: [{ env: 'qa' }, {}],
    },
    {
      name: 'notin also matches when the key is absent',
      selector: 'env notin (dev,prod)',
      yes: [{}, { env: 'qa' }],
      no: [{ env: 'dev' }],
    },
    { name: 'a bare key needs the key to exist', selector: 'team', yes: [{ team: '' }, { team: 'a' }], no: [{}] },
    { name: '!key needs the key to be absent', selector: '!team', yes: [{}], no: [{ team: '' }] },
    {
      name: 'commas AND requirements together',
      selector: 'env=prod, team, !legacy',
      yes: [{ env: 'prod', team: 'a' }],
      no: [{ env: 'prod' }, { env: 'prod', team: 'a', legacy: 'y' }],
    },
    { name: 'key= matches an empty value', selector: 'env=', yes: [{ env: '' }], no: [{ env: 'x' }, {}] },
    {
      name: 'a prefixed key is matched whole',
      selector: 'example.com/tier=db',
      yes: [{ 'example.com/tier': 'db' }],
      no: [{ tier: 'db' }],
    },
    { name: 'an empty selector matches everything', selector: '', yes: [{}, { a: 'b' }], no: [] },
    { name: 'a blank selector matches everything', selector: ' \t\n', yes: [{}], no: [] },
    {
      name: 'in and notin are plain words in key and value positions',
      selector: 'in in (in,notin)',
      yes: [{ in: 'notin' }],
      no: [{}],
    },
    {
      name: 'greater-than compares integers',
      selector: 'size>5',
      yes: [{ size: '6' }],
      no: [{ size: '5' }, { size: 'x' }, {}],
    },
    { name: 'less-than compares integers', selector: 'size<5', yes: [{ size: '-6' }], no: [{ size: '5' }, {}] },
    { name: 'labels inherited from the prototype do not count', selector: 'toString', yes: [], no: [{}] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseLabelSelector(c.selector);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.selector.text, c.selector);
      for (const l of c.yes) assert.equal(r.selector.matches(l), true, JSON.stringify(l));
      for (const l of c.no) assert.equal(r.selector.matches(l), false, JSON.stringify(l));
    });
  }
});

describe('parseLabelSelector structure', () => {
  it('an empty selector has no requirements', () => {
    const r = parseLabelSelector('');
    assert.ok(r.ok);
    assert.deepEqual(r.selector.requirements, []);
  });

  it('requirements are sorted by key and values deduplicated and sorted, as Kubernetes does', () => {
    const r = parseLabelSelector('z in (b,a,b), a=x');
    assert.ok(r.ok);
    assert.deepEqual(r.selector.requirements, [
      { key: 'a', operator: '=', values: ['x'] },
      { key: 'z', operator: 'in', values: ['a', 'b'] },
    ]);
  });

  it('empty entries in a value list become the empty value, as Kubernetes does', () => {
    for (const [text, values] of [
      ['a in ()', ['']],
      ['a in (,x)', ['', 'x']],
      ['a in (x,)', ['', 'x']],
      ['a in (x,,y)', ['', 'x', 'y']],
    ] as const) {
      const r = parseLabelSelector(text);
      assert.ok(r.ok, text);
      assert.deepEqual(r.selector.requirements[0]?.values, values, text);
    }
  });
});

describe('parseLabelSelector errors', () => {
  const errors: [string, string, RegExp][] = [
    ['a key with an uppercase prefix is invalid', 'Foo.com/a=b', /invalid label key 'Foo.com\/a'.*prefix/],
    ['a key with an empty name is invalid', 'foo.com/=b', /invalid label key 'foo.com\/'/],
    ['a key with two slashes is invalid', 'a/b/c=d', /invalid label key 'a\/b\/c'/],
    ['a key name over 63 characters is invalid', `${'k'.repeat(64)}=v`, /invalid label key/],
    ['a key name must end with an alphanumeric', 'a-=v', /invalid label key 'a-'/],
    ['a value over 63 characters is invalid', `a=${'v'.repeat(64)}`, /invalid value 'v+' for label key 'a'/],
    ['a value must start with an alphanumeric', 'a=-b', /invalid value '-b'/],
    ['a value list needs its closing parenthesis', 'a in (b', /expected ',' or '\)'/],
    ['in needs a parenthesised list', 'a in b', /found 'b', expected '\('/],
    ['a doubled operator is an error', 'a=b=c', /found '='/],
    ['a leading comma is an error', ',a', /found ','/],
    ['a trailing comma is an error', 'a,', /after ','/],
    ['!key cannot take an operator', '!a=b', /found '='/],
    ['an unknown operator is an error', 'a b', /found 'b', expected one of/],
    ['greater-than needs an integer', 'a>b', /must be an integer/],
    ['a NUL character is refused rather than ending the selector', 'a=b\0,c', /NUL/],
  ];
  for (const [name, text, error] of errors) {
    it(name, () => {
      const r = parseLabelSelector(text);
      assert.ok(!r.ok, `${JSON.stringify(text)} should be rejected`);
      assert.match(r.error, error);
    });
  }
});

describe('label syntax', () => {
  it('keys and values follow the Kubernetes rules', () => {
    assert.equal(validateLabelKey('app.kubernetes.io/name'), undefined);
    assert.equal(validateLabelKey('A_b.c-D'), undefined);
    assert.notEqual(validateLabelKey(`${'a'.repeat(254)}/x`), undefined);
    assert.equal(validateLabelValue(''), undefined);
    assert.equal(validateLabelValue('a'.repeat(63)), undefined);
    assert.notEqual(validateLabelValue('a'.repeat(64)), undefined);
    assert.notEqual(validateLabelValue('a b'), undefined);
  });
});

describe('label selector properties', () => {
  it('parsing and matching random selectors never throws', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'x/y',
      ' ',
      ',',
      '=',
      '==',
      '!=',
      '!',
      'in',
      'notin',
      '(',
      ')',
      '>',
      '<',
      '5',
      '-',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        ),
        fc.dictionary(fc.constantFrom('a', 'b', 'x/y', 'in'), fc.constantFrom('', 'a', 'b', '5', '7', 'x')),
        (text, labels) => {
          const r = parseLabelSelector(text);
          if (r.ok) assert.equal(typeof r.selector.matches(labels), 'boolean');
          else assert.ok(r.error.startsWith('invalid label selector'));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
