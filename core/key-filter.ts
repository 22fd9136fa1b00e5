import { minimatch } from 'minimatch';
import type { AnnotationReader } from './annotation-reader.ts';
import { NEVER_COPIED_KEYS } from './names.ts';
import type { KeyFilter } from './spec.ts';

/** The filter that copies no keys. */
export const COPY_NONE: KeyFilter = { include: 'none', exclude: [] };

const KEY_PATTERN = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9*?]([-A-Za-z0-9_.*?]*[A-Za-z0-9*?])?$/;

/** Parses a copy policy: `none`, `all`, keys or globs, and `!key` exclusions, comma separated. */
export function parseKeyFilter(reader: AnnotationReader, key: string): KeyFilter {
  const value = reader.raw(key);
  if (value === undefined) return COPY_NONE;
  const include: string[] = [];
  const exclude: string[] = [];
  let all = false;
  let none = false;
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry === 'all') all = true;
    else if (entry === 'none') none = true;
    else if (entry.startsWith('!') && KEY_PATTERN.test(entry.slice(1).trim())) exclude.push(entry.slice(1).trim());
    else if (KEY_PATTERN.test(entry)) include.push(entry);
    else reader.invalid(key, `entry "${entry}" is not a label or annotation key, glob, "all", "none" or "!exclusion"`);
  }
  if (none && (all || include.length > 0)) {
    reader.invalid(key, '"none" cannot be combined with other entries');
    return COPY_NONE;
  }
  if (all) return { include: 'all', exclude: exclude.sort() };
  if (include.length === 0) return { include: 'none', exclude: [] };
  return { include: include.sort(), exclude: exclude.sort() };
}

/** Returns the entries of a map whose keys pass the filter and are not GitOps or Helm bookkeeping. */
export function filterKeys(
  map: Readonly<Record<string, string>> | undefined,
  filter: KeyFilter,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (map === undefined || filter.include === 'none') return out;
  for (const key of Object.keys(map).sort()) {
    const value = map[key];
    if (value === undefined) continue;
    if (matchesAny(key, NEVER_COPIED_KEYS) || matchesAny(key, filter.exclude)) continue;
    if (filter.include === 'all' || matchesAny(key, filter.include)) out[key] = value;
  }
  return out;
}

function matchesAny(key: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.includes('*') || p.includes('?') ? minimatch(key, p, MATCH_OPTIONS) : p === key));
}

const MATCH_OPTIONS = { nocomment: true, nonegate: true, noext: true, dot: true } as const;
