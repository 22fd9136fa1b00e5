/** The next free document index of each file of a package, read from its items only as far as needed. */
import type { Item } from './krm-types.ts';

/**
 * The next free document index of each file of the package, so mirrors sharing a file never share an index. The items
 * given (those before it, in a list that grows) are asked for their files only when a new mirror needs an index: a
 * package whose mirrors are all in place (a fan-out's steady state) never reads them.
 */
export class PathIndexes {
  private nextByPath: Map<string, number> | undefined;
  private readonly count: number;

  /** `paths`: the only files it will be asked about (a big package has as many files as items; mirrors use few). */
  constructor(
    private readonly items: readonly Item[],
    private readonly paths: ReadonlySet<string>,
  ) {
    this.count = items.length;
  }

  next(path: string): number {
    this.nextByPath ??= this.read();
    const n = this.nextByPath.get(path) ?? 0;
    this.nextByPath.set(path, n + 1);
    return n;
  }

  private read(): Map<string, number> {
    const nextByPath = new Map<string, number>();
    const needle = literalPart(this.paths);
    for (let i = 0; i < this.count; i++) {
      const item = this.items[i]!;
      // Reading every item's annotations was most of this pass in a big package; an item whose text cannot spell any
      // of these paths cannot be in one of their files.
      if (needle !== '' && item.kind === 'text' && !item.sharesAnchors && cannotSpell(item.text, needle)) continue;
      const file = item.file();
      if (file !== undefined && this.paths.has(file.path))
        nextByPath.set(file.path, Math.max(nextByPath.get(file.path) ?? 0, (file.index ?? 0) + 1));
    }
    return nextByPath;
  }
}

// Characters a path keeps as they are in any YAML or JSON spelling of it but an escaped one: no quote (doubled when
// single-quoted), no space (a line break of a folded scalar reads as one).
const PLAIN_PATH_CHAR = /[A-Za-z0-9._/-]/;

/** The start that all of the paths share, cut before its first character that some spelling could change. */
export function literalPart(paths: ReadonlySet<string>): string {
  let prefix: string | undefined;
  for (const path of paths) {
    if (prefix === undefined) prefix = path;
    let n = 0;
    while (n < prefix.length && n < path.length && prefix.charCodeAt(n) === path.charCodeAt(n)) n++;
    prefix = prefix.slice(0, n);
  }
  let n = 0;
  while (prefix !== undefined && n < prefix.length && PLAIN_PATH_CHAR.test(prefix[n]!)) n++;
  return prefix === undefined ? '' : prefix.slice(0, n);
}

/**
 * Returns true when the text of an item that shares no anchor with another cannot hold an annotation value containing
 * `needle`: the text does not contain it, and has no escape (a backslash) that could spell it. (An alias in such an
 * item names an anchor of its own text, which spells the value there.)
 */
export function cannotSpell(text: string, needle: string): boolean {
  return !text.includes(needle) && !text.includes('\\');
}
