// Output formats shared by the commands: kubectl's -o values, and `kind: List` documents for json and yaml.
import { stringify } from 'yaml';

/** The -o values the plugin accepts. */
export const OUTPUT_FORMATS = ['wide', 'json', 'yaml', 'name'] as const;

/** An -o value, or 'table' when none was given. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | 'table';

/** Returns the -o value as a format; throws on an unknown one, naming the allowed values. */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === '') return 'table';
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new Error(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${OUTPUT_FORMATS.join(',')}`,
  );
}

/** Returns items as kubectl prints several objects: a `v1 List`, in JSON (2-space indent) or YAML. */
export function formatList(items: readonly unknown[], format: 'json' | 'yaml'): string {
  const list = { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
  return format === 'json' ? `${JSON.stringify(list, null, 4)}\n` : stringify(list, { lineWidth: 0 });
}

/** Returns one object as JSON or YAML. */
export function formatObject(obj: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(obj, null, 4)}\n` : stringify(obj, { lineWidth: 0 });
}
