// Diff: snapshots -> plan.json + diff.txt; in sync mode, batch files and stage 0's messages.
import {
  comparePlans,
  describePlanDifference,
  formatSummary,
  formatText,
  guardrailError,
  guardrailVerdict,
  guardrailWarning,
  sideNames,
  splitBatches,
} from '../../diff/index.js';
import type { Plan } from '../../diff/types.js';
import { PlanChangedError } from '../../errors.js';
import { getJson, putJson, requireJson, type ObjectStore } from '../ports.js';
import { destinationFacts, modelSpecs, peerIds, planRun, type RawSnapshot } from '../steps/index.js';
import { readRun } from './context.js';
import { failRun, finishRun } from './finish.js';
import { keys } from './keys.js';
import { scopePlan } from './scope.js';
import { startStage } from './stages.js';
import type { BatchFile, ExpectedPlan, PeerState, RunDeps, RunMessage, RunRecord, StageManifest } from './types.js';

export interface PlanMeta {
  plannedAt: string;
  loadMs: number;
  planMs: number;
  warnings: string[];
  counts: Record<string, { source: number; destination: number }>;
}

/** Notes logged per run at most (each is one log line). */
const MAX_NOTES = 1000;
/** Differences listed in a "plan changed" refusal; `runs show` has the whole new plan. */
const SHOWN_DIFFERENCES = 10;

/** The refusal of a sync whose plan is not the reviewed one, saying what differs. */
async function planChanged(store: ObjectStore, run: RunRecord, expected: ExpectedPlan, plan: Plan): Promise<PlanChangedError> {
  const reviewed = await getJson<Plan>(store, keys.plan({ name: run.name, runId: expected.runId }));
  const head =
    `the plan is no longer the one reviewed in run ${expected.runId} ` +
    `(reviewed: ${formatSummary(expected.summary)}; now: ${formatSummary(plan.summary)}); nothing was written`;
  const tail = `See the new plan with \`runs show ${run.runId}\`, then review and sync again`;
  if (!reviewed) return new PlanChangedError(expected.runId, `${head}. ${tail}`);
  const differences = comparePlans(reviewed, plan);
  const lines = differences.slice(0, SHOWN_DIFFERENCES).map((d) => `  ${describePlanDifference(d)}`);
  if (differences.length > SHOWN_DIFFERENCES) lines.push(`  ... and ${differences.length - SHOWN_DIFFERENCES} more`);
  return new PlanChangedError(
    expected.runId,
    `${head}. ${differences.length} difference(s) between the reviewed plan and the plan now:\n${lines.join('\n')}\n${tail}`,
  );
}

export async function handleDiff(deps: RunDeps, msg: Extract<RunMessage, { type: 'diff' }>): Promise<void> {
  const { store } = deps;
  const ref = msg.run;
  // Everything below is deterministic, so a redelivery before diff.done simply redoes it.
  if ((await store.get(keys.diffDone(ref))) !== undefined) return;
  const { run, loaded } = await readRun(store, ref);
  const started = Date.now();
  const snapshots = await Promise.all(
    run.loads.map((l) => requireJson<RawSnapshot>(store, keys.snapshot(ref, l.side, l.model))),
  );
  let outcome;
  try {
    outcome = planRun(loaded, run.runId, snapshots, { force: run.force });
  } catch (err) {
    await failRun(deps, run, 'diff', err);
    await store.put(keys.diffDone(ref), '{}');
    return;
  }
  const plan = run.scope ? scopePlan(outcome.plan, run.scope) : outcome.plan;
  if (run.scope) {
    // What a scoped run applies is the scoped plan; the guardrails judge that one.
    plan.guardrail = guardrailVerdict(plan, new Map(Object.entries(outcome.counts)), loaded.config.guardrails, { force: run.force });
  }
  const refusal = plan.guardrail ? guardrailWarning(plan.guardrail) : undefined;
  const warnings = refusal ? [...outcome.warnings, refusal] : outcome.warnings;
  const meta: PlanMeta = {
    plannedAt: new Date().toISOString(),
    loadMs: started - new Date(run.createdAt).getTime(),
    planMs: Date.now() - started,
    warnings,
    counts: outcome.counts,
  };
  // Details that the warnings summarise: there for --verbose and the logs, never in the way.
  for (const note of outcome.notes.slice(0, MAX_NOTES)) deps.logger.info(note);
  if (outcome.notes.length > MAX_NOTES) deps.logger.info(`... and ${outcome.notes.length - MAX_NOTES} more notes like these`);
  await putJson(store, keys.plan(ref), plan);
  await putJson(store, keys.planMeta(ref), meta);
  await store.put(keys.diffText(ref), formatText(plan, sideNames(loaded.config)));

  const expected = run.expectPlan;
  if (expected && plan.checksum !== expected.checksum) {
    // The plan stays in the store for `runs show`; nothing is batched, nothing is written.
    await failRun(deps, run, 'diff', await planChanged(store, run, expected, plan));
    await store.put(keys.diffDone(ref), '{}');
    return;
  }
  if (run.mode === 'sync' && plan.guardrail?.refused) {
    // Only a sync refuses; its plan stays in the store, so `runs show` shows what was refused.
    await failRun(deps, run, 'diff', guardrailError(plan, plan.guardrail, run.runId));
    await store.put(keys.diffDone(ref), '{}');
    return;
  }

  const manifest: StageManifest[] = [];
  if (run.mode === 'sync') {
    for (const stage of plan.stages) {
      const batches = splitBatches(stage, run.batchSize);
      await Promise.all(
        batches.map((changes, batch) =>
          putJson(store, keys.batch(ref, stage.index, batch), { stage: stage.index, batch, changes } satisfies BatchFile),
        ),
      );
      manifest.push({ index: stage.index, action: stage.action, models: stage.models, batches: batches.length, changes: stage.changes.length });
    }
    await putJson(store, keys.manifest(ref), manifest);
    await putJson(store, keys.specs(ref), modelSpecs(outcome.config));
    await putJson(store, keys.facts(ref), destinationFacts(snapshots));
    await putJson(store, keys.peers(ref, 0), { ids: peerIds(outcome, outcome.config), failedCreates: [] } satisfies PeerState);
  }
  deps.onEvent?.({
    type: 'planned',
    runId: run.runId,
    summary: plan.summary,
    stages: plan.stages.length,
    batches: manifest.reduce((n, s) => n + s.batches, 0),
    warnings,
  });
  deps.logger.info('planned', { runId: run.runId, summary: plan.summary, stages: plan.stages.length });

  if (run.mode === 'diff' || manifest.length === 0) {
    await finishRun(deps, run, plan, [], { loadMs: meta.loadMs, planMs: meta.planMs });
  } else {
    await startStage(deps, run, manifest, 0);
  }
  await store.put(keys.diffDone(ref), '{}');
}
