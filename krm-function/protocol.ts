/**
 * The three ways reflect-fn is spoken to, in one place, each as text in, text out:
 * - the KRM protocol: a ResourceList on stdin (kpt, standalone kustomize);
 * - kustomize's legacy exec plugin protocol: the config file as the first argument and a YAML stream on stdin
 *   (`kubectl kustomize --enable-alpha-plugins`);
 * - a package among whose objects the config is (`kubectl reflect render`), or a ResourceList.
 */
import type { Document } from 'yaml';
import { isMap } from 'yaml';
import { CONFIG_API_VERSION, CONFIG_KIND } from './function-config.ts';
import { readDocumentResourceList } from './document-resource-list.ts';
import { itemValue } from './items.ts';
import { readJsonResourceList } from './json-resource-list.ts';
import type { KrmResult } from './krm-types.ts';
import { InputError } from './krm-types.ts';
import { readBlockResourceList } from './lazy-resource-list.ts';
import { reflectResourceList } from './reflect-resource-list.ts';
import type { ResourceList } from './resource-list.ts';
import type { Stream } from './stream.ts';
import { readLazyStream, readStream, writeStream } from './stream.ts';
import { USAGE } from './usage.ts';
import { decodeUtf8, isEmptyDocument, parseDocuments } from './yaml-text.ts';
import { ValueReader } from './yaml-value.ts';

/** How reflect-fn was invoked; `readFile` returns undefined when the path is not a readable file. */
export interface Invocation {
  args: readonly string[];
  stdin: Uint8Array | string;
  readFile: (path: string) => Uint8Array | string | undefined;
}

/** What to write and the exit status: 0 done, 1 an error result, 2 unreadable input. */
export interface Outcome {
  stdout: string;
  stderr: string;
  code: 0 | 1 | 2;
}

/** An Outcome whose stdout is pieces of text to write in order: a big package's output is never one string. */
export interface PiecewiseOutcome extends Omit<Outcome, 'stdout'> {
  stdout: string[];
}

/** A parsed input: a ResourceList, or a stream of objects (with what it holds, to say what it was instead). */
type Input = { kind: 'resource-list'; list: ResourceList } | { kind: 'stream'; stream: Stream; got: string };

/** Reads text as a ResourceList (JSON or block style on a fast path) or, failing that, as a stream of objects. */
export function readInput(text: string, what: string): Input {
  const json = readJsonResourceList(text);
  if (json !== undefined) return { kind: 'resource-list', list: json };
  const block = readBlockResourceList(text);
  if (block !== undefined) return { kind: 'resource-list', list: block };
  const lazy = readLazyStream(text, what);
  if (lazy !== undefined) return { kind: 'stream', stream: lazy, got: `${lazy.items.length} documents` };
  const all = parseDocuments(text, what, true);
  const docs = all.filter((d) => !isEmptyDocument(d));
  const [only] = docs;
  if (docs.length === 1 && isMap(only!.contents) && only!.contents.get('kind') === 'ResourceList') {
    return { kind: 'resource-list', list: readDocumentResourceList(only!) };
  }
  return { kind: 'stream', stream: readStream(text, all, what), got: gotOf(docs) };
}

/** What a stream that should have been a ResourceList holds, for the message. */
function gotOf(docs: readonly Document[]): string {
  const kind = docs.length === 1 && isMap(docs[0]!.contents) ? docs[0]!.contents.get('kind') : undefined;
  return typeof kind === 'string' ? `kind ${kind}` : `${docs.length} documents`;
}

/** Runs reflect-fn over its input in whichever protocol the input speaks. */
export function runFunction(inv: Invocation): Outcome {
  const outcome = runFunctionPiecewise(inv);
  return { ...outcome, stdout: outcome.stdout.join('') };
}

