/** The core's public surface: pure rules from annotations to a plan. */
export * from './names.ts';
export * from './kube-object.ts';
export * from './finding.ts';
export { printable } from './printable.ts';
export * from './spec.ts';
export * from './plan-types.ts';
export { planReflection } from './plan.ts';
export { pushVariants } from './dialects/push-variants.ts';
export { applyPlanToWorld, planWrites } from './apply-plan.ts';
export { MAX_TARGETS_LIMIT, parseObject } from './parse-object.ts';
export type { ParsedObject, ParseOptions } from './parse-object.ts';
export { renderMirror, isInSync, isDrifted, sourceHashLabel } from './render.ts';
export { decidePushTarget, decidePull, pushTargets, matchRule } from './targets.ts';
export type { TargetDecision } from './targets.ts';
export { contentHash, canonicalEqual, canonicalJson } from './content-hash.ts';
export {
  CONTENT_FIELDS,
  contentFieldsOf,
  contentOf,
  DENIED_KINDS,
  DENIED_SECRET_TYPES,
  KEYED_CONTENT_FIELDS,
} from './kinds.ts';
export {
  ACCESS_KINDS,
  accessDenialOf,
  denialOf,
  groupKindString,
  isDeniedGroupKind,
  isExcludedNamespace,
  kindDenialOf,
  mayPushFrom,
} from './policy.ts';
export type { GroupKind, KindDenial } from './policy.ts';
export { explainObject, explainSource, findingsAbout } from './explain.ts';
export type { Explanation, SourceExplanation, NamespaceExplanation } from './explain.ts';
export { DEFAULT_TRANSFORM_LIMITS, parseTransformRules, describeRule } from './transform/index.ts';
export type { TransformLimits, TransformRule, TransformRulesResult } from './transform/index.ts';
export { readTransform } from './transform/read.ts';
export type { RenderedMirror } from './render.ts';
export { migrateObject, applyEdit, MIGRATE_FROM } from './dialects/migrate.ts';
export type { MigrateFrom, MigrateOptions, MigrationResult, MetadataEdit } from './dialects/migrate.ts';
export { peerMirrorOf } from './dialects/index.ts';
export type { DialectOptions, PeerDialect } from './dialects/index.ts';
export { MIRROR_STATES, compareRows, summarizeSources } from './summary.ts';
export type { SourceHealth, SourceSummary } from './plan-types.ts';
export { planRows, rowsInOrder, rowsOf } from './plan-rows.ts';
export type { PlanRow, PlannedRows } from './plan-rows.ts';
export { Interner } from './intern.ts';
