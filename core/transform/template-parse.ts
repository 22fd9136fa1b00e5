/**
 * The parser of the transform template language: tokens to a small tree, checked statically so that unknown
 * functions, unknown fields, wrong argument counts and unsupported Go actions are parse errors, not output.
 */
import { FUNCTIONS } from './template-functions.ts';
import type { Token } from './template-lex.ts';
import { TemplateSyntaxError, lexTemplate } from './template-lex.ts';

/** The deepest nesting of parentheses and if blocks a template may have. */
export const MAX_TEMPLATE_DEPTH = 32;

/** The fields of the template context, as KubeMirror names them; the two maps take one more key. */
export const CONTEXT_FIELDS: Readonly<Record<string, 'string' | 'map'>> = {
  TargetNamespace: 'string',
  SourceNamespace: 'string',
  SourceName: 'string',
  TargetName: 'string',
  Labels: 'map',
  Annotations: 'map',
};

/** An operand of a command. */
export type Arg =
  | { type: 'field'; names: readonly string[] }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' }
  | { type: 'dot' }
  | { type: 'func'; name: string }
  | { type: 'pipe'; pipe: Pipeline; names: readonly string[] };

/** A command: a function call with its arguments, or a single operand. */
export interface Command {
  args: readonly Arg[];
}

/** Commands joined by `|`: each command's result is the last argument of the next. */
export interface Pipeline {
  commands: readonly Command[];
}

/** A node of a parsed template. */
export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipeline }
  | { type: 'if'; cond: Pipeline; then: readonly TemplateNode[]; else: readonly TemplateNode[] };

/** A parsed template, ready to evaluate any number of times. */
export interface Template {
  nodes: readonly TemplateNode[];
}

