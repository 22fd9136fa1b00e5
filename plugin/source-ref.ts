// The SOURCE argument: `[kind/]name`, as kubectl spells resources (secret/x, configmap/x, cm/x; kind defaults to secret).

/** A source named on the command line: a kind as typed (lower case) and a name. */
export interface SourceArg {
  kind: string;
  name: string;
}

const ALIASES: Readonly<Record<string, string>> = {
  secret: 'secret',
  secrets: 'secret',
  configmap: 'configmap',
  configmaps: 'configmap',
  cm: 'configmap',
};

/** Parses `[kind/]name`; throws an Error with a usable message when it is malformed. */
export function parseSourceArg(text: string): SourceArg {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new Error(`"${text}" is not [kind/]name (for example secret/db, configmap/settings, cm/settings or db)`);
  }
  if (parts.length === 1) return { kind: 'secret', name: parts[0] ?? '' };
  const kind = (parts[0] ?? '').toLowerCase();
  return { kind: ALIASES[kind] ?? kind, name: parts[1] ?? '' };
}

/** Returns the --kinds entry that lists objects of this argument's kind ("secrets", "configmaps", or as typed). */
export function kindListName(arg: SourceArg): string {
  if (arg.kind === 'secret') return 'secrets';
  if (arg.kind === 'configmap') return 'configmaps';
  return arg.kind;
}

/** Returns true when an object of this kind (and group) is what the argument names. */
export function kindMatches(arg: SourceArg, obj: { kind: string; apiVersion: string }): boolean {
  const kind = obj.kind.toLowerCase();
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  const dot = arg.kind.indexOf('.');
  const argKind = dot < 0 ? arg.kind : arg.kind.slice(0, dot);
  const argGroup = dot < 0 ? undefined : arg.kind.slice(dot + 1);
  const named =
    argKind === kind || argKind === `${kind}s` || argKind === `${kind}es` || argKind === kind.replace(/y$/, 'ies');
  return named && (argGroup === undefined || argGroup === group || argGroup.endsWith(`.${group}`));
}

/** Returns how kubectl names an object in `-o name` and in messages: `secret/db`, `networkpolicy.networking.k8s.io/x`. */
export function resourceName(obj: { kind: string; apiVersion: string; name: string }): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return `${obj.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${obj.name}`;
}
