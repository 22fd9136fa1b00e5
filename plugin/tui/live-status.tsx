// Runs the live status screen: informers keep full copies of namespaces and objects, and every change re-plans; the
// screen says how far reading and planning have got, and shows each row as soon as it is decided.
import { render } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { KubeObject, PlanOptions, World } from '../../core/index.ts';
import { compareRows, explainSource, identityOf, keyOf, sourceRefOf } from '../../core/index.ts';
import { formatExplanation } from '../explain.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import type { Session } from '../session.ts';
import type { SourceStatus, StatusFilter } from '../status-report.ts';
import { pendingStatuses, statusRows } from '../status-report.ts';
import { describeWrite, syncOnce } from '../sync.ts';
import { drawOver } from './first-paint.ts';
import type { PaintedFrame } from './first-paint.ts';
import { readingProgress, screenHeight, screenTitle } from './screen.ts';
import { StatusApp } from './status-app.tsx';
import type { LiveWorld } from './live-world.ts';
import { RowPlanner } from './row-planner.ts';
import type { PlannedRows } from './row-planner.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** Shows the first lines of a source's explanation, for the panel. */
function panelText(world: World, s: SourceStatus, planOptions: PlanOptions): string {
  const obj = world.objects.find((o) => identityOf(o) === identityOf(s.source));
  if (obj === undefined) return `${s.source.kind} ${keyOf(s.source)} no longer exists.`;
  const lines = formatExplanation({ subject: s.source, source: explainSource(world, obj, planOptions) })
    .trimEnd()
    .split('\n');
  return lines.length <= 12
    ? lines.join('\n')
    : `${lines.slice(0, 11).join('\n')}\n… ${lines.length - 11} more lines: kubectl reflect explain ${s.source.kind.toLowerCase()}/${s.source.name} -n ${s.source.namespace}`;
}

interface LiveProps {
  live: LiveWorld;
  session: Session;
  filter: StatusFilter;
  title: string;
  rows: () => number;
  /** The objects read first (the namespace's), whose sources show, pending, until they are planned. */
  first: Promise<KubeObject[]>;
  /** Those objects, when they were read before the screen came up: its first frame shows their sources. */
  ready: KubeObject[] | undefined;
  /** Their pending sources, as the painted first frame showed them (computed once, for both). */
  readySources: SourceStatus[] | undefined;
}

/** The namespace's sources, pending, and whether they are all of them or only the first screenful. */
interface Pending {
  sources: SourceStatus[];
  complete: boolean;
}

/**
 * The pending sources of the objects read first: a screenful at once (a sort of the names and as many parses), all of
 * them once the frame showing those is drawn; a thousand parses would hold the first frame back.
 */
function usePending(props: LiveProps): Pending {
  const { first, ready, filter, rows } = props;
  const { planOptions } = props.session;
  const of = (objects: KubeObject[], complete: boolean): Pending => ({
    sources: pendingStatuses(objects, filter, planOptions, complete ? Infinity : rows()),
    complete,
  });
  const [pending, setPending] = useState<Pending>(() =>
    ready === undefined
      ? { sources: [], complete: false }
      : { sources: props.readySources ?? of(ready, false).sources, complete: false },
  );
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (objects: KubeObject[]) => {
      if (!live) return;
      if (objects !== ready) setPending(of(objects, false));
      timer = setTimeout(() => live && setPending(of(objects, true)), 0);
    };
    if (ready !== undefined) show(ready);
    else first.then(show, () => undefined);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [first, ready, filter, planOptions]);
  return pending;
}

function Live(props: LiveProps) {
  const [world, setWorld] = useState<World | undefined>(undefined);
  const pending = usePending(props);
  const [reading, setReading] = useState<{ read: number; total?: number }>(() => props.live.progress());
  const [planned, setPlanned] = useState<PlannedRows | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  // Planning thousands of objects takes a moment: in slices between paints, once per change of the world.
  const planner = useMemo(
    () => new RowPlanner((w) => statusRows(w, props.filter, props.session.planOptions), setPlanned),
    [props.filter, props.session.planOptions],
  );
  useEffect(() => () => planner.stop(), [planner]);
  useEffect(() => {
    if (world !== undefined) planner.set(world);
  }, [world, planner]);
  useEffect(() => {
    const unsubscribe = props.live.subscribe(() => {
      setProblem(props.live.lastError);
      if (!props.live.synced) setReading(props.live.progress());
      else if (props.live.lastError === undefined) setWorld(props.live.world());
    });
    props.live.start().then(
      () => setWorld(props.live.world()),
      () => undefined,
    );
    return () => void unsubscribe();
  }, [props.live]);
  const sources = useMemo(() => withPending(planned, pending.sources), [planned, pending]);
  const progress =
    world === undefined
      ? readingProgress(reading)
      : planned === undefined
        ? 'planning'
        : !planned.done
          ? `planning ${count(planned.sources.length)}/${count(planned.total)} sources`
          : undefined;
  return (
    <StatusApp
      title={props.title}
      sources={sources}
      {...(pending.complete || planned?.done === true ? {} : { countPending: true })}
      height={props.rows()}
      {...(progress === undefined ? {} : { loading: true, progress })}
      {...(problem === undefined ? {} : { problem: `cannot read the cluster (retrying): ${problem}` })}
      explain={(s) => (world === undefined ? '' : panelText(world, s, props.session.planOptions))}
      onSync={async (s) => {
        const out = await syncOnce(props.session, { sources: [sourceRefOf(s.source)] });
        const failed = out.writes.filter((w) => w.outcome === 'failed' || w.outcome === 'conflict').length;
        const lines = out.writes.map((w) => describeWrite(w));
        const head = `synced ${s.source.namespace}/${s.source.name}: ${out.writes.length} writes${failed ? `, ${failed} failed` : ''}`;
        return lines.length === 0
          ? `${head} (already in sync)`
          : `${head}: ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? '; …' : ''}`;
      }}
    />
  );
}

/**
 * The rows to show: all planned ones once the plan is done; before, the planned prefix (each final) and then the
 * pending sources that sort after it (rowsOf: each will be a row; the prefix already holds those before it).
 */
function withPending(planned: PlannedRows | undefined, pending: readonly SourceStatus[]): SourceStatus[] {
  if (planned?.done === true) return planned.sources;
  const prefix = planned?.sources ?? [];
  const last = prefix.at(-1)?.source;
  return [...prefix, ...(last === undefined ? pending : pending.filter((p) => compareRows(p.source, last) > 0))];
}

/** Mounts the live screen until the user quits; returns the exit code. */
export async function runLiveStatus(
  io: Io,
  session: Session,
  live: LiveWorld,
  filter: StatusFilter,
  options: GlobalOptions,
  first: Promise<KubeObject[]>,
  ready?: KubeObject[],
  painted?: PaintedFrame,
): Promise<number> {
  const title = screenTitle(session.contextName, session.namespace, options.allNamespaces);
  const out = io.stdout as NodeJS.WriteStream;
  // The first frame painted before Ink loaded is erased by Ink's first write, so its frame replaces it in place.
  drawOver(out, painted?.lines ?? 0);
  const app = render(
    <Live
      live={live}
      session={session}
      filter={filter}
      title={title}
      rows={() => screenHeight(out)}
      first={first}
      ready={ready}
      readySources={painted?.sources}
    />,
    {
      stdout: out,
      stderr: io.stderr as NodeJS.WriteStream,
      stdin: io.stdin as NodeJS.ReadStream,
      exitOnCtrlC: true,
    },
  );
  try {
    await app.waitUntilExit();
  } finally {
    await live.stop();
  }
  return 0;
}
