// The interactive status screen: keys move, filter, expand, sync and explain; the data comes from props.
import { useApp, useInput, useStdin } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { SourceStatus } from '../status-report.ts';
import { FIXED_LINES, filterSources, sourceId } from './screen.ts';
import { StatusView } from './status-view.tsx';

/** Props of StatusApp. */
export interface StatusAppProps {
  title: string;
  sources: SourceStatus[];
  /** The sources are only the first of them (more are being read): the title shows no count. */
  countPending?: boolean;
  loading?: boolean;
  /** What is being done while loading: "reading the cluster: 5,000/11,000 objects", "planning: 200/1,000 sources". */
  progress?: string;
  /** A problem reading the cluster, shown until the next good read. */
  problem?: string;
  height: number;
  /** Syncs one source; resolves with a one-line summary. */
  onSync(source: SourceStatus): Promise<string>;
  /** Returns the explanation text of one source. */
  explain(source: SourceStatus): string;
}

/** The stateful screen: selection, filter, expansion, panels; quits on q or Ctrl-C. */
export function StatusApp(props: StatusAppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [filtering, setFilteringState] = useState(false);
  // The mode is also kept in a ref: Ink re-subscribes the input handler only after a render commits, so a key typed
  // right after '/' would reach the old handler and be lost ('/tls' typed fast filtered by 'ls').
  const filteringNow = useRef(false);
  const setFiltering = (on: boolean) => {
    filteringNow.current = on;
    setFilteringState(on);
  };
  const [explaining, setExplaining] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const visible = filterSources(props.sources, filter);
  const index = Math.min(selected, Math.max(0, visible.length - 1));
  // What the input handler acts on is read from the last render through a ref, for the same reason as the mode.
  const rendered = useRef({ visible, current: visible[index] });
  rendered.current = { visible, current: visible[index] };

  useInput(
    (input, key) => {
      if (filteringNow.current) {
        if (key.return) setFiltering(false);
        else if (key.escape) {
          setFilter('');
          setFiltering(false);
        } else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
        else if (input !== '' && !key.ctrl && !key.meta) {
          setFilter((f) => f + input);
          setSelected(0);
        }
        return;
      }
      if (input === 'q' || (key.ctrl && input === 'c')) return exit();
      const { visible, current } = rendered.current;
      // Functional updates: keys typed faster than the screen renders each still move one row.
      const last = Math.max(0, visible.length - 1);
      if (key.upArrow || input === 'k') setSelected((s) => Math.max(0, Math.min(s, last) - 1));
      else if (key.downArrow || input === 'j') setSelected((s) => Math.min(last, s + 1));
      else if (input === '/') setFiltering(true);
      else if (key.escape) {
        setExplaining(undefined);
        setMessage(undefined);
      } else if (key.return && current !== undefined) {
        const id = sourceId(current);
        setExpanded((e) => {
          const next = new Set(e);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        });
      } else if (input === 'e' && current !== undefined) {
        setExplaining((open) => (open === sourceId(current) ? undefined : sourceId(current)));
      } else if (input === 's' && current !== undefined) {
        setMessage(`syncing ${current.source.namespace}/${current.source.name}…`);
        props
          .onSync(current)
          .then(setMessage, (err: unknown) =>
            setMessage(`sync failed: ${err instanceof Error ? err.message : String(err)}`),
          );
      }
    },
    { isActive: isRawModeSupported },
  );

  const open = explaining === undefined ? undefined : props.sources.find((s) => sourceId(s) === explaining);
  // Explaining re-reads the world; do it when the panel opens or the world changes, not on every key press.
  const explanation = useMemo(() => (open === undefined ? undefined : props.explain(open)), [open, props.sources]);
  return (
    <StatusView
      title={props.title}
      sources={props.sources}
      {...(props.countPending ? { countPending: true } : {})}
      selected={index}
      expanded={expanded}
      filter={filter}
      filtering={filtering}
      height={
        props.height -
        FIXED_LINES -
        (props.loading && props.progress !== undefined ? 1 : 0) -
        (explanation === undefined ? 0 : explanation.trimEnd().split('\n').length + 2)
      }
      {...(props.loading ? { loading: true } : {})}
      {...(props.progress !== undefined ? { progress: props.progress } : {})}
      {...(explanation !== undefined ? { explanation } : {})}
      {...(message !== undefined ? { message } : {})}
      {...(props.problem !== undefined ? { problem: props.problem } : {})}
    />
  );
}
