// Pull mirrors that name pull mirrors form chains (c <- b <- a) and, by mistake or malice, cycles (a <- b <- a).
import { groupKindOf } from './kube-object.ts';
import type { ParsedObject } from './parse-object.ts';

/** How the pull mirrors of a world link up: the cycles they form, and the order that fills a chain in one plan. */
export interface PullChains {
  /** For each pull mirror on a cycle, the cycle's member identities in pull order, starting with itself. */
  cycles: ReadonlyMap<string, readonly string[]>;
  /** How many pull links separate a pull mirror from the first object that is no pull mirror (1 for a direct pull). */
  depth: ReadonlyMap<string, number>;
}

/** Returns the identity of the source a pull mirror names (same kind as the mirror). */
export function pulledIdentity(mirror: ParsedObject): string | undefined {
  const pull = mirror.pull;
  if (pull === undefined) return undefined;
  return `${groupKindOf(mirror.object)}/${pull.from.namespace}/${pull.from.name}`;
}

/**
 * Follows every pull link of the world once (linear time): a pull mirror whose source is a pull mirror comes after it,
 * and the members of a cycle are reported so that nothing is written for them.
 */
export function pullChains(objects: ReadonlyMap<string, ParsedObject>): PullChains {
  const cycles = new Map<string, string[]>();
  const depth = new Map<string, number>();
  const linkOf = (id: string): string | undefined => {
    const parsed = objects.get(id);
    return parsed === undefined ? undefined : pulledIdentity(parsed);
  };
  // Only pull mirrors start a chain; sorting every object of a large world first cost more than following the links.
  const starts: string[] = [];
  // forEach, not for-of: a world's every object would make an entry pair.
  objects.forEach((parsed, id) => {
    if (parsed.pull !== undefined) starts.push(id);
  });
  for (const start of starts.sort()) {
    if (depth.has(start) || cycles.has(start) || linkOf(start) === undefined) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let at: string | undefined = start;
    let base = 0;
    while (at !== undefined) {
      const next = linkOf(at);
      if (next === undefined) break; // not a pull mirror: the root of the chain
      const known = depth.get(at);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (cycles.has(at)) break; // a chain leading into a known cycle: its cycle member is left as it is
      const seen = onPath.get(at);
      if (seen !== undefined) {
        const members = path.slice(seen);
        members.forEach((m, i) => cycles.set(m, [...members.slice(i), ...members.slice(0, i)]));
        path.length = seen;
        break;
      }
      onPath.set(at, path.length);
      path.push(at);
      at = next;
    }
    for (let i = path.length - 1; i >= 0; i--) depth.set(path[i] as string, base + (path.length - i));
  }
  return { cycles, depth };
}
