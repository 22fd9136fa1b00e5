// Cross-cluster sync (Teleport sync-controller semantics): naming, the pair planner and the Secret upload hash.
export * from './mapping.ts';
export * from './plan.ts';
export * from './secret-hash.ts';
export * from './types.ts';
