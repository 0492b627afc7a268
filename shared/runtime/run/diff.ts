// Diff: snapshots -> plan.json + diff.txt; in sync mode, batch files and stage 0's messages.
import { formatSummary, formatText, splitBatches } from '../../diff/index.js';
import { PlanChangedError } from '../../errors.js';
import { putJson, requireJson } from '../ports.js';
import { modelSpecs, peerIds, planRun, type RawSnapshot } from '../steps/index.js';
import { readRun } from './context.js';
import { failRun, finishRun } from './finish.js';
import { keys } from './keys.js';
import { scopePlan } from './scope.js';
import { startStage } from './stages.js';
import type { BatchFile, PeerState, RunDeps, RunMessage, StageManifest } from './types.js';

export interface PlanMeta {
  plannedAt: string;
  loadMs: number;
  planMs: number;
  warnings: string[];
  counts: Record<string, { source: number; destination: number }>;
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
  const meta: PlanMeta = {
    plannedAt: new Date().toISOString(),
    loadMs: started - new Date(run.createdAt).getTime(),
    planMs: Date.now() - started,
    warnings: outcome.warnings,
    counts: outcome.counts,
  };
  await putJson(store, keys.plan(ref), plan);
  await putJson(store, keys.planMeta(ref), meta);
  await store.put(
    keys.diffText(ref),
    formatText(plan, { source: loaded.config.source.name, destination: loaded.config.destination.name }),
  );

  const expected = run.expectPlan;
  if (expected && plan.checksum !== expected.checksum) {
    // The plan stays in the store for `runs show`; nothing is batched, nothing is written.
    await failRun(
      deps,
      run,
      'diff',
      new PlanChangedError(
        expected.runId,
        `the plan is no longer the one reviewed in run ${expected.runId} ` +
          `(reviewed: ${formatSummary(expected.summary)}; now: ${formatSummary(plan.summary)}); ` +
          `nothing was written. See the new plan with \`runs show ${run.runId}\`, then review and sync again`,
      ),
    );
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
    await putJson(store, keys.peers(ref, 0), { ids: peerIds(outcome, outcome.config), failedCreates: [] } satisfies PeerState);
  }
  deps.onEvent?.({
    type: 'planned',
    runId: run.runId,
    summary: plan.summary,
    stages: plan.stages.length,
    batches: manifest.reduce((n, s) => n + s.batches, 0),
    warnings: outcome.warnings,
  });
  deps.logger.info('planned', { runId: run.runId, summary: plan.summary, stages: plan.stages.length });

  if (run.mode === 'diff' || manifest.length === 0) {
    await finishRun(deps, run, plan, [], { loadMs: meta.loadMs, planMs: meta.planMs });
  } else {
    await startStage(deps, run, manifest, 0);
  }
  await store.put(keys.diffDone(ref), '{}');
}
