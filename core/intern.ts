// Interning and remembering: tens of thousands of cached objects share a few hundred namespaces, so each keeps one
// shared string; and answers the core computes for the same few inputs again and again (a kind's group, a source's
// label) are made once. Pure: no I/O, no clock.

/**
 * A bounded map from a string to the one value made from it, so equal inputs share a single value. It starts over
 * when full, so churn (namespaces created and deleted for ever) cannot grow it without end.
 */
export class Interner<T> {
  private readonly values = new Map<string, T>();

  /** Makes values with `make`; holds at most `max` of them (100,000 unless told). */
  constructor(
    private readonly make: (s: string) => T,
    private readonly max = 100_000,
  ) {}

  /** Returns the value already made from `s`, or makes and keeps it. */
  get(s: string): T {
    const known = this.values.get(s);
    if (known !== undefined) return known;
    if (this.values.size >= this.max) this.values.clear();
    const value = this.make(s);
    this.values.set(s, value);
    return value;
  }

  /** The number of values held. */
  get size(): number {
    return this.values.size;
  }
}
