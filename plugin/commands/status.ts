// `kubectl reflect status`: a live TUI in a terminal, otherwise one print in kubectl's styles.
import { parseLabelSelector } from '../../core/patterns/index.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { parseOutputFormat } from '../output.ts';
import { limitWarning } from '../read-world.ts';
import type { SourceRef } from '../../core/index.ts';
import { parseSourceArg, sourceRefFor } from '../source-ref.ts';
import { printStatus } from '../status-print.ts';
import { pendingStatuses, statusRows } from '../status-report.ts';
import { paintFirstFrame } from '../tui/first-paint.ts';
import { LiveWorld } from '../tui/live-world.ts';
import { readingProgress, screenHeight, screenTitle } from '../tui/screen.ts';
import type { StatusFilter } from '../status-report.ts';

/** How long the live screen waits for the namespace's own objects before it comes up without them (ms). */
export const FIRST_WAIT_MS = 200;

/** Resolves with what the promise resolves with within ms, else with undefined (a rejection counts as undefined). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Returns the status filter the flags and SOURCE argument ask for. */
export function statusFilter(options: GlobalOptions, namespace: string, source: SourceRef | undefined): StatusFilter {
  const filter: StatusFilter = {};
  if (!options.allNamespaces) filter.namespace = namespace;
  if (source !== undefined) filter.source = source;
  if (options.selector !== undefined && options.selector !== '') {
    const parsed = parseLabelSelector(options.selector);
    if (!parsed.ok) throw new Error(`invalid --selector "${options.selector}": ${parsed.error}`);
    filter.selector = parsed.selector;
  }
  return filter;
}

/** Runs status; returns the exit code. */
export async function runStatus(io: Io, options: GlobalOptions, sourceText: string | undefined): Promise<number> {
  const format = parseOutputFormat(options.output);
  const arg = sourceText === undefined ? undefined : parseSourceArg(sourceText);
  const live = format === 'table' && io.stdout.isTTY === true && io.stdin.isTTY === true && io.env.TERM !== 'dumb';
  const session = await io.openSession(options, arg ? [arg.kind] : []);
  try {
    const source = arg && sourceRefFor(session.typeNamed(arg.kind), session.namespace, arg.name);
    const filter = statusFilter(options, session.namespace, source);
    if (live) {
      // The reads start first; Ink and React load after them (and never for printing).
      const world = new LiveWorld(session);
      // The namespace's own objects are read first, alone (start() waits for them): its sources are on screen while
      // the cluster-wide lists are read.
      const first = options.allNamespaces ? Promise.resolve([]) : world.readNamespace(session.namespace);
      void world.start().catch(() => undefined);
      // Ink draws nothing until exit when CI or CONTINUOUS_INTEGRATION is set; on a terminal the screen is wanted.
      for (const key of ['CI', 'CONTINUOUS_INTEGRATION'])
        if (process.env[key] !== undefined) process.env[key] = 'false';
      // Loading Ink and drawing a frame hold our one thread for a while: done during the namespace's read, they hold up
      // its TLS handshake and answer. So the screen comes up with that namespace's rows, or after FIRST_WAIT_MS.
      const ready = await within(first, FIRST_WAIT_MS);
      const out = io.stdout as NodeJS.WriteStream;
      const painted = paintFirstFrame(out, {
        title: screenTitle(session.contextName, session.namespace, options.allNamespaces),
        sources: ready === undefined ? [] : pendingStatuses(ready, filter, session.planOptions, screenHeight(out)),
        progress: readingProgress(world.progress()),
        height: screenHeight(out),
        columns: out.columns ?? 80,
        colors: out.hasColors?.() ?? false,
      });
      const { runLiveStatus } = await import('../tui/live-status.tsx');
      return await runLiveStatus(io, session, world, filter, options, first, ready, painted);
    }
    const world = await session.readWorld();
    io.stderr.write(limitWarning(world));
    // A limited read cannot know the sources of what it read elsewhere: show only the sources it could read.
    if (world.limitedTo !== undefined) filter.namespaces = world.limitedTo;
    // Rows are printed as the core decides them: the first ones long before a large world is planned to the end.
    const { refs, rows } = statusRows(world, filter, session.planOptions);
    const first = rows.next();
    if (first.done === true) {
      if (source !== undefined) {
        io.stderr.write(`error: no source ${sourceText} in namespace ${session.namespace}\n`);
        return 1;
      }
      if (format === 'table') {
        io.stderr.write(
          options.allNamespaces ? 'No sources found.\n' : `No sources found in ${session.namespace} namespace.\n`,
        );
        return 0;
      }
    }
    const all = first.done === true ? [] : prepend(first.value, rows);
    printStatus(
      all,
      { format, allNamespaces: options.allNamespaces, noHeaders: options.noHeaders, mirrors: source !== undefined },
      (text) => io.stdout.write(text),
      { refs },
    );
    return 0;
  } finally {
    session.close();
  }
}

function* prepend<T>(head: T, rest: Iterator<T>): Generator<T> {
  yield head;
  for (let r = rest.next(); r.done !== true; r = rest.next()) yield r.value;
}
