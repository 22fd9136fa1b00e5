/**
 * Cuts a YAML stream into the text of each document without parsing it: a document starts at a `---` line (YAML ends
 * every scalar there, quoted or not), so each document can be parsed alone, and only when something reads it.
 * Streams with directives (`%`) or document end markers (`...`) return undefined: the caller parses them whole.
 */

/** One document's text, from its `---` line (or the start) to the next one. */
export interface DocumentText {
  text: string;
  /** The line of the stream it starts on (1-based), for error messages. */
  line: number;
  /** True when it holds nothing but markers, comments and blank lines. */
  blank: boolean;
}

const MARKER_END = /[ \t\r]/;

/** Splits a stream into its documents' texts; undefined when it has directives or `...` lines. */
export function splitStream(text: string): DocumentText[] | undefined {
  const docs: DocumentText[] = [];
  let start = 0;
  let startLine = 1;
  let blank = true;
  let line = 1;
  for (let at = 0; at < text.length; line++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(at);
    if (c === 37 /* % */ || (c === 46 /* . */ && isMarker(text, at, '...', end))) return undefined;
    if (c === 45 /* - */ && isMarker(text, at, '---', end)) {
      // Comments before the first `---` are not a document of their own: they lead the first one.
      const lead = start === 0 && blank && !isMarker(text, 0, '---', text.indexOf('\n'));
      if (at > start && !lead) {
        docs.push({ text: text.slice(start, at), line: startLine, blank });
        start = at;
        startLine = line;
      }
      blank = isBlank(text.slice(at + 3, end));
    } else if (blank && !isBlank(text.slice(at, end))) blank = false;
    at = end + 1;
  }
  if (text.length > start) docs.push({ text: text.slice(start), line: startLine, blank });
  return docs;
}

function isMarker(text: string, at: number, marker: string, end: number): boolean {
  return text.startsWith(marker, at) && (at + 3 === end || MARKER_END.test(text[at + 3]!));
}

function isBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}