const UNSUPPORTED = new Set(['range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Parses template text; throws TemplateSyntaxError with a reason on any error. */
export function parseTemplate(src: string): Template {
  const parser = new Parser(lexTemplate(src));
  const { nodes, end } = parser.list(0);
  if (end !== 'eof') throw new TemplateSyntaxError(`unexpected {{${end}}}`);
  return { nodes };
}

type ListEnd = 'eof' | 'end' | 'else';

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  list(depth: number): { nodes: TemplateNode[]; end: ListEnd } {
    if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateSyntaxError(`nested deeper than ${MAX_TEMPLATE_DEPTH} levels`);
    const nodes: TemplateNode[] = [];
    for (;;) {
      const t = this.next();
      if (t === undefined) return { nodes, end: 'eof' };
      if (t.kind === 'text') {
        nodes.push({ type: 'text', text: t.text });
        continue;
      }
      if (t.kind !== 'open') throw new TemplateSyntaxError('unexpected token');
      const head = this.peek();
      if (head?.kind === 'ident' && (head.name === 'end' || head.name === 'else')) {
        this.pos++;
        return { nodes, end: head.name };
      }
      if (head?.kind === 'ident' && UNSUPPORTED.has(head.name)) {
        throw new TemplateSyntaxError(`{{${head.name}}} is not supported`);
      }
      if (head?.kind === 'ident' && head.name === 'if') {
        this.pos++;
        nodes.push(this.ifNode(depth));
        continue;
      }
      nodes.push({ type: 'action', pipe: this.pipeline(depth, 'close') });
    }
  }

  private ifNode(depth: number): TemplateNode {
    const cond = this.pipeline(depth, 'close');
    const body = this.list(depth + 1);
    if (body.end === 'eof') throw new TemplateSyntaxError('unexpected EOF: {{if}} has no {{end}}');
    if (body.end === 'end') {
      this.expect('close', 'end');
      return { type: 'if', cond, then: body.nodes, else: [] };
    }
    // {{else}} or {{else if ...}}; the latter nests an if that shares this block's {{end}}.
    const after = this.peek();
    if (after?.kind === 'ident' && after.name === 'if') {
      this.pos++;
      return { type: 'if', cond, then: body.nodes, else: [this.ifNode(depth + 1)] };
    }
    this.expect('close', 'else');
    const alt = this.list(depth + 1);
    if (alt.end !== 'end') throw new TemplateSyntaxError('expected {{end}} after {{else}}');
    this.expect('close', 'end');
    return { type: 'if', cond, then: body.nodes, else: alt.nodes };
  }

  private expect(kind: Token['kind'], after: string): void {
    const t = this.next();
    if (t?.kind !== kind) throw new TemplateSyntaxError(`unexpected token in {{${after}}}`);
  }

  private pipeline(depth: number, closer: 'close' | 'rparen'): Pipeline {
    if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateSyntaxError(`nested deeper than ${MAX_TEMPLATE_DEPTH} levels`);
    const commands: Command[] = [];
    let args: Arg[] = [];
    for (;;) {
      const t = this.next();
      if (t === undefined) throw new TemplateSyntaxError('unclosed action');
      if (t.kind === closer || t.kind === 'pipe') {
        if (args.length === 0)
          throw new TemplateSyntaxError(t.kind === 'pipe' ? 'missing command before |' : 'missing value');
        commands.push(this.command(args, commands.length > 0));
        args = [];
        if (t.kind === closer) return { commands };
        continue;
      }
      args.push(this.operand(t, depth));
    }
  }

  private operand(t: Token, depth: number): Arg {
    switch (t.kind) {
      case 'field':
        return checkedField(t.names);
      case 'root':
        return t.names.length === 0 ? { type: 'dot' } : checkedField(t.names);
      case 'dot':
        return { type: 'dot' };
      case 'string':
        return { type: 'string', value: t.value };
      case 'number':
        return { type: 'number', value: t.value };
      case 'ident':
        if (t.name === 'true' || t.name === 'false') return { type: 'bool', value: t.name === 'true' };
        if (t.name === 'nil') return { type: 'nil' };
        if (FUNCTIONS[t.name] === undefined) throw new TemplateSyntaxError(`function "${t.name}" not defined`);
        return { type: 'func', name: t.name };
      case 'lparen': {
        const pipe = this.pipeline(depth + 1, 'rparen');
        const chain = this.peek();
        if (chain?.kind === 'chain') {
          this.pos++;
          return { type: 'pipe', pipe, names: chain.names };
        }
        return { type: 'pipe', pipe, names: [] };
      }
      default:
        throw new TemplateSyntaxError(`unexpected ${t.kind} in operand`);
    }
  }

  private command(args: Arg[], piped: boolean): Command {
    const [first, ...rest] = args as [Arg, ...Arg[]];
    if (first.type !== 'func') {
      if (rest.length > 0 || piped) throw new TemplateSyntaxError(`can't give argument to non-function`);
      if (first.type === 'nil') throw new TemplateSyntaxError('nil is not a command');
      return { args };
    }
    for (const a of rest) if (a.type === 'func') checkArity(a.name, 0);
    checkArity(first.name, rest.length + (piped ? 1 : 0));
    return { args };
  }
}

function checkedField(names: readonly string[]): Arg {
  const [head, ...tail] = names as [string, ...string[]];
  const kind = CONTEXT_FIELDS[head];
  if (kind === undefined) throw new TemplateSyntaxError(`can't evaluate field ${head}: no such field`);
  if (kind === 'string' && tail.length > 0) throw new TemplateSyntaxError(`can't evaluate field ${tail[0]} of ${head}`);
  if (kind === 'map' && tail.length > 1) throw new TemplateSyntaxError(`can't evaluate field ${tail[1]} of a string`);
  return { type: 'field', names };
}

function checkArity(name: string, count: number): void {
  const fn = FUNCTIONS[name];
  if (fn === undefined) throw new TemplateSyntaxError(`function "${name}" not defined`);
  if (count < fn.min || count > fn.max) {
    const want =
      fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
    throw new TemplateSyntaxError(`wrong number of args for ${name}: want ${want} got ${count}`);
  }
}
