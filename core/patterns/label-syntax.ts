// The rules of k8s.io/apimachinery/pkg/util/validation: IsQualifiedName for keys, IsValidLabelValue for values.
const NAME = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** The longest label name or value Kubernetes accepts. */
export const MAX_LABEL_NAME_LENGTH = 63;

/** The longest key prefix (a DNS subdomain) Kubernetes accepts. */
export const MAX_LABEL_PREFIX_LENGTH = 253;

const NAME_RULE =
  "must be 63 characters or less, begin and end with an alphanumeric character, and contain only alphanumerics, '-', '_' or '.'";

/** Explains why a label key is invalid (`[prefix/]name`), or returns undefined when Kubernetes accepts it. */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a key may contain at most one '/'";
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') return 'the prefix before / must not be empty';
    if (prefix.length > MAX_LABEL_PREFIX_LENGTH)
      return `the prefix must be ${MAX_LABEL_PREFIX_LENGTH} characters or less`;
    if (!DNS_SUBDOMAIN.test(prefix)) {
      return `the prefix '${prefix}' must be a lowercase DNS subdomain (alphanumerics, '-' and '.')`;
    }
  }
  if (name === '') return 'the name must not be empty';
  if (name.length > MAX_LABEL_NAME_LENGTH || !NAME.test(name)) return `the name '${name}' ${NAME_RULE}`;
  return undefined;
}

/** Explains why a label value is invalid, or returns undefined when Kubernetes accepts it (empty is valid). */
export function validateLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_LABEL_NAME_LENGTH || !NAME.test(value)) return `a value ${NAME_RULE}`;
  return undefined;
}
