/** The public entry of reflect-fn for other surfaces: `kubectl reflect render` calls only this. */
export { renderPackage } from './protocol.ts';
export type { PackageSource, RenderOutcome } from './protocol.ts';
export type { KrmResult } from './krm-types.ts';
/** The YAML read and write options reflect-fn uses: Kubernetes' reading of scalars, bounded aliases, no line folding. */
export { WRITE_OPTIONS, YAML_OPTIONS } from './yaml-options.ts';
/** Parses every YAML document of a text as reflect-fn does; throws an error naming the text and its first problem. */
export { parseDocuments } from './yaml-text.ts';
