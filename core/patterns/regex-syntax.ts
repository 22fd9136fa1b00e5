import {
  ALL_CHARS,
  MAX_CODE_POINT,
  charSetOf,
  complementCharSet,
  type CharSet,
  type CodePointRange,
} from './char-set.ts';

/** A node of a parsed JavaScript regular expression (the `u`-flag dialect subset we can analyse). */
export type RegexNode =
  | { readonly type: 'char'; readonly set: CharSet }
  | { readonly type: 'assert'; readonly kind: 'start' | 'end' | 'boundary' }
  | { readonly type: 'look'; readonly behind: boolean; readonly negate: boolean; readonly body: RegexNode }
  | { readonly type: 'group'; readonly body: RegexNode }
  | { readonly type: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alt'; readonly branches: readonly RegexNode[] }
  | { readonly type: 'repeat'; readonly min: number; readonly max: number; readonly body: RegexNode };

/** The outcome of parsing: the syntax tree, or the reason the pattern is outside the analysable subset. */
export type ParseResult = { ok: true; node: RegexNode } | { ok: false; error: string };

// Sets are exact where cheap (\d, \w and literals) and otherwise over-approximated as every code point:
// a larger set only makes the safety analysis more pessimistic, never wrong.
const DIGITS: CharSet = [[0x30, 0x39]];
const WORD: CharSet = charSetOf([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

interface Atom {
  readonly set: CharSet;
  // A single code point is needed for class ranges; `exact` says whether `set` is exact, so that negation stays sound.
  readonly single?: number;
  readonly exact: boolean;
}

class SyntaxFailure extends Error {}

/** Parses a regular expression with JavaScript `u`-flag syntax, rejecting backreferences and unsupported syntax. */
export function parseRegex(text: string): ParseResult {
  try {
    const parser = new Parser(text);
    const node = parser.disjunction();
    if (!parser.done()) parser.fail(`unmatched '${parser.peek() ?? ''}'`);
    return { ok: true, node };
  } catch (err) {
    return { ok: false, error: err instanceof SyntaxFailure ? err.message : String(err) };
  }
}

/** Whether a parsed pattern contains a lookahead or lookbehind. */
export function hasLookaround(node: RegexNode): boolean {
  switch (node.type) {
    case 'look':
      return true;
    case 'group':
    case 'repeat':
      return hasLookaround(node.body);
    case 'seq':
      return node.items.some(hasLookaround);
    case 'alt':
      return node.branches.some(hasLookaround);
    default:
      return false;
  }
}

/** Whether the text spells a lookaround opener outside escapes and character classes (works on unparsable text too). */
export function mentionsLookaround(text: string): boolean {
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && /^\(\?<?[=!]/.test(text.slice(i, i + 4))) return true;
  }
  return false;
}

class Parser {
  private readonly cps: readonly string[];
  private pos = 0;

  constructor(text: string) {
    // The `u` flag reads the pattern by code point, so we do too.
    this.cps = Array.from(text);
  }

  done(): boolean {
    return this.pos >= this.cps.length;
  }

  peek(offset = 0): string | undefined {
    return this.cps[this.pos + offset];
  }

  fail(reason: string): never {
    throw new SyntaxFailure(`${reason} at position ${this.pos}`);
  }

  private eat(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (this.peek(i) !== s[i]) return false;
    this.pos += s.length;
    return true;
  }

  private next(): string {
    const c = this.peek();
    if (c === undefined) this.fail('unexpected end of pattern');
    this.pos++;
    return c;
  }

  disjunction(): RegexNode {
    const branches = [this.alternative()];
    while (this.eat('|')) branches.push(this.alternative());
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alt', branches };
  }

  private alternative(): RegexNode {
    const items: RegexNode[] = [];
    while (!this.done() && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'seq', items };
  }

  private term(): RegexNode {
    const assertion = this.assertion();
    if (assertion !== undefined) {
      if (this.quantifierAhead()) this.fail('nothing to repeat: an assertion cannot be quantified');
      return assertion;
    }
    const atom = this.atom();
    return this.quantified(atom);
  }

  private assertion(): RegexNode | undefined {
    if (this.eat('^')) return { type: 'assert', kind: 'start' };
    if (this.eat('$')) return { type: 'assert', kind: 'end' };
    if (this.eat('\\b') || this.eat('\\B')) return { type: 'assert', kind: 'boundary' };
    for (const [open, behind, negate] of [
      ['(?=', false, false],
      ['(?!', false, true],
      ['(?<=', true, false],
      ['(?<!', true, true],
    ] as const) {
      if (this.eat(open)) {
        const body = this.disjunction();
        if (!this.eat(')')) this.fail('unterminated lookaround');
        return { type: 'look', behind, negate, body };
      }
    }
    return undefined;
  }

  private quantifierAhead(): boolean {
    const c = this.peek();
    return c === '*' || c === '+' || c === '?' || c === '{';
  }

  private quantified(body: RegexNode): RegexNode {
    let min: number;
    let max: number;
    if (this.eat('*')) [min, max] = [0, Infinity];
    else if (this.eat('+')) [min, max] = [1, Infinity];
    else if (this.eat('?')) [min, max] = [0, 1];
    else if (this.eat('{')) [min, max] = this.braces();
    else return body;
    this.eat('?'); // lazy and greedy loops explore the same paths, so the analysis treats them alike
    if (this.quantifierAhead()) this.fail('nothing to repeat');
    return { type: 'repeat', min, max, body };
  }

  private braces(): [number, number] {
    const min = this.integer();
    let max = min;
    if (this.eat(',')) max = this.peek() === '}' ? Infinity : this.integer();
    if (!this.eat('}')) this.fail("incomplete quantifier '{'");
    if (max < min) this.fail('numbers out of order in {} quantifier');
    return [min, max];
  }

  private integer(): number {
    let digits = '';
    while (/^[0-9]$/.test(this.peek() ?? '')) digits += this.next();
    if (digits === '') this.fail("incomplete quantifier '{'");
    return Number(digits);
  }

  private atom(): RegexNode {
    const c = this.next();
    switch (c) {
      case '.':
        return { type: 'char', set: ALL_CHARS };
      case '[':
        return { type: 'char', set: this.characterClass() };
      case '(':
        return this.group();
      case '\\':
        return { type: 'char', set: this.escape(false).set };
      case ')':
      case ']':
      case '{':
      case '}':
      case '|':
        return this.fail(`unexpected '${c}'`);
      case '*':
      case '+':
      case '?':
        return this.fail('nothing to repeat');
      default:
        return { type: 'char', set: singleton(c.codePointAt(0) ?? 0) };
    }
  }

  private group(): RegexNode {
    if (this.eat('?:')) {
      // non-capturing
    } else if (this.eat('?<')) {
      let name = '';
      while (this.peek() !== '>') {
        const ch = this.next();
        if (!/^[\p{ID_Continue}$]$/u.test(ch)) this.fail('invalid capture group name');
        name += ch;
      }
      this.pos++;
      if (name === '' || !/^[\p{ID_Start}$_]/u.test(name)) this.fail('invalid capture group name');
    } else if (this.peek() === '?') {
      this.fail("unsupported group syntax '(?'");
    }
    const body = this.disjunction();
    if (!this.eat(')')) this.fail("missing ')'");
    return { type: 'group', body };
  }

  private characterClass(): CharSet {
    const negate = this.eat('^');
    const parts: CodePointRange[] = [];
    let exact = true;
    while (!this.eat(']')) {
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const to = this.classAtom();
        if (from.single === undefined || to.single === undefined) this.fail('invalid character class range');
        if (from.single > to.single) this.fail('range out of order in character class');
        if (from.exact && to.exact) parts.push([from.single, to.single]);
        else exact = false;
      } else {
        parts.push(...from.set);
        exact &&= from.exact;
      }
    }
    const set = exact ? charSetOf(parts) : ALL_CHARS;
    if (!negate) return set;
    return exact ? complementCharSet(set) : ALL_CHARS;
  }

  private classAtom(): Atom {
    const c = this.next();
    if (c === '\\') return this.escape(true);
    return { ...exactAtom(c.codePointAt(0) ?? 0) };
  }

  private escape(inClass: boolean): Atom {
    const c = this.next();
    switch (c) {
      case 'd':
        return { set: DIGITS, exact: true };
      case 'D':
        return { set: complementCharSet(DIGITS), exact: true };
      case 'w':
        return { set: WORD, exact: true };
      case 'W':
        return { set: complementCharSet(WORD), exact: true };
      case 's':
      case 'S':
        return { set: ALL_CHARS, exact: false };
      case 'p':
      case 'P':
        if (!this.eat('{')) this.fail('invalid property name');
        while (this.next() !== '}') {
          // the engine validates the property name; we only need its extent
        }
        return { set: ALL_CHARS, exact: false };
      case 'f':
        return exactAtom(0x0c);
      case 'n':
        return exactAtom(0x0a);
      case 'r':
        return exactAtom(0x0d);
      case 't':
        return exactAtom(0x09);
      case 'v':
        return exactAtom(0x0b);
      case 'b':
        if (inClass) return exactAtom(0x08);
        return this.fail('unexpected \\b');
      case '-':
        if (inClass) return exactAtom(0x2d);
        return this.fail('invalid escape \\-');
      case '0':
        if (/^[0-9]$/.test(this.peek() ?? '')) this.fail('invalid decimal escape');
        return exactAtom(0);
      case 'c': {
        const letter = this.next();
        if (!/^[A-Za-z]$/.test(letter)) this.fail('invalid control escape');
        return exactAtom((letter.codePointAt(0) ?? 0) % 32);
      }
      case 'x':
        return codeUnitAtom(this.hex(2));
      case 'u':
        if (this.eat('{')) {
          let digits = '';
          while (this.peek() !== '}') digits += this.next();
          this.pos++;
          const value = /^[0-9A-Fa-f]+$/.test(digits) ? parseInt(digits, 16) : NaN;
          if (!(value <= MAX_CODE_POINT)) this.fail('invalid unicode escape');
          return codeUnitAtom(value);
        }
        return codeUnitAtom(this.hex(4));
      case 'k':
        return this.fail('backreferences are not supported');
      default:
        if (/^[1-9]$/.test(c)) this.fail('backreferences are not supported');
        if (SYNTAX_CHARS.includes(c)) return exactAtom(c.codePointAt(0) ?? 0);
        return this.fail(`invalid escape \\${c}`);
    }
  }

  private hex(count: number): number {
    let digits = '';
    for (let i = 0; i < count; i++) digits += this.next();
    if (!/^[0-9A-Fa-f]+$/.test(digits)) this.fail('invalid hexadecimal escape');
    return parseInt(digits, 16);
  }
}

function singleton(cp: number): CharSet {
  return [[cp, cp]];
}

function exactAtom(cp: number): Atom {
  return { set: singleton(cp), single: cp, exact: true };
}

// An escaped surrogate may pair up with a neighbouring one into another code point, so its set is unknown.
function codeUnitAtom(cp: number): Atom {
  if (cp >= 0xd800 && cp <= 0xdfff) return { set: ALL_CHARS, single: cp, exact: false };
  return exactAtom(cp);
}

/** Unions the sets of a node that matches exactly one character, or returns undefined when it does not. */
export function singleCharSet(node: RegexNode): CharSet | undefined {
  switch (node.type) {
    case 'char':
      return node.set;
    case 'group':
      return singleCharSet(node.body);
    case 'seq':
      return node.items.length === 1 ? singleCharSet(node.items[0] as RegexNode) : undefined;
    default:
      return undefined;
  }
}
