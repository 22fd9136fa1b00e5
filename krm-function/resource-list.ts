/** A ResourceList as reflect-fn reads it: its items, its functionConfig, and how to write it back with new items. */
import type { Item, KrmResult } from './krm-types.ts';

/** A ResourceList read from stdin: its items and functionConfig, and how to write it back with new items. */
export interface ResourceList {
  items: Item[];
  functionConfig: unknown;
  /** The list with these items and results, as pieces of text to write in order (joined, the list's text). */
  write(items: readonly Item[], results: readonly KrmResult[]): string[];
}
