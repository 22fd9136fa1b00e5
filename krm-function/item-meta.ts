/**
 * Reads an item's kind, name, namespace and file annotations straight from its text, for the many items of a big
 * package that reflect-fn only needs to know by identity. Returns undefined on anything it is not sure of, and the
 * caller parses the item instead.
 */

import { INDEX_KEYS, LOCAL_CONFIG, PATH_KEYS } from './kpt-annotations.ts';

/** What reflect-fn needs to know of an item that takes no part in reflection. */
export interface ItemMeta {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Only the orchestrator's path, index and local-config annotations. */
  annotations: Record<string, string>;
}

/** The annotations ItemMeta keeps: the orchestrator's path, index and local-config. */
export const KEPT_ANNOTATIONS: ReadonlySet<string> = new Set<string>([...PATH_KEYS, ...INDEX_KEYS, LOCAL_CONFIG]);

// Plain scalars that are strings in YAML 1.1 whatever the context; anything else is left to the real parser.
const SAFE_PLAIN = /^[A-Za-z_][-A-Za-z0-9._/]*$/;
const YAML11_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/i;
const KEY_LINE = /^([A-Za-z_][-A-Za-z0-9._/]*):(?:[ ]+(.*))?$/;

const cache = new WeakMap<object, ItemMeta | null>();

/**
 * Returns `itemMeta` of an item's text (or the item's own `readMeta`, for text that is not block YAML), once per
 * item; undefined for items not read as text.
 */
export function itemMetaOf(item: { readonly text?: string; readMeta?(): ItemMeta | undefined }): ItemMeta | undefined {
  if (item.text === undefined) return undefined;
  let meta = cache.get(item);
  if (meta === undefined) {
    meta = (item.readMeta === undefined ? itemMeta(item.text) : item.readMeta()) ?? null;
    cache.set(item, meta);
  }
  return meta ?? undefined;
}

/**
 * Returns the identity and file annotations of an item from its text (a `- ` list entry, or with `document` a YAML
 * document of a stream), or undefined when unsure.
 */
export function itemMeta(text: string, document = false): ItemMeta | undefined {
  const found: Partial<Record<'apiVersion' | 'kind' | 'name' | 'namespace', string>> = {};
  const annotations: Record<string, string> = {};
  let keyCol = -1;
  let section = '';
  let metaCol = -1;
  let metaSection = '';
  let annotationCol = -1;
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    // Line by line without splitting the whole item: reading stops after metadata.
    end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    let trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let col = line.length - trimmed.length;
    if (document && col === 0 && /^(?:---|\.\.\.)(?:\s|$)/.test(trimmed)) {
      // A document's own `---` line (or one of the empty documents glued to it) before its keys; after them, the end.
      if (keyCol >= 0) break;
      if (trimmed.slice(3).trim() !== '' && !trimmed.slice(3).trim().startsWith('#')) return undefined;
      continue;
    }
    if (keyCol < 0 && document) {
      keyCol = col;
    } else if (keyCol < 0) {
      if (!trimmed.startsWith('- ')) return undefined;
      keyCol = col + 2;
      line = trimmed.slice(2);
      trimmed = line.trimStart();
      col = keyCol + line.length - trimmed.length;
      if (col !== keyCol) return undefined;
    }
    if (col < keyCol) return undefined;
    if (col === keyCol) {
      const m = KEY_LINE.exec(trimmed);
      if (m === null) return undefined;
      // Everything needed is known once metadata is behind us; the rest (spec, data) is not read.
      if (section === 'metadata' && found.apiVersion !== undefined && found.kind !== undefined) break;
      section = m[1]!;
      if (section === 'apiVersion' || section === 'kind') {
        const v = scalar(m[2]);
        if (v === undefined || found[section] !== undefined) return undefined;
        found[section] = v;
      } else if (section === 'metadata' && !isEmpty(m[2])) return undefined;
      continue;
    }
    if (section !== 'metadata') continue;
    if (metaCol < 0) metaCol = col;
    if (col < metaCol) return undefined;
    if (col === metaCol) {
      const m = KEY_LINE.exec(trimmed);
      if (m === null) return undefined;
      metaSection = m[1]!;
      if (metaSection === 'name' || metaSection === 'namespace') {
        const v = scalar(m[2]);
        if (v === undefined || found[metaSection] !== undefined) return undefined;
        found[metaSection] = v;
      } else if (metaSection === 'annotations') {
        if (!isEmpty(m[2])) return undefined;
        annotationCol = -1;
      }
      continue;
    }
    if (metaSection !== 'annotations') continue;
    if (annotationCol < 0) annotationCol = col;
    if (col < annotationCol) return undefined;
    if (col > annotationCol) continue;
    const key = /^([^:\s"']+):(?:[ ]+(.*))?$/.exec(trimmed);
    if (key === null) return undefined;
    if (!KEPT_ANNOTATIONS.has(key[1]!)) continue;
    const v = quoted(key[2]) ?? scalar(key[2], /^[-A-Za-z0-9._/]+$/);
    if (v === undefined) return undefined;
    annotations[key[1]!] = v;
  }
  const { apiVersion, kind, name, namespace } = found;
  if (apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  return { apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }), annotations };
}

function isEmpty(rest: string | undefined): boolean {
  return rest === undefined || rest.trim() === '' || rest.trim().startsWith('#');
}

/** Returns a plain or quoted scalar's string value when it is certainly a string, else undefined. */
function scalar(rest: string | undefined, plain = SAFE_PLAIN): string | undefined {
  if (rest === undefined) return undefined;
  const q = quoted(rest);
  if (q !== undefined) return q;
  const value = rest.replace(/\s+#.*$/, '').trim();
  if (!plain.test(value) || YAML11_WORDS.test(value)) return undefined;
  return value;
}

function quoted(rest: string | undefined): string | undefined {
  if (rest === undefined) return undefined;
  const single = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(rest);
  if (single !== null) return single[1]!.replace(/''/g, "'");
  const double = /^"((?:[^"\\]|\\["\\/])*)"\s*(?:#.*)?$/.exec(rest);
  if (double !== null) return double[1]!.replace(/\\(["\\/])/g, '$1');
  return undefined;
}
