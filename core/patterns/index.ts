export {
  MAX_PATTERN_LENGTH,
  compileExact,
  type NamespacePattern,
  type PatternKind,
  type PatternResult,
} from './namespace-pattern.ts';
export { compileReflectorRegex, compileRegex } from './regex.ts';
export {
  MAX_BACKTRACKING_NAME_LENGTH,
  MAX_BACKTRACKING_STEPS,
  analyzeBacktracking,
  type SafetyVerdict,
} from './regex-safety.ts';
export { MAX_GLOB_ALTERNATIVES, compileGlob } from './glob.ts';
export {
  MAX_SELECTOR_LENGTH,
  parseLabelSelector,
  requirementMatches,
  type LabelSelector,
  type LabelSelectorResult,
  type Requirement,
  type SelectorOperator,
} from './label-selector.ts';
export { validateLabelKey, validateLabelValue } from './label-syntax.ts';
export { splitPatternList, splitReflectorList } from './split-list.ts';
