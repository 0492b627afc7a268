export { applyBatch } from './apply.js';
export { dependantsOfFailures } from './dependants.js';
export { loadModelSide } from './load.js';
export { modelSpecs } from './model-specs.js';
export { openAdapter, type OpenOptions } from './open-adapter.js';
export { destinationFacts, peerIds, planRun } from './plan.js';
export { buildReport } from './report.js';
export { neededModels, verifyRun } from './verify.js';
export type { FailureEntry, NotConverged, PlanOutcome, ProgressEvent, RawSnapshot, RunReport, Side, VerifyReport } from './types.js';
