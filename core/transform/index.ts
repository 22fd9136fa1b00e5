/** Transforms: rules that change a mirror on its way into each namespace, with a sandboxed template engine. */
export { DEFAULT_TRANSFORM_LIMITS, parseTransformRules } from './rules.ts';
export type { RuleAction, RuleTarget, TransformLimits, TransformRule, TransformRulesResult } from './rules.ts';
export { applyTransform, describeRule } from './apply.ts';
export type { RuleFailure, TransformInput, TransformResult } from './apply.ts';
export { parsePath, formatPath } from './path.ts';
export type { PathSegment } from './path.ts';
export { parseTemplate } from './template-parse.ts';
export { executeTemplate, contextValue } from './template-eval.ts';
export type { TemplateContext } from './template-eval.ts';
export { Budget, DEFAULT_TEMPLATE_LIMITS } from './template-values.ts';
export type { TemplateLimits } from './template-values.ts';