/** runFunction with stdout as the pieces to write in order (what reflect-fn's main writes). */
export function runFunctionPiecewise(inv: Invocation): PiecewiseOutcome {
  const [first] = inv.args;
  if (first === '--help' || first === '-h' || first === 'help') return { stdout: [USAGE], stderr: '', code: 0 };
  try {
    const input = readInput(decodeUtf8(inv.stdin, 'stdin'), 'stdin');
    if (input.kind === 'resource-list') {
      const rl = input.list;
      const out = reflectResourceList({ items: rl.items, functionConfig: rl.functionConfig, paths: true });
      // kustomize shows a failing function's stderr but never its results; kpt shows both.
      const stderr = out.failed ? describeResults(out.results.filter((r) => r.severity === 'error')) : '';
      return { stdout: rl.write(out.items, out.results), stderr, code: out.failed ? 1 : 0 };
    }
    if (first === undefined) {
      throw new InputError(`stdin is not a ResourceList (got ${input.got}); see reflect-fn --help`);
    }
    const configData = inv.readFile(first);
    if (configData === undefined) throw new InputError(`${first} is not a readable file; see reflect-fn --help`);
    const config = configValue(decodeUtf8(configData, first), first);
    const out = reflectResourceList({ items: input.stream.items, functionConfig: config, paths: false });
    return { stdout: writeStream(out.items), stderr: describeResults(out.results), code: out.failed ? 1 : 0 };
  } catch (err) {
    if (err instanceof InputError) return { stdout: [], stderr: `reflect-fn: ${err.message}\n`, code: 2 };
    throw err;
  }
}

/** The value of a config file's first document. */
function configValue(text: string, what: string): unknown {
  const doc = parseDocuments(text, what).find((d) => !isEmptyDocument(d));
  return doc === undefined ? undefined : itemValue(new ValueReader(), doc.contents, what);
}

/** A named piece of a package: a file, or stdin. */
export interface PackageSource {
  name: string;
  data: Uint8Array | string;
}

/** What rendering a package gives: the output and the results, or why the input could not be read. */
export type RenderOutcome =
  { ok: true; output: string; results: KrmResult[]; failed: boolean } | { ok: false; error: string };

/**
 * Renders a package as `kubectl reflect render` does: a ResourceList gives a ResourceList (with its functionConfig);
 * a stream of objects (the YAML files of a directory, in order) gives the stream, the config being the ReflectConfig
 * among its objects, if any.
 */
export function renderPackage(sources: readonly PackageSource[]): RenderOutcome {
  try {
    const texts = sources.map((s) => ({ name: s.name, text: decodeUtf8(s.data, s.name) }));
    const what = texts.length === 1 ? texts[0]!.name : 'the package';
    // Files are joined as the documents of one stream; a file's own leading `---` is not a second separator.
    const text =
      texts.length === 1
        ? texts[0]!.text
        : texts
            .map((t) => t.text.replace(/^---[ \t]*\r?\n/, ''))
            .map((t) => (t === '' || t.endsWith('\n') ? t : `${t}\n`))
            .join('---\n');
    const input = readInput(text, what);
    if (input.kind === 'resource-list') {
      const rl = input.list;
      const out = reflectResourceList({ items: rl.items, functionConfig: rl.functionConfig, paths: false });
      const output = rl.write(out.items, out.results).join('');
      return { ok: true, output, results: out.results, failed: out.failed };
    }
    const items = input.stream.items;
    const config = items.find((i) => {
      const v = i.value as { apiVersion?: unknown; kind?: unknown } | undefined;
      return v?.kind === CONFIG_KIND && v.apiVersion === CONFIG_API_VERSION;
    })?.value;
    const out = reflectResourceList({ items, functionConfig: config, paths: false });
    return { ok: true, output: writeStream(out.items).join(''), results: out.results, failed: out.failed };
  } catch (err) {
    if (err instanceof InputError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Returns results as lines for stderr, for the legacy protocol, which has no place for them in its output. */
export function describeResults(results: readonly KrmResult[]): string {
  return results
    .map((r) => {
      const field = r.field === undefined ? '' : ` (${r.field.path})`;
      return `reflect-fn: ${r.severity}: ${r.message}${field}\n`;
    })
    .join('');
}
