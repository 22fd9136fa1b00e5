// Text a tenant wrote (annotation values, patterns, transform rules) reaches terminals through messages: kept printable.

// C0 controls (newline and tab too: a message is one line, and a newline in a value could forge a line of output),
// DEL, C1 controls, and the bidirectional overrides and isolates that reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Returns the text with every control character and bidirectional override written as an escape (`\x1b`, `\u202e`),
 * so that a message quoting a tenant's annotation cannot move a terminal's cursor, set its title or clipboard, or
 * reorder the line it is on.
 */
export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE, escape) : text;
}
