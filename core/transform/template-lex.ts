/**
 * The lexer of the transform template language: the subset of Go's text/template that KubeMirror users write.
 * It scans once, left to right, with no backtracking and no regular expressions over user text.
 */

/** One token of a template. */
export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'field'; names: string[] }
  | { kind: 'dot' }
  | { kind: 'root'; names: string[] }
  | { kind: 'chain'; names: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'pipe' }
  | { kind: 'lparen' }
  | { kind: 'rparen' };

/** A template syntax error, with the reason in Go's words where it has one. */
export class TemplateSyntaxError extends Error {}

const OPEN = '{{';
const CLOSE = '}}';
const SPACE = new Set([' ', '\t', '\r', '\n']);

/** Splits a template into text and action tokens; throws TemplateSyntaxError on malformed input. */
export function lexTemplate(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < src.length) {
    const open = src.indexOf(OPEN, pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    if (trimNext) text = trimLeft(text);
    trimNext = false;
    if (open < 0) {
      if (text !== '') tokens.push({ kind: 'text', text });
      break;
    }
    let p = open + OPEN.length;
    // "{{- " trims the whitespace before the action; the space is required, as "{{-3}}" is the number -3.
    if (src[p] === '-' && SPACE.has(src[p + 1] ?? '')) {
      text = trimRight(text);
      p += 2;
    }
    if (text !== '') tokens.push({ kind: 'text', text });
    const comment = skipComment(src, p);
    if (comment !== undefined) {
      const end = closeAt(src, comment);
      if (end === undefined) throw new TemplateSyntaxError('comment ends before closing delimiter');
      trimNext = end.trim;
      pos = end.next;
      continue;
    }
    tokens.push({ kind: 'open' });
    const end = lexAction(src, p, tokens);
    tokens.push({ kind: 'close' });
    trimNext = end.trim;
    pos = end.next;
  }
  return tokens;
}

function skipComment(src: string, p: number): number | undefined {
  // As in Go, a comment starts right after the delimiter (or its trim marker) and ends right before the closing one.
  if (!src.startsWith('/*', p)) return undefined;
  const end = src.indexOf('*/', p + 2);
  if (end < 0) throw new TemplateSyntaxError('unclosed comment');
  return end + 2;
}

// Where an action closes: "}}" directly, or " -}}" which also trims the text after it.
function closeAt(src: string, p: number): { next: number; trim: boolean } | undefined {
  if (src.startsWith(CLOSE, p)) return { next: p + CLOSE.length, trim: false };
  if (SPACE.has(src[p] ?? '') && src[p + 1] === '-' && src.startsWith(CLOSE, p + 2))
    return { next: p + 2 + CLOSE.length, trim: true };
  return undefined;
}

function lexAction(src: string, start: number, out: Token[]): { next: number; trim: boolean } {
  let p = start;
  for (;;) {
    const c = src[p];
    if (c === undefined) throw new TemplateSyntaxError('unclosed action');
    const end = closeAt(src, p);
    if (end !== undefined) return end;
    if (SPACE.has(c)) {
      if (c === '\n' || c === '\r') throw new TemplateSyntaxError('newline in action');
      p++;
    } else if (c === '|') {
      out.push({ kind: 'pipe' });
      p++;
    } else if (c === '(') {
      out.push({ kind: 'lparen' });
      p++;
    } else if (c === ')') {
      out.push({ kind: 'rparen' });
      p++;
      const chain = chainAt(src, p);
      if (chain.names.length > 0) out.push({ kind: 'chain', names: chain.names });
      p = chain.next;
    } else if (c === '"') p = lexQuoted(src, p, out);
    else if (c === '`') {
      const close = src.indexOf('`', p + 1);
      if (close < 0) throw new TemplateSyntaxError('unterminated raw quoted string');
      out.push({ kind: 'string', value: src.slice(p + 1, close) });
      p = close + 1;
    } else if (c === '.') {
      const chain = chainAt(src, p);
      if (chain.names.length === 0) {
        if (isDigit(src[p + 1])) throw new TemplateSyntaxError('floating-point numbers are not supported');
        out.push({ kind: 'dot' });
        p++;
      } else {
        out.push({ kind: 'field', names: chain.names });
        p = chain.next;
      }
    } else if (c === '$') {
      const name = identAt(src, p + 1);
      if (name !== '') throw new TemplateSyntaxError(`variables are not supported: $${name}`);
      const chain = chainAt(src, p + 1);
      out.push({ kind: 'root', names: chain.names });
      p = chain.next;
    } else if (isDigit(c) || ((c === '-' || c === '+') && isDigit(src[p + 1]))) {
      p = lexNumber(src, p, out);
    } else if (isIdentStart(c)) {
      const name = identAt(src, p);
      out.push({ kind: 'ident', name });
      p += name.length;
    } else if (c === "'") throw new TemplateSyntaxError('character constants are not supported');
    else if (c === ':' || c === '=') throw new TemplateSyntaxError('variable declarations are not supported');
    else throw new TemplateSyntaxError(`unexpected ${JSON.stringify(c)} in action`);
  }
}

function lexNumber(src: string, start: number, out: Token[]): number {
  let p = start;
  if (src[p] === '-' || src[p] === '+') p++;
  while (isDigit(src[p])) p++;
  const next = src[p];
  if (next !== undefined && (isIdentStart(next) || next === '.' || isDigit(next))) {
    throw new TemplateSyntaxError(`bad number syntax: ${JSON.stringify(src.slice(start, p + 1))}`);
  }
  const text = src.slice(start, p);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new TemplateSyntaxError(`number out of range: ${text}`);
  out.push({ kind: 'number', value });
  return p;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function lexQuoted(src: string, start: number, out: Token[]): number {
  let p = start + 1;
  let value = '';
  for (;;) {
    const c = src[p];
    if (c === undefined || c === '\n') throw new TemplateSyntaxError('unterminated quoted string');
    if (c === '"') break;
    if (c !== '\\') {
      value += c;
      p++;
      continue;
    }
    const e = src[p + 1] ?? '';
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      p += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = src.slice(p + 2, p + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw new TemplateSyntaxError('invalid escape in string');
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new TemplateSyntaxError('invalid escape');
      value += String.fromCodePoint(code);
      p += 2 + len;
    } else throw new TemplateSyntaxError(`unknown escape sequence \\${e}`);
  }
  out.push({ kind: 'string', value });
  return p + 1;
}

// A field chain ".A.B.C" written without spaces; Go lexes its links as adjacent field tokens.
function chainAt(src: string, start: number): { names: string[]; next: number } {
  const names: string[] = [];
  let p = start;
  while (src[p] === '.') {
    const name = identAt(src, p + 1);
    if (name === '') break;
    names.push(name);
    p += 1 + name.length;
  }
  if (names.length > 0 && src[p] === '.') throw new TemplateSyntaxError('bad character in field chain');
  return { names, next: p };
}

function identAt(src: string, p: number): string {
  if (!isIdentStart(src[p])) return '';
  let q = p + 1;
  while (isIdentStart(src[q]) || isDigit(src[q])) q++;
  return src.slice(p, q);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

function trimLeft(text: string): string {
  let i = 0;
  while (SPACE.has(text[i] ?? '')) i++;
  return text.slice(i);
}

function trimRight(text: string): string {
  let i = text.length;
  while (i > 0 && SPACE.has(text[i - 1] ?? '')) i--;
  return text.slice(0, i);
}
