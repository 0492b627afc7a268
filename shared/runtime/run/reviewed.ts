// Binding a sync to a reviewed plan: the plan a diff run computed, by checksum. The sync re-plans
// and, when the plan is no longer that one, fails before writing anything (see handleDiff).
import { ConfigError } from '../../errors.js';
import type { ObjectStore } from '../ports.js';
import { showRun } from './history.js';
import type { ExpectedPlan } from './types.js';

export interface ReviewedPlan {
  expect: ExpectedPlan;
  /** The branch the reviewed plan was computed against: the default for applying it. */
  branch?: string;
}

/** The plan of run `runId` (or a unique prefix) of config `name`; a ConfigError when there is none. */
export async function reviewedPlan(store: ObjectStore, name: string, runId: string): Promise<ReviewedPlan> {
  const details = await showRun(store, runId, name);
  if (!details) throw new ConfigError(`no run ${runId} of ${name} in the run history`);
  const { run, plan } = details;
  if (!plan) {
    const why = details.error ? `: ${details.error.message}` : '';
    throw new ConfigError(`run ${run.runId} has no plan to apply (it ended ${details.status}${why})`);
  }
  if (run.scope) throw new ConfigError(`run ${run.runId} planned only part of ${name} (a scoped run); review a full diff`);
  return { expect: { runId: run.runId, checksum: plan.checksum, summary: plan.summary }, branch: run.branch };
}
