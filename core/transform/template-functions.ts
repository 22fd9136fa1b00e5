/**
 * The functions transform templates may call: KubeMirror's set, sprig's quote/b64enc/b64dec, and Go's builtins.
 * Each one charges the budget for what it produces, so none can grow output past the cap.
 */
import { base64 } from '../kinds.ts';
import type { Budget, Value } from './template-values.ts';
import { MapValue, TemplateRuntimeError, formatValue, isTrue, typeName } from './template-values.ts';

/** A template function: its argument count range and its pure implementation. */
export interface TemplateFunction {
  min: number;
  max: number;
  call: (args: readonly Value[], budget: Budget) => Value;
}

function str(name: string, v: Value, position: number): string {
  if (typeof v !== 'string') {
    throw new TemplateRuntimeError(`${name}: argument ${position} is ${typeName(v)}, want string`);
  }
  return v;
}

function strings(name: string, count: number, f: (...s: string[]) => Value): TemplateFunction {
  return {
    min: count,
    max: count,
    call: (args, budget) => {
      const result = f(...args.map((a, i) => str(name, a, i + 1)));
      return typeof result === 'string' ? budget.produced(result) : result;
    },
  };
}

/** Every function a template may call, by name; any other name is a parse error. */
export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  upper: strings('upper', 1, (s) => s.toUpperCase()),
  lower: strings('lower', 1, (s) => s.toLowerCase()),
  trimPrefix: strings('trimPrefix', 2, (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
  trimSuffix: strings('trimSuffix', 2, (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  hasPrefix: strings('hasPrefix', 2, (s, p) => s.startsWith(p)),
  hasSuffix: strings('hasSuffix', 2, (s, p) => s.endsWith(p)),
  replace: { min: 3, max: 3, call: (args, budget) => replaceAll(args, budget) },
  default: { min: 2, max: 2, call: ([fallback, value]) => (value === null || value === '' ? fallback! : value!) },
  quote: {
    min: 0,
    max: Infinity,
    call: (args, budget) =>
      budget.produced(
        args
          .filter((a) => a !== null)
          .map((a) => goQuote(formatValue(a)))
          .join(' '),
      ),
  },
  printf: { min: 1, max: Infinity, call: (args, budget) => printf(args, budget) },
  print: { min: 0, max: Infinity, call: (args, budget) => budget.produced(sprint(args)) },
  b64enc: strings('b64enc', 1, (s) => base64(s)),
  b64dec: strings('b64dec', 1, (s) => base64Decode(s)),
  index: { min: 1, max: Infinity, call: (args) => index(args) },
  len: {
    min: 1,
    max: 1,
    call: ([v]) => {
      if (typeof v === 'string') return new TextEncoder().encode(v).length;
      if (v instanceof MapValue) return Object.keys(v.entries).length;
      throw new TemplateRuntimeError(`len of ${typeName(v ?? null)}`);
    },
  },
  not: { min: 1, max: 1, call: ([v]) => !isTrue(v ?? null) },
  and: { min: 1, max: Infinity, call: (args) => args.find((a) => !isTrue(a)) ?? args[args.length - 1]! },
  or: { min: 1, max: Infinity, call: (args) => args.find((a) => isTrue(a)) ?? args[args.length - 1]! },
  eq: { min: 2, max: Infinity, call: ([a, ...rest]) => rest.some((b) => equal(a!, b)) },
  ne: { min: 2, max: 2, call: ([a, b]) => !equal(a!, b!) },
};

function equal(a: Value, b: Value): boolean {
  const basic = (v: Value) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (!basic(a) || !basic(b) || typeof a !== typeof b) {
    throw new TemplateRuntimeError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  }
  return a === b;
}

function index(args: readonly Value[]): Value {
  let item = args[0] ?? null;
  for (const key of args.slice(1)) {
    if (!(item instanceof MapValue)) throw new TemplateRuntimeError(`can't index item of type ${typeName(item)}`);
    if (typeof key !== 'string') throw new TemplateRuntimeError(`index of map with ${typeName(key)} key`);
    // As in Go, a missing key of a map[string]string gives the zero value, "".
    item = Object.prototype.hasOwnProperty.call(item.entries, key) ? (item.entries[key] as string) : '';
  }
  return item;
}

// Go's strings.ReplaceAll(s, old, new); the result's length is computed first, so a growing replace fails fast.
function replaceAll(args: readonly Value[], budget: Budget): string {
  const s = str('replace', args[0] ?? null, 1);
  const from = str('replace', args[1] ?? null, 2);
  const to = str('replace', args[2] ?? null, 3);
  if (from === '') {
    // Go inserts `to` before every UTF-8 sequence and at the end. Code points are counted before anything is built.
    let points = 0;
    for (let i = 0; i < s.length; i++) if (!isTrailSurrogate(s, i)) points++;
    budget.charge(1 + (s.length >> 4));
    budget.checkLength(s.length + (points + 1) * to.length);
    let out = to;
    for (let i = 0; i < s.length; i++) {
      out += s[i];
      if (!isTrailSurrogate(s, i + 1)) out += to;
    }
    return budget.produced(out);
  }
  let count = 0;
  for (let i = s.indexOf(from); i >= 0; i = s.indexOf(from, i + from.length)) count++;
  budget.charge(1 + (s.length >> 4));
  budget.checkLength(s.length + count * (to.length - from.length));
  return budget.produced(s.split(from).join(to));
}

// True when position i holds the second half of a surrogate pair (the pair is one code point).
function isTrailSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xdc00 || c > 0xdfff || i === 0) return false;
  const lead = s.charCodeAt(i - 1);
  return lead >= 0xd800 && lead <= 0xdbff;
}

// fmt.Sprintf restricted to %s, %d, %v and %%, with no flags or widths; any mismatch is an error, not "%!s(...)".
function printf(args: readonly Value[], budget: Budget): string {
  const format = str('printf', args[0] ?? null, 1);
  let out = '';
  let next = 1;
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (verb !== 's' && verb !== 'd' && verb !== 'v') {
      throw new TemplateRuntimeError(`printf: only %s, %d, %v and %% are supported, not %${verb ?? ''}`);
    }
    if (next >= args.length) throw new TemplateRuntimeError(`printf: missing argument for %${verb}`);
    const arg = args[next++] as Value;
    if (verb === 's' && typeof arg !== 'string') throw new TemplateRuntimeError(`printf: %s of ${typeName(arg)}`);
    if (verb === 'd' && typeof arg !== 'number') throw new TemplateRuntimeError(`printf: %d of ${typeName(arg)}`);
    out += formatValue(arg);
    budget.checkLength(out.length);
  }
  if (next < args.length) throw new TemplateRuntimeError(`printf: ${args.length - next} extra argument(s)`);
  return budget.produced(out);
}

