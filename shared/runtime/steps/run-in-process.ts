// One run in one process, stage by stage: the simplest runtime over the step functions.
import pLimit from 'p-limit';
import { isWritable } from '../../adapters/types.js';
import type { Adapter, WritableAdapter } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import { resolveFlags, resolveOrder, splitBatches } from '../../diff/index.js';
import type { ChangeResult } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { applyBatch } from './apply.js';
import { dependantsOfFailures } from './dependants.js';
import { loadModelSide } from './load.js';
import { modelSpecs } from './model-specs.js';
import { openAdapter } from './open-adapter.js';
import { planRun } from './plan.js';
import { buildReport } from './report.js';
import type { PlanOutcome, RawSnapshot, RunReport, Side } from './types.js';

export type ProgressEvent =
  | { phase: 'load'; side: Side; model: string; loaded: number; total?: number; done: boolean }
  | { phase: 'plan'; summary: PlanOutcome['plan']['summary'] }
  | { phase: 'apply'; stage: number; stages: number; applied: number; total: number };

export interface InProcessOptions {
  mode: 'diff' | 'sync';
  runId: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  branch?: string;
  force?: boolean;
  batchSize?: number;
  concurrency?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export async function runInProcess(
  loaded: LoadedConfig,
  opts: InProcessOptions,
): Promise<{ outcome: PlanOutcome; report: RunReport }> {
  const startedAt = new Date();
  const timings: Record<string, number> = {};
  const adapterOpts = { env: opts.env, branch: opts.branch, logger: opts.logger };
  const adapters: Adapter[] = [];
  try {
    const source = await openAdapter('source', loaded, adapterOpts);
    adapters.push(source);
    const destination = await openAdapter('destination', loaded, adapterOpts);
    adapters.push(destination);
    if (opts.mode === 'sync' && !isWritable(destination)) {
      throw new AdapterError(destination.system, 'this adapter cannot be a sync destination (read-only)');
    }

    // Every load finishes before anything is written: an unreachable source stops the run here.
    let t = Date.now();
    const models = resolveOrder(loaded.config).flat();
    const limit = pLimit(4);
    const jobs: Promise<RawSnapshot>[] = [];
    for (const side of ['source', 'destination'] as const) {
      const adapter = side === 'source' ? source : destination;
      for (const model of models) {
        jobs.push(
          limit(async () => {
            const snap = await loadModelSide(adapter, loaded, model, side, {
              onProgress: (n, total) =>
                opts.onProgress?.({ phase: 'load', side, model, loaded: n, total, done: false }),
            });
            const n = snap.raws.reduce((a, r) => a + r.length, 0);
            opts.onProgress?.({ phase: 'load', side, model, loaded: n, total: n, done: true });
            return snap;
          }),
        );
      }
    }
    const snapshots = await Promise.all(jobs);
    timings.loadMs = Date.now() - t;

    t = Date.now();
    const outcome = planRun(loaded, opts.runId, snapshots, { force: opts.force });
    timings.planMs = Date.now() - t;
    opts.onProgress?.({ phase: 'plan', summary: outcome.plan.summary });

    if (opts.mode === 'diff') {
      return { outcome, report: buildReport(outcome.plan, [], { mode: 'diff', startedAt, timings }) };
    }

    t = Date.now();
    const results = await applyStages(loaded, outcome, destination as WritableAdapter, opts);
    timings.applyMs = Date.now() - t;
    return { outcome, report: buildReport(outcome.plan, results, { mode: 'sync', startedAt, timings }) };
  } finally {
    await Promise.allSettled(adapters.map((a) => a.close?.()));
  }
}

async function applyStages(
  loaded: LoadedConfig,
  outcome: PlanOutcome,
  destination: WritableAdapter,
  opts: InProcessOptions,
): Promise<ChangeResult[]> {
  const { plan } = outcome;
  const flags = resolveFlags(loaded.config.diffsync_flags);
  const specs = modelSpecs(loaded.config);
  const ids = outcome.destinationIds;
  const peerId = (model: string, key: string) => ids[model]?.[key];
  const results: ChangeResult[] = [];
  const failedCreates: { model: string; key: string }[] = [];
  const limit = pLimit(opts.concurrency ?? 4);
  const total = plan.stages.reduce((a, s) => a + s.changes.length, 0);
  let stopped: string | undefined;

  for (const stage of plan.stages) {
    if (stopped) {
      for (const c of stage.changes) {
        results.push({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'skipped', message: stopped });
      }
      continue;
    }
    const skip = dependantsOfFailures(stage.changes, failedCreates, specs);
    const todo = stage.changes.filter((c) => {
      const why = skip.get(c.id);
      if (why) results.push({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'skipped', message: why });
      return !why;
    });
    const batches = splitBatches({ ...stage, changes: todo }, opts.batchSize ?? 100);
    const stageResults = (
      await Promise.all(batches.map((batch) => limit(() => applyBatch(destination, loaded, batch, peerId))))
    ).flat();
    for (const r of stageResults) {
      results.push(r);
      if (r.status === 'applied' && r.destinationId && r.action !== 'delete') {
        (ids[r.model] ??= {})[r.key] = r.destinationId;
      }
      if (r.status === 'failed' && r.action === 'create') failedCreates.push({ model: r.model, key: r.key });
    }
    opts.onProgress?.({ phase: 'apply', stage: stage.index, stages: plan.stages.length, applied: results.length, total });
    const failed = stageResults.filter((r) => r.status === 'failed').length;
    if (failed > 0 && !flags.continueOnFailure) {
      stopped = `not attempted: stage ${stage.index} (${stage.action} ${stage.models.join(', ')}) had ${failed} failure(s) and CONTINUE_ON_FAILURE is not set`;
    }
  }
  return results;
}
