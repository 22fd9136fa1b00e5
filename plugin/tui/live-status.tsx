// Runs the live status screen: informers keep full copies of namespaces and objects, and every change re-plans.
import { render } from 'ink';
import { useEffect, useState } from 'react';
import type { KubeObject, World } from '../../core/index.ts';
import { explainSource, identityOf, keyOf } from '../../core/index.ts';
import { Informer } from '../../kube/informer.ts';
import { NAMESPACES } from '../../kube/resource-type.ts';
import { namespaceInfoOf } from '../../kube/world.ts';
import { formatExplanation } from '../explain.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import type { Session } from '../session.ts';
import type { SourceStatus, StatusFilter } from '../status-report.ts';
import { buildStatusReport } from '../status-report.ts';
import { describeWrite, syncOnce } from '../sync.ts';
import { StatusApp } from './status-app.tsx';

/** A world kept current by informers; subscribers hear about changes, at most every 200 ms. */
class LiveWorld {
  private readonly namespaces: Informer;
  private readonly kinds: Informer<KubeObject & { metadata: { name: string } }>[];
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly session: Session) {
    const changed = () => this.changed();
    const handlers = { onAdd: changed, onUpdate: changed, onDelete: changed };
    this.namespaces = new Informer(session.client, NAMESPACES, { ...handlers, pageSize: 5000 });
    this.kinds = session.types.map(
      (t) =>
        new Informer<KubeObject & { metadata: { name: string } }>(session.client, t, { ...handlers, pageSize: 5000 }),
    );
  }

  async start(): Promise<void> {
    this.namespaces.start();
    for (const k of this.kinds) k.start();
    await Promise.all([this.namespaces.waitForSync(), ...this.kinds.map((k) => k.waitForSync())]);
  }

  world(): World {
    const within = this.session.within === undefined ? undefined : new Set(this.session.within);
    const inScope = (ns: string) => within === undefined || within.has(ns);
    const namespaces = this.namespaces.store
      .list()
      .map((n) => namespaceInfoOf(n as never))
      .filter((n) => inScope(n.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const objects: KubeObject[] = [];
    this.kinds.forEach((k, i) => {
      for (const o of k.store.list())
        if (inScope(o.metadata.namespace ?? ''))
          objects.push({ ...o, kind: o.kind || (this.session.types[i]?.kind ?? '') });
    });
    return { namespaces, objects };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const fn of this.listeners) fn();
    }, 200);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([this.namespaces.stop(), ...this.kinds.map((k) => k.stop())]);
  }
}

/** Shows the first lines of a source's explanation, for the panel. */
function panelText(world: World, s: SourceStatus): string {
  const obj = world.objects.find((o) => identityOf(o) === identityOf(s.source));
  if (obj === undefined) return `${s.source.kind} ${keyOf(s.source)} no longer exists.`;
  const lines = formatExplanation({ subject: s.source, source: explainSource(world, obj) })
    .trimEnd()
    .split('\n');
  return lines.length <= 12
    ? lines.join('\n')
    : `${lines.slice(0, 11).join('\n')}\n… ${lines.length - 11} more lines: kubectl reflect explain ${s.source.kind.toLowerCase()}/${s.source.name} -n ${s.source.namespace}`;
}

function Live(props: { live: LiveWorld; session: Session; filter: StatusFilter; title: string; rows: () => number }) {
  const [world, setWorld] = useState<World | undefined>(undefined);
  useEffect(() => {
    const unsubscribe = props.live.subscribe(() => setWorld(props.live.world()));
    props.live.start().then(
      () => setWorld(props.live.world()),
      () => undefined,
    );
    return () => void unsubscribe();
  }, [props.live]);
  const sources = world === undefined ? [] : buildStatusReport(world, props.filter).sources;
  return (
    <StatusApp
      title={props.title}
      sources={sources}
      height={props.rows()}
      {...(world === undefined ? { loading: true } : {})}
      explain={(s) => (world === undefined ? '' : panelText(world, s))}
      onSync={async (s) => {
        const out = await syncOnce(props.session, { sourceKeys: [keyOf(s.source)], kind: s.source.kind.toLowerCase() });
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

/** Mounts the live screen until the user quits; returns the exit code. */
export async function runLiveStatus(
  io: Io,
  session: Session,
  filter: StatusFilter,
  options: GlobalOptions,
): Promise<number> {
  const live = new LiveWorld(session);
  const where = options.allNamespaces ? 'all namespaces' : `namespace ${session.namespace}`;
  const title = `${session.client.config.contextName} · ${where}`;
  const out = io.stdout as NodeJS.WriteStream;
  const app = render(
    <Live live={live} session={session} filter={filter} title={title} rows={() => (out.rows ?? 24) - 1} />,
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
