// Splitting a watch response body into JSON documents, one per line, without quadratic copying of big objects.

/** Incrementally splits a byte stream into newline-delimited JSON values; handles lines split across chunks. */
export class JsonLinesParser {
  // Pieces of the current, unfinished line; joined only once its newline arrives so a multi-MB object costs one copy.
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Creates a parser; maxLineBytes guards memory against a server that never sends a newline. */
  constructor(private readonly maxLineBytes = 256 * 1024 * 1024) {}

  /** Feeds one chunk and returns the values of every line it completes (blank lines are skipped). */
  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
      const value = parseLine(line);
      if (value !== undefined) out.push(value);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        throw new Error(`watch line exceeds ${this.maxLineBytes} bytes without a newline`);
      }
    }
    return out;
  }

  /** Returns the value of a final line that had no trailing newline, if any. */
  end(): unknown[] {
    if (this.pending.length === 0) return [];
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const value = parseLine(line);
    return value === undefined ? [] : [value];
  }
}

function parseLine(line: Buffer): unknown {
  const text = line.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // A corrupt line means the stream is out of sync; surfacing it makes the watch restart rather than drop an event.
    throw new Error(`invalid JSON in watch stream (${text.length} bytes): ${(err as Error).message}`);
  }
}
