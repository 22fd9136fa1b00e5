// `explain`: why each namespace is or is not a target of a source, in words; for a mirror, its source's story and its own state.
import type { Explanation, MirrorStatus, ObjectRef, PlanOptions, SourceExplanation, SourceRef } from '../core/index.ts';
import { BLOCKED_WORDS, explainObject as explainCore, keyOf } from '../core/index.ts';
import type { ReadWorld } from './read-world.ts';
import { formatTable } from './table.ts';

export type { Explanation } from '../core/index.ts';

/** Finds the named object in the world and explains it (the core decides everything); throws when it does not exist. */
export function explainObject(
  world: ReadWorld,
  ref: SourceRef,
  kindAsTyped: string,
  options: PlanOptions = {},
): Explanation {
  const found = explainCore(world, ref, options, world.limitedTo);
  if (found === undefined) throw new Error(`${kindAsTyped} "${ref.name}" not found in namespace "${ref.namespace}"`);
  return found;
}

/** Returns an explanation as text a newcomer can read; wide adds why each namespace may or may not pull. */
export function formatExplanation(e: Explanation, wide = false): string {
  const lines: string[] = [];
  const name = (r: ObjectRef) => `${r.kind} ${r.namespace}/${r.name}`;
  if (e.mirror !== undefined) {
    const how =
      e.mirror.mode === 'pull'
        ? `a pull mirror (it asks for a copy with ${e.mirror.by})`
        : `a mirror pushed by ${e.mirror.by}`;
    lines.push(`${name(e.subject)} is ${how} of ${e.subject.kind} ${e.mirror.source}.`);
    if (e.mirror.sourceUnread === true) {
      lines.push(`Its source is in a namespace you may not read, so its state is unknown here.`);
      return `${lines.join('\n')}\n`;
    }
    lines.push(
      e.mirror.state === undefined
        ? 'The planner has no state for it.'
        : `Its state: ${e.mirror.state} (${STATE_WORDS[e.mirror.state]}).`,
    );
    for (const f of e.mirror.findings) lines.push(`${f.severity}: ${f.message}`);
    if (e.source === undefined) {
      lines.push(`Its source ${e.mirror.source} does not exist.`);
      return `${lines.join('\n')}\n`;
    }
    lines.push('', 'Its source:');
  }
  const s = e.source as SourceExplanation;
  lines.push(`${name(s.source)}: ${s.summary}`);
  if (s.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of s.findings)
      lines.push(`  ${f.severity}  ${f.reason}  ${f.message}${f.annotation ? ` (annotation ${f.annotation})` : ''}`);
  }
  const blocked = new Map(
    s.findings.flatMap((f) =>
      f.detail?.blockedBy === undefined ? [] : [[f.detail.namespace ?? '', BLOCKED_WORDS[f.detail.blockedBy]] as const],
    ),
  );
  const headers = ['NAMESPACE', 'TARGET', 'STATE', 'MAY-PULL', 'WHY', ...(wide ? ['PULL-WHY'] : [])];
  const pullOnly = s.namespaces.some((n) => n.pullAllowed);
  const rows = s.namespaces.map((n) => {
    let why = n.why;
    // A pull-only source: what matters in each namespace is whether a pull mirror there would be filled.
    if (n.code === 'NoPush' && pullOnly)
      why = n.pullAllowed
        ? `not pushed to; a pull mirror here is ${n.pullWhy}`
        : `not pushed to; a pull mirror here would be denied: ${n.pullWhy}`;
    if (n.state === 'blocked' && blocked.has(n.namespace))
      why = `${why}, but blocked: ${blocked.get(n.namespace) ?? ''}`;
    // A strict transform rule that fails here stops the mirror: say so where the row would otherwise look fine.
    else if (n.state === 'blocked' && (n.transform?.failed.length ?? 0) > 0)
      why = `${why}, but not written: a transform-strict rule failed here`;
    return [
      n.namespace,
      n.target ? 'yes' : 'no',
      n.state ?? '-',
      n.pullAllowed ? 'yes' : 'no',
      why,
      ...(wide ? [n.pullWhy] : []),
    ];
  });
  lines.push('', formatTable(headers, rows).trimEnd());
  const transformed = s.namespaces.filter((n) => n.transform !== undefined);
  if (transformed.length > 0) {
    lines.push('', 'Transform rules, per namespace:');
    for (const n of transformed) {
      const t = n.transform!;
      const failed = t.failed.length > 0 ? `; failed: ${t.failed.join('; ')}` : '';
      lines.push(`  ${n.namespace}  applied: ${t.applied.length > 0 ? t.applied.join('; ') : 'none'}${failed}`);
    }
  }
  if (s.pullMirrors.length > 0) {
    lines.push('', 'Pull mirrors:');
    for (const m of s.pullMirrors) lines.push(`  ${keyOf(m.mirror)}  ${m.state}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What each mirror state means, in a few words. */
export const STATE_WORDS: Readonly<Record<MirrorStatus['state'], string>> = {
  'in-sync': 'it matches its source',
  outdated: 'the source changed and the mirror has not been updated yet',
  drifted: 'someone edited the mirror; the next sync reverts it',
  missing: 'it does not exist yet; the next sync creates it',
  blocked: 'another object stands where the mirror should be and is left untouched',
  denied: 'the source does not allow this namespace to copy it',
  orphaned: 'its source is gone',
  paused: 'the source is paused',
};
