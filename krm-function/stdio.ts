/**
 * reflect-fn's stdin and stdout (the benchmark's identity function uses the same, so both pay the same I/O): a big
 * package is decoded as it arrives and written a piece at a time, so it is never held as bytes and text at once.
 */
/**
 * Reads a byte stream as UTF-8 text, each chunk decoded as it arrives (a leading byte order mark dropped, as
 * decodeUtf8 drops it); returns the bytes instead when they are not valid UTF-8, for decodeUtf8 to say where.
 */
export async function readText(chunks: AsyncIterable<Uint8Array>): Promise<string | Uint8Array> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: string[] = [];
  let head: Uint8Array = new Uint8Array(0); // the first bytes, to tell whether a byte order mark was dropped
  let tail: Uint8Array = new Uint8Array(0); // the last bytes, which the decoder may hold as the start of a character
  let bytes = 0;
  let raw: Uint8Array[] | undefined; // once decoding fails: every byte, to be reported
  for await (const chunk of chunks) {
    if (raw !== undefined) {
      raw.push(chunk);
      continue;
    }
    try {
      pieces.push(decoder.decode(chunk, { stream: true }));
    } catch {
      raw = [...readBytes(pieces, head, tail, bytes), chunk];
      continue;
    }
    if (head.length < 3) head = concat(head, chunk.subarray(0, 3 - head.length));
    // A copy of the last three bytes: a view would keep the whole chunk.
    tail = chunk.length >= 3 ? Uint8Array.prototype.slice.call(chunk, -3) : concat(tail, chunk).slice(-3);
    bytes += chunk.length;
  }
  if (raw === undefined) {
    try {
      pieces.push(decoder.decode());
      return pieces.join('');
    } catch {
      raw = readBytes(pieces, head, tail, bytes);
    }
  }
  return concat(...raw);
}

/** The bytes the decoder has read so far: its text encoded again, after a dropped byte order mark, and what it holds. */
function readBytes(pieces: string[], head: Uint8Array, tail: Uint8Array, bytes: number): Uint8Array[] {
  const text = Buffer.from(pieces.join(''), 'utf8');
  const bom = head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head : new Uint8Array(0);
  const held = bytes - bom.length - text.length;
  return [bom, text, held > 0 ? tail.subarray(tail.length - held) : new Uint8Array(0)];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

// Stdout is synchronous for files and pipes on Linux: a batch at a time, the output is never held whole.
const BATCH = 1 << 20;

/**
 * Writes pieces of text in order as UTF-8, encoded straight into batches of a mebibyte (no joined string, no copy of
 * one); a longer piece is written on its own.
 */
export function writePieces(pieces: readonly string[], write: (bytes: Uint8Array) => void): void {
  let batch = Buffer.allocUnsafe(BATCH);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    write(batch.subarray(0, used));
    // A new batch each time: a write still under way may hold the last one.
    batch = Buffer.allocUnsafe(BATCH);
    used = 0;
  };
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    if (piece.length * 3 <= BATCH - used) {
      // Room for it even if every character took three bytes.
      used += batch.write(piece, used, 'utf8');
      continue;
    }
    flush();
    if (piece.length * 3 <= BATCH) used = batch.write(piece, 0, 'utf8');
    else write(Buffer.from(piece, 'utf8'));
  }
  flush();
}
