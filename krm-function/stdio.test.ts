// Stdin decoded chunk by chunk must read as the whole input decoded at once (characters and byte order marks cut
// anywhere), and invalid UTF-8 must come back as the very bytes read; stdout's batches must join to the pieces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from './krm-types.ts';
import { readText, writePieces } from './stdio.ts';
import { decodeUtf8 } from './yaml-text.ts';

async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.slice(at, cut);
    at = cut;
  }
  yield bytes.slice(at);
}

/** What decoding all bytes at once gives: the text, or the InputError's message. */
function whole(bytes: Uint8Array): string {
  try {
    return decodeUtf8(bytes, 'stdin');
  } catch (err) {
    if (err instanceof InputError) return `error: ${err.message}`;
    throw err;
  }
}

const PIECES = ['a', '\n', 'é', '€', '😀', '\ufeff', 'key: value\n'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(''));
const bytes = fc
  .tuple(
    fc.boolean(),
    text,
    fc.array(fc.tuple(fc.nat(200), fc.constantFrom(0xff, 0xc3, 0xe2, 0x82, 0xf0, 0xed, 0xc0)), { maxLength: 2 }),
  )
  .map(([bom, t, bad]) => {
    const b = [...(bom ? [0xef, 0xbb, 0xbf] : []), ...Buffer.from(t, 'utf8')];
    for (const [at, byte] of bad) b.splice(at % (b.length + 1), 0, byte);
    return Uint8Array.from(b);
  });

describe('stdin', () => {
  it('decoded chunk by chunk reads as decoded whole, or gives back the very bytes', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(300), { maxLength: 8 }), async (input, cuts) => {
        const read = await readText(chunksOf(input, cuts));
        if (typeof read === 'string') assert.equal(read, whole(input));
        else {
          assert.deepEqual(Buffer.from(read), Buffer.from(input));
          assert.match(whole(input), /^error: /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('an empty stdin is empty text', async () => {
    assert.equal(await readText(chunksOf(new Uint8Array(0), [])), '');
  });
});

describe('stdout', () => {
  it('writes the pieces in order as UTF-8, in batches', () => {
    const big = 'x'.repeat(3 << 20);
    const pieces = [
      'a',
      '',
      big,
      'b\n',
      'é€😀\ud800',
      ...Array<string>(5000).fill('y'.repeat(500)),
      'ü'.repeat(400_000),
    ];
    const written: Uint8Array[] = [];
    writePieces(pieces, (bytes) => written.push(Uint8Array.from(bytes)));
    assert.deepEqual(Buffer.concat(written), Buffer.from(pieces.join(''), 'utf8'));
    assert.ok(written.length > 3);
  });
});
