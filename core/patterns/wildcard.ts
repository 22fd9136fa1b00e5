// Most namespace patterns are a literal with a wildcard: `team-*`, `team-.*`, `*-prod`. The general engines (re2js
// and minimatch's regex in it) run interpreted at ~10 µs a name under the controller's flags, and a controller decides
// every source over every namespace: 200 sources over 3,000 namespaces took 5.8 s. Those shapes need no engine.

/** Literal characters a wildcard fast path accepts in a glob: all of them are literal to minimatch. */
const GLOB = /^[A-Za-z0-9._-]*(?:\*[A-Za-z0-9._-]*)+$/;

/** Literals and `.*` runs, optionally anchored by `^` and `$`: what a regex fast path accepts. */
const REGEX = /^\^?(?:[A-Za-z0-9_-]|\.\*)*\.\*(?:[A-Za-z0-9_-]|\.\*)*\$?$/;

/**
 * Returns the literal pieces of a glob made of literal characters and `*` only (`team-*` → ['team-', '']), or
 * undefined for any other glob. `*` matches any run of characters but '/', as minimatch's does.
 */
export function globPieces(text: string): string[] | undefined {
  return GLOB.test(text) ? text.split('*') : undefined;
}

/**
 * Returns the literal pieces of a regex made of literal characters and `.*` runs only (`^team-.*$` → ['team-', '']),
 * or undefined for any other regex. `.*` matches any run of characters but '\n', as RE2's does.
 */
export function regexPieces(text: string): string[] | undefined {
  if (!REGEX.test(text)) return undefined;
  const body = text.slice(text.startsWith('^') ? 1 : 0, text.endsWith('$') ? -1 : undefined);
  return body.split('.*');
}

/**
 * Returns a whole-name matcher of literal pieces joined by wildcards that match any run of characters except
 * `excluded` (pieces.length >= 2), for names of at least minLength: exactly the names the pattern's regex matches. The first piece must start the
 * name and the last end it; the pieces between are taken leftmost, which finds a match whenever one exists, since a
 * wildcard can absorb anything a later choice would leave.
 */
export function wildcardMatcher(pieces: readonly string[], excluded: string, minLength = 0): (name: string) => boolean {
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1);
  const shortest = Math.max(minLength, first.length + last.length);
  return (name: string): boolean => {
    if (typeof name !== 'string' || name.length < shortest) return false;
    if (!name.startsWith(first) || !name.endsWith(last)) return false;
    // Every character is matched by a literal piece or a wildcard; pieces hold no excluded character.
    if (name.includes(excluded)) return false;
    let at = first.length;
    const end = name.length - last.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
