// The diff engine: pure functions from normalised records to an ordered plan and its renderings.
export * from './types.js';
export { resolveFlags, type ResolvedFlags } from './flags.js';
export { valuesEqual } from './equal.js';
export { diffModel, emptySummary, addSummary, type ModelDiff } from './diff-model.js';
export { resolveOrder, mappedModels, modelReferences, selfReferenceFields } from './order.js';
export { buildPlan, splitBatches, type BuildPlanInput } from './plan.js';
export {
  checkGuardrails,
  assertGuardrails,
  type GuardrailViolation,
  type GuardrailReason,
  type ModelCounts,
} from './guardrails.js';
export { canonicalSha256, stagesChecksum } from './checksum.js';
export { formatText, formatSummary, formatModelSummary, formatGuardrailBanner, sideNames, type TextOptions } from './format-text.js';
export { guardrailVerdict, guardrailError, guardrailWarning, describeRefusals } from './guardrail-verdict.js';
export { comparePlans, describePlanDifference, type PlanDifference, type FieldDifference } from './compare-plans.js';
export { formatJson, type JsonDiff } from './format-json.js';
