/**
 * The interpreter of parsed transform templates: a pure tree walk with no eval, no loops over user-controlled
 * counts, and a budget and output cap checked as it goes, so every evaluation ends, the same way, on any input.
 */
import type { Arg, Command, Pipeline, Template, TemplateNode } from './template-parse.ts';
import { FUNCTIONS } from './template-functions.ts';
import type { Value, Budget } from './template-values.ts';
import { ContextValue, MapValue, TemplateRuntimeError, isTrue, printValue } from './template-values.ts';

/** What a template can see, with KubeMirror's field names. */
export interface TemplateContext {
  TargetNamespace: string;
  SourceNamespace: string;
  SourceName: string;
  TargetName: string;
  Labels: Readonly<Record<string, string>>;
  Annotations: Readonly<Record<string, string>>;
}

/** Builds the context value once per mirror, so its maps are not rebuilt for every rule. */
export function contextValue(ctx: TemplateContext): ContextValue {
  return new ContextValue({
    TargetNamespace: ctx.TargetNamespace,
    SourceNamespace: ctx.SourceNamespace,
    SourceName: ctx.SourceName,
    TargetName: ctx.TargetName,
    Labels: new MapValue(ctx.Labels),
    Annotations: new MapValue(ctx.Annotations),
  });
}

/** Renders a template; throws TemplateRuntimeError on a runtime error or when the budget or cap is reached. */
export function executeTemplate(template: Template, ctx: ContextValue, budget: Budget): string {
  const out = new Output(budget);
  walk(template.nodes, ctx, budget, out);
  budget.wrote(out.text.length);
  return out.text;
}

// The text a template writes, charged to the budget and capped as it grows.
class Output {
  text = '';
  constructor(private readonly budget: Budget) {}

  emit(text: string): void {
    this.budget.checkOutput(this.text.length + text.length);
    this.budget.charge(1 + (text.length >> 4));
    this.text += text;
  }
}

function walk(nodes: readonly TemplateNode[], ctx: ContextValue, budget: Budget, out: Output): void {
  for (const node of nodes) {
    budget.charge(1);
    if (node.type === 'text') out.emit(node.text);
    else if (node.type === 'action') out.emit(printValue(pipeline(node.pipe, ctx, budget)));
    else walk(isTrue(pipeline(node.cond, ctx, budget)) ? node.then : node.else, ctx, budget, out);
  }
}

function pipeline(pipe: Pipeline, ctx: ContextValue, budget: Budget): Value {
  let piped: Value | undefined;
  for (const cmd of pipe.commands) piped = command(cmd, ctx, budget, piped);
  return piped ?? null;
}

function command(cmd: Command, ctx: ContextValue, budget: Budget, piped: Value | undefined): Value {
  budget.charge(1);
  const first = cmd.args[0] as Arg;
  if (first.type !== 'func') return operand(first, ctx, budget);
  const args: Value[] = [];
  for (let i = 1; i < cmd.args.length; i++) args.push(operand(cmd.args[i] as Arg, ctx, budget));
  if (piped !== undefined) args.push(piped);
  return call(first.name, args, budget);
}

function call(name: string, args: Value[], budget: Budget): Value {
  const fn = FUNCTIONS[name];
  if (fn === undefined) throw new TemplateRuntimeError(`function "${name}" not defined`);
  return fn.call(args, budget);
}

function operand(arg: Arg, ctx: ContextValue, budget: Budget): Value {
  budget.charge(1);
  switch (arg.type) {
    case 'string':
    case 'number':
    case 'bool':
      return arg.value;
    case 'nil':
      return null;
    case 'dot':
      return ctx;
    case 'func':
      return call(arg.name, [], budget);
    case 'field':
      return fields(ctx, arg.names);
    case 'pipe':
      return fields(pipeline(arg.pipe, ctx, budget), arg.names);
  }
}

function fields(start: Value, names: readonly string[]): Value {
  let v = start;
  for (const name of names) {
    if (v instanceof ContextValue) {
      if (!Object.prototype.hasOwnProperty.call(v.fields, name)) {
        throw new TemplateRuntimeError(`can't evaluate field ${name}`);
      }
      v = v.fields[name] as Value;
    } else if (v instanceof MapValue) {
      // A missing key is nil: `default` and `if` handle it, and printing it is an error (Go prints "<no value>").
      v = Object.prototype.hasOwnProperty.call(v.entries, name) ? (v.entries[name] as string) : null;
    } else {
      throw new TemplateRuntimeError(`can't evaluate field ${name} in type ${v === null ? 'nil' : typeof v}`);
    }
  }
  return v;
}
