/** The public entry of reflect-fn for other surfaces: `kubectl reflect render` calls only this. */
export { renderPackage } from './protocol.ts';
export type { PackageSource, RenderOutcome } from './protocol.ts';
export type { KrmResult } from './krm-types.ts';
