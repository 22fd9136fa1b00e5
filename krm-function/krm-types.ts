/** The types every part of reflect-fn shares; it imports no other module of reflect-fn, so no import can loop back. */
import type { Document, YAMLMap } from 'yaml';
import type { KubeObject } from '../core/index.ts';

/** One entry of a ResourceList's `results`, as the KRM functions specification defines it. */
export interface KrmResult {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

/** Input that is not YAML, or not the shape the protocol requires; reflect-fn exits 2 with its message. */
export class InputError extends Error {}

/** The file of a package an item belongs to (kpt's path and index annotations). */
export interface FileRef {
  path: string;
  index?: number;
}

/** What every item can say about itself. */
interface ItemBase {
  /** The file the item was read from or is to be written to, when the orchestrator says. */
  file(): FileRef | undefined;
  /** The item's plain value: maps are objects, aliases resolved. */
  readonly value: unknown;
}

/** An input item, unchanged: written back as the exact text it was read from. */
export interface TextItem extends ItemBase {
  readonly kind: 'text';
  readonly text: string;
  /** Its YAML node, parsed on first use. */
  readonly node: YAMLMap;
  /** The document its node belongs to (for the ResourceList fast path: the item's own text, comments included). */
  readonly doc: Document;
  /** Where it is in the input, for messages: "ResourceList.items[3]" or "document 2". */
  readonly where: string;
  /** Its index among the stream's documents (legacy stream only). */
  readonly origin?: number;
  /** Set when a YAML alias joins it to another item (an anchor in one, the alias in the other). */
  readonly sharesAnchors: boolean;
}

/** An input item that was edited, or read without its text: written by the `yaml` package from its node. */
export interface ParsedItem extends ItemBase {
  readonly kind: 'parsed';
  readonly node: YAMLMap;
  readonly doc?: Document;
  readonly where: string;
  readonly origin?: number;
  readonly sharesAnchors: boolean;
}

/** An item reflect-fn generates (a new mirror): written from its value. */
export interface NewItem extends ItemBase {
  readonly kind: 'new';
  readonly value: KubeObject;
  /** Its YAML node, made on demand (the text writer writes values). */
  readonly node: YAMLMap;
}

/** One object of a package, as read, edited or generated. */
export type Item = TextItem | ParsedItem | NewItem;