// fmt.Sprint: spaces between operands when neither side is a string.
function sprint(args: readonly Value[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

// strconv.Quote for the characters that matter: escapes, control characters, and the Unicode line separators.
function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) as number;
    const esc = QUOTE_ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029 || code === 0xfeff)
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Standard padded base64 (Go's base64.StdEncoding), decoded to UTF-8 text; anything else is an error.
function base64Decode(text: string): string {
  if (text.length % 4 !== 0) throw new TemplateRuntimeError('b64dec: illegal base64 data (length)');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const quad = text.slice(i, i + 4);
    const pad = quad.endsWith('==') ? 2 : quad.endsWith('=') ? 1 : 0;
    if (pad > 0 && i + 4 !== text.length) throw new TemplateRuntimeError('b64dec: illegal base64 data (padding)');
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = quad[j] as string;
      const v = j >= 4 - pad ? 0 : B64_ALPHABET.indexOf(ch);
      if (v < 0) throw new TemplateRuntimeError(`b64dec: illegal base64 data at input byte ${i + j}`);
      n = (n << 6) | v;
    }
    bytes.push((n >> 16) & 255);
    if (pad < 2) bytes.push((n >> 8) & 255);
    if (pad < 1) bytes.push(n & 255);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new TemplateRuntimeError('b64dec: the decoded bytes are not UTF-8 text');
  }
}

/** Decodes standard base64 to UTF-8 text, or returns undefined when it is not both; for Secret data rules. */
export function decodeBase64Text(text: string): string | undefined {
  try {
    return base64Decode(text);
  } catch {
    return undefined;
  }
}
