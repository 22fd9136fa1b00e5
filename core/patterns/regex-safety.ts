import { ALL_CHARS, NO_CHARS, charSetsIntersect, unionCharSets, type CharSet } from './char-set.ts';
import { singleCharSet, type RegexNode } from './regex-syntax.ts';

/** Names longer than this never match a backtracking pattern; no namespace name is longer (RFC 1123 label). */
export const MAX_BACKTRACKING_NAME_LENGTH = 63;

/** The most backtracking steps one match may take in the worst case before we refuse the pattern. */
export const MAX_BACKTRACKING_STEPS = 100_000;

/** The verdict on running a pattern on a backtracking engine: a proven worst-case step bound, or why none exists. */
export type SafetyVerdict =
  { ok: true; steps: number } | { ok: false; problem: 'exponential' | 'polynomial'; reason: string; advice: string };

// What can follow a point of the match: `set`/`eof` over-approximate the next input symbol for which the rest may
// succeed; `live` bounds the steps of the rest entered anywhere, `dead` the steps when the next symbol is outside.
interface Continuation {
  readonly set: CharSet;
  readonly eof: boolean;
  readonly live: number;
  readonly dead: number;
}

const ACCEPT: Continuation = { set: ALL_CHARS, eof: true, live: 1, dead: 1 };

class Unsafe extends Error {
  constructor(
    readonly reason: string,
    readonly advice: string,
  ) {
    super(reason);
  }
}

/**
 * Bounds the worst-case steps of a sticky match of `node` at position 0 on a backtracking engine, counting every
 * path the engine can explore on a name of at most MAX_BACKTRACKING_NAME_LENGTH characters.
 */
export function analyzeBacktracking(node: RegexNode): SafetyVerdict {
  try {
    const steps = analyze(node, ACCEPT, false).live;
    if (steps > MAX_BACKTRACKING_STEPS) {
      return {
        ok: false,
        problem: 'polynomial',
        reason: `up to ${steps.toPrecision(2)} backtracking steps on a ${MAX_BACKTRACKING_NAME_LENGTH}-character name, limit ${MAX_BACKTRACKING_STEPS}`,
        advice: 'make neighbouring repetitions match different characters',
      };
    }
    return { ok: true, steps };
  } catch (err) {
    if (err instanceof Unsafe) return { ok: false, problem: 'exponential', reason: err.reason, advice: err.advice };
    throw err;
  }
}

// `backward` is set inside lookbehinds, which the engine matches from right to left.
function analyze(node: RegexNode, k: Continuation, backward: boolean): Continuation {
  switch (node.type) {
    case 'char':
      return { set: node.set, eof: false, live: 1 + k.live, dead: 1 };
    case 'assert':
      // The assertion that checks the edge ahead of the match direction only passes when no symbol follows.
      if (node.kind === (backward ? 'start' : 'end')) return { set: NO_CHARS, eof: true, live: 1 + k.live, dead: 1 };
      return { ...k, live: 1 + k.live, dead: 1 + k.dead };
    case 'look': {
      // Lookarounds are atomic: the body is explored at most once per entry, then the rest runs at most once.
      const body = analyze(node.body, ACCEPT, node.behind).live;
      return { ...k, live: body + k.live, dead: body + k.dead };
    }
    case 'group':
      return analyze(node.body, k, backward);
    case 'seq': {
      const items = backward ? node.items : [...node.items].reverse();
      return items.reduce<Continuation>((rest, item) => analyze(item, rest, backward), k);
    }
    case 'alt': {
      const branches = node.branches.map((b) => analyze(b, k, backward));
      return {
        set: branches.reduce<CharSet>((s, b) => unionCharSets(s, b.set), NO_CHARS),
        eof: branches.some((b) => b.eof),
        live: 1 + branches.reduce((n, b) => n + b.live, 0),
        dead: 1 + branches.reduce((n, b) => n + b.dead, 0),
      };
    }
    case 'repeat':
      return analyzeRepeat(node, k, backward);
  }
}

function analyzeRepeat(node: RegexNode & { type: 'repeat' }, k: Continuation, backward: boolean): Continuation {
  const { min, max, body } = node;
  if (max === 0) return { ...k, live: 1 + k.live, dead: 1 + k.dead };
  const set = repeatableSet(body);
  if (set !== undefined) {
    // Each iteration consumes one character, so a name bounds the iterations. The rest runs once per count; when
    // the loop's characters cannot start the rest, every run but the one after the final iteration fails at once.
    const reach = Math.min(max, MAX_BACKTRACKING_NAME_LENGTH);
    const runs = Math.max(0, reach - min + 1);
    const disjoint = !charSetsIntersect(set, k.set);
    const rest = runs === 0 ? 0 : disjoint ? (runs - 1) * k.dead + k.live : runs * k.live;
    return min === 0
      ? { set: unionCharSets(set, k.set), eof: k.eof, live: reach + 1 + rest, dead: 1 + k.dead }
      : { set, eof: false, live: reach + 1 + rest, dead: 1 };
  }
  if (max === 1) {
    const once = analyze(body, k, backward);
    if (min === 1) return once;
    return {
      set: unionCharSets(once.set, k.set),
      eof: once.eof || k.eof,
      live: 1 + once.live + k.live,
      dead: 1 + once.dead + k.dead,
    };
  }
  if (contains(body, 'repeat')) throw new Unsafe('nested quantifier', 'rewrite it without nested repetition');
  if (contains(body, 'alt')) {
    throw new Unsafe(
      'repeated alternatives that may match the same text',
      'repeat a character class such as [ab] instead, or write the alternatives out',
    );
  }
  throw new Unsafe('repeated group of several characters', 'repeat single characters or character classes only');
}

// The characters a repeated body matches when it always consumes exactly one, with alternatives pairwise disjoint
// so that each character has a single path; undefined otherwise.
function repeatableSet(body: RegexNode): CharSet | undefined {
  const single = singleCharSet(body);
  if (single !== undefined) return single;
  const inner = unwrap(body);
  if (inner.type !== 'alt') return undefined;
  let union: CharSet = NO_CHARS;
  for (const branch of inner.branches) {
    const set = singleCharSet(branch);
    if (set === undefined) return undefined;
    if (charSetsIntersect(union, set)) {
      throw new Unsafe(
        'repeated alternatives that may match the same text',
        'make the alternatives match different characters',
      );
    }
    union = unionCharSets(union, set);
  }
  return union;
}

function unwrap(node: RegexNode): RegexNode {
  if (node.type === 'group') return unwrap(node.body);
  if (node.type === 'seq' && node.items.length === 1) return unwrap(node.items[0] as RegexNode);
  return node;
}

function contains(node: RegexNode, type: RegexNode['type']): boolean {
  if (node.type === type) return true;
  switch (node.type) {
    case 'group':
    case 'repeat':
    case 'look':
      return contains(node.body, type);
    case 'seq':
      return node.items.some((n) => contains(n, type));
    case 'alt':
      return node.branches.some((n) => contains(n, type));
    default:
      return false;
  }
}
