/** Splits a Reflector namespace list as Reflector does: on every comma, trimming entries and dropping empty ones. */
export function splitReflectorList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * Splits a native pattern list on commas outside (), [] and {}, so `app-[0-9]{1,3}` and `{dev,prod}-*` survive;
 * entries are trimmed and empty ones dropped.
 */
export function splitPatternList(value: string): string[] {
  const entries: string[] = [];
  const open: string[] = [];
  let inClass = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      i++; // an escaped character never opens, closes or splits
    } else if (inClass) {
      // Inside [...] brackets and braces are literal in both regexes and globs, so only ']' matters.
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' || c === '{') {
      open.push(c === '(' ? ')' : '}');
    } else if (c === ')' || c === '}') {
      // A stray closer leaves the depth alone; the entry then fails to compile instead of swallowing the list.
      if (open[open.length - 1] === c) open.pop();
    } else if (c === ',' && open.length === 0) {
      entries.push(value.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(value.slice(start));
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}
