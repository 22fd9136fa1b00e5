import { validateLabelKey, validateLabelValue } from './label-syntax.ts';

/** A label selector operator, named as in k8s.io/apimachinery `selection.Operator`. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a label selector; all requirements of a selector must hold. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted, deduplicated values, as Kubernetes stores them (empty for `exists` and `!`). */
  readonly values: readonly string[];
}

/** A parsed label selector; zero requirements match every label set. */
export interface LabelSelector {
  readonly text: string;
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>>): boolean;
}

/** The outcome of parsing a selector: the selector, or an error naming the offending part. */
export type LabelSelectorResult = { ok: true; selector: LabelSelector } | { ok: false; error: string };

/** The longest selector text we parse. */
export const MAX_SELECTOR_LENGTH = 4096;

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end'; text: string };

const SYMBOLS = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'] as const;
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

class SelectorFailure extends Error {}

/**
 * Parses a label selector string as `labels.Parse` in k8s.io/apimachinery does (`kubectl -l` syntax). An empty or
 * blank string yields a selector with no requirements, which matches everything; callers decide whether to allow it.
 */
export function parseLabelSelector(text: string): LabelSelectorResult {
  try {
    if (typeof text !== 'string') return { ok: false, error: 'label selector must be a string' };
    if (text.length > MAX_SELECTOR_LENGTH) {
      return {
        ok: false,
        error: `label selector is ${text.length} characters long; the limit is ${MAX_SELECTOR_LENGTH}`,
      };
    }
    const requirements = new SelectorParser(lex(text)).parse();
    // Kubernetes sorts requirements by key so that equal selectors compare equal.
    requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const selector: LabelSelector = {
      text,
      requirements,
      matches: (labels) => {
        try {
          return requirements.every((r) => requirementMatches(r, labels));
        } catch {
          return false;
        }
      },
    };
    return { ok: true, selector };
  } catch (err) {
    const reason = err instanceof SelectorFailure ? err.message : String(err);
    return { ok: false, error: `invalid label selector '${text}': ${reason}` };
  }
}

/** Whether one requirement holds for a label set, with Kubernetes semantics (`!=` and `notin` hold when absent). */
export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = labels !== null && typeof labels === 'object' && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(String(value));
    case '!=':
    case 'notin':
      return !has || !r.values.includes(String(value));
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = has ? parseInt64(String(value)) : undefined;
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64.
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (true) {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
    if (i >= text.length) break;
    const c = text[i] as string;
    // Go's lexer stops at a NUL byte and ignores the rest; we refuse it instead of silently dropping requirements.
    if (c === '\0') throw new SelectorFailure(`unexpected NUL character at position ${i}`);
    if (SPECIAL.has(c)) {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
      if (symbol === undefined) throw new SelectorFailure(`unexpected '${c}' at position ${i}`);
      tokens.push({ kind: symbol, text: symbol });
      i += symbol.length;
      continue;
    }
    let j = i;
    while (j < text.length && !WHITESPACE.has(text[j] as string) && !SPECIAL.has(text[j] as string)) {
      if (text[j] === '\0') throw new SelectorFailure(`unexpected NUL character at position ${j}`);
      j++;
    }
    const word = text.slice(i, j);
    tokens.push(word === 'in' || word === 'notin' ? { kind: word, text: word } : { kind: 'id', text: word });
    i = j;
  }
  tokens.push({ kind: 'end', text: 'end of string' });
  return tokens;
}

class SelectorParser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  // In a value position the keywords `in` and `notin` are plain identifiers, as in Go's `Values` parser context.
  private peek(asValue = true): Token {
    const token = this.tokens[this.pos] ?? { kind: 'end', text: 'end of string' };
    return asValue && (token.kind === 'in' || token.kind === 'notin') ? { kind: 'id', text: token.text } : token;
  }

  private take(asValue = true): Token {
    const token = this.peek(asValue);
    this.pos++;
    return token;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const head = this.peek();
      if (head.kind === 'end') return requirements;
      if (head.kind !== 'id' && head.kind !== '!') fail(head, "'!', a label key or the end of the selector");
      requirements.push(this.requirement());
      const sep = this.take();
      if (sep.kind === 'end') return requirements;
      if (sep.kind !== ',') fail(sep, "',' or the end of the selector");
      const after = this.peek();
      if (after.kind !== 'id' && after.kind !== '!') fail(after, "a label key or '!' after ','");
    }
  }

  private requirement(): Requirement {
    let negated = false;
    let key = this.take();
    if (key.kind === '!') {
      negated = true;
      key = this.take();
    }
    if (key.kind !== 'id') fail(key, 'a label key');
    checkKey(key.text);
    const next = this.peek();
    if (negated || next.kind === 'end' || next.kind === ',') {
      return { key: key.text, operator: negated ? '!' : 'exists', values: [] };
    }
    const op = this.take(false);
    switch (op.kind) {
      case 'in':
      case 'notin':
        return this.finish(key.text, op.kind, this.valueSet());
      case '=':
      case '==':
      case '!=':
        return this.finish(key.text, op.kind, [this.exactValue()]);
      case '>':
      case '<': {
        const value = this.exactValue();
        if (parseInt64(value) === undefined) {
          throw new SelectorFailure(`value '${value}' for key '${key.text}' must be an integer for '${op.kind}'`);
        }
        return this.finish(key.text, op.kind === '>' ? 'gt' : 'lt', [value]);
      }
      default:
        return fail(op, "one of '=', '==', '!=', 'in', 'notin', '>', '<'");
    }
  }

  private finish(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
    for (const value of values) checkValue(key, value);
    return { key, operator, values: [...new Set(values)].sort() };
  }

  private exactValue(): string {
    const next = this.peek();
    if (next.kind === 'end' || next.kind === ',') return '';
    const token = this.take();
    if (token.kind !== 'id') fail(token, 'a label value');
    return token.text;
  }

  // Mirrors Go's parseValues/parseIdentifiersList, including its treatment of empty entries such as `(,a)` or `()`.
  private valueSet(): string[] {
    const open = this.take();
    if (open.kind !== '(') fail(open, "'('");
    const first = this.peek();
    if (first.kind === ')') {
      this.take();
      return [''];
    }
    if (first.kind !== 'id' && first.kind !== ',') fail(first, "',', ')' or a value");
    const values: string[] = [];
    for (;;) {
      const token = this.take();
      if (token.kind === 'id') {
        values.push(token.text);
        const after = this.peek();
        if (after.kind === ')') break;
        if (after.kind !== ',') fail(after, "',' or ')'");
      } else if (token.kind === ',') {
        if (values.length === 0) values.push('');
        const after = this.peek();
        if (after.kind === ')') {
          values.push('');
          break;
        }
        if (after.kind === ',') {
          this.take();
          values.push('');
        }
      } else {
        fail(token, "',' or a value");
      }
    }
    const close = this.take();
    if (close.kind !== ')') fail(close, "')'");
    return values;
  }
}

function fail(found: Token, expected: string): never {
  throw new SelectorFailure(`found '${found.text}', expected ${expected}`);
}

function checkKey(key: string): void {
  const problem = validateLabelKey(key);
  if (problem !== undefined) throw new SelectorFailure(`invalid label key '${key}': ${problem}`);
}

function checkValue(key: string, value: string): void {
  const problem = validateLabelValue(value);
  if (problem !== undefined) throw new SelectorFailure(`invalid value '${value}' for label key '${key}': ${problem}`);
}
