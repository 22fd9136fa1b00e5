// Command-line options of the bench scripts: `--name value`, one helper for all of them.

/** The value after `--name` on the command line, or the fallback when the option is absent or has no value. */
export function optionArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`, 2);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The number after `--name` on the command line, or the fallback when the option is absent. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`, 2);
  return i > 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}
