// Stage fan-out and fan-in: stage n's batches go out together; the last of them to finish
// (counted exactly once through a conditional create) moves the run to stage n+1 or ends it.
import { resolveFlags } from '../../diff/index.js';
import type { ModelWriteSpec } from '../../adapters/types.js';
import type { ChangeResult, ModelFacts, Plan } from '../../diff/types.js';
import { own, setOwn } from '../../own.js';
import { getJson, putJson, putJsonIfAbsent, requireJson } from '../ports.js';
import type { Delivery } from './load.js';
import { readRun } from './context.js';
import { finishRun, readResults } from './finish.js';
import { neededModels, verifyRun, type RawSnapshot, type VerifyReport } from '../steps/index.js';
import { readImmutable } from './immutable.js';
import { keys } from './keys.js';
import { scopePlan } from './scope.js';
import type { BatchFile, PeerState, ResultFile, RunDeps, RunMessage, RunRecord, StageManifest } from './types.js';
import type { PlanMeta } from './diff.js';

export async function startStage(deps: RunDeps, run: RunRecord, manifest: StageManifest[], index: number): Promise<void> {
  const stage = manifest[index] as StageManifest;
  const ref = { name: run.name, runId: run.runId };
  deps.onEvent?.({
    type: 'stage-started',
    runId: run.runId,
    stage: index,
    stages: manifest.length,
    action: stage.action,
    models: stage.models,
    batches: stage.batches,
  });
  // Claim check: the message names the batch file; the changes never travel through the queue.
  await deps.queues.apply.sendBatch(
    Array.from({ length: stage.batches }, (_, batch) => ({
      body: JSON.stringify({ type: 'apply', run: ref, stage: index, batch, key: keys.batch(ref, index, batch) } satisfies RunMessage),
      opts: { attributes: { runId: run.runId, stage: String(index) } },
    })),
  );
}

/** Called after each batch result is written: the caller that completes the stage advances it. */
export async function maybeAdvance(deps: RunDeps, run: RunRecord, stage: number, delivery: Delivery): Promise<void> {
  const manifest = await readImmutable<StageManifest[]>(deps.store, keys.manifest(run));
  const expected = manifest[stage]?.batches ?? 0;
  const written = (await deps.store.list(keys.resultsPrefix(run, stage))).length;
  if (written < expected) return;
  const claim = keys.stageClaim(run, stage);
  if (!(await putJsonIfAbsent(deps.store, claim, { by: delivery.messageId }))) {
    // Only the claimer's own redelivery may finish an advance it started and did not complete.
    const holder = await getJson<{ by: string }>(deps.store, claim);
    if (holder?.by !== delivery.messageId || delivery.receiveCount < 2) return;
    if ((await deps.store.get(keys.stageAdvanced(run, stage))) !== undefined) return;
  }
  await advance(deps, run, manifest, stage);
  await deps.store.put(keys.stageAdvanced(run, stage), '{}');
}

async function advance(deps: RunDeps, run: RunRecord, manifest: StageManifest[], stage: number): Promise<void> {
  const { store } = deps;
  const { loaded } = await readRun(store, run);
  const results: ChangeResult[] = [];
  for (let b = 0; b < (manifest[stage]?.batches ?? 0); b++) {
    results.push(...(await requireJson<ResultFile>(store, keys.result(run, stage, b))).results);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  deps.onEvent?.({ type: 'stage-finished', runId: run.runId, stage, failed });
  const flags = resolveFlags(loaded.config.diffsync_flags);
  const next = stage + 1;

  if (failed > 0 && !flags.continueOnFailure) {
    const why = `not attempted: stage ${stage} (${manifest[stage]?.action} ${manifest[stage]?.models.join(', ')}) had ${failed} failure(s) and CONTINUE_ON_FAILURE is not set`;
    const skipped: ChangeResult[] = [];
    for (const later of manifest.slice(next)) {
      for (let b = 0; b < later.batches; b++) {
        for (const c of (await requireJson<BatchFile>(store, keys.batch(run, later.index, b))).changes) {
          skipped.push({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'skipped', message: why });
        }
      }
    }
    await finish(deps, run, manifest, skipped);
    return;
  }
  if (next >= manifest.length) {
    await finish(deps, run, manifest, []);
    return;
  }
  const before = await readImmutable<PeerState>(store, keys.peers(run, stage));
  const ids: PeerState['ids'] = { ...before.ids };
  const failedCreates = [...before.failedCreates];
  // Each model's map is copied once, then filled: spreading it per result was quadratic (a stage
  // of 50,000 interfaces took longer to advance than to apply).
  const copied = new Set<string>();
  for (const r of results) {
    if (r.action === 'create' && r.status !== 'applied') failedCreates.push({ model: r.model, key: r.key });
    if (r.status === 'applied' && r.action !== 'delete' && r.destinationId) {
      if (!copied.has(r.model)) {
        setOwn(ids, r.model, { ...own(ids, r.model) });
        copied.add(r.model);
      }
      setOwn(own(ids, r.model) as Record<string, string>, r.key, r.destinationId);
    }
  }
  await putJson(store, keys.peers(run, next), { ids, failedCreates } satisfies PeerState);
  await startStage(deps, run, manifest, next);
}

async function finish(deps: RunDeps, run: RunRecord, manifest: StageManifest[], extra: ChangeResult[]): Promise<void> {
  const plan = await requireJson<Plan>(deps.store, keys.plan(run));
  const meta = await requireJson<PlanMeta>(deps.store, keys.planMeta(run));
  const results = [...(await readResults(deps, run, manifest)), ...extra];
  const applyMs = Date.now() - new Date(meta.plannedAt).getTime();
  const verify = run.mode === 'sync' && run.verify !== false ? await verifyApplied(deps, run, plan, results) : undefined;
  await finishRun(
    deps,
    run,
    plan,
    results,
    { loadMs: meta.loadMs, planMs: meta.planMs, applyMs, ...(verify ? { verifyMs: verify.ms } : {}) },
    verify,
  );
}

/** Reads back what the run wrote and diffs again against the run's own source snapshots. */
async function verifyApplied(deps: RunDeps, run: RunRecord, plan: Plan, results: ChangeResult[]): Promise<VerifyReport> {
  const started = Date.now();
  // Nothing written, nothing to read back.
  if (!results.some((r) => r.status === 'applied')) return { converged: true, checked: 0, notConverged: [], ms: 0 };
  const { loaded } = await readRun(deps.store, run);
  // Only the models written and those they reference are planned again, so only their snapshots
  // are read (runs made before facts.json was written read them all).
  const [specs, facts] = await Promise.all([
    getJson<Record<string, ModelWriteSpec>>(deps.store, keys.specs(run)),
    getJson<Record<string, ModelFacts>>(deps.store, keys.facts(run)),
  ]);
  const only = specs && facts ? neededModels(plan, results, specs) : undefined;
  const loads = only ? run.loads.filter((l) => only.has(l.model)) : run.loads;
  const snapshots = await Promise.all(loads.map((l) => requireJson<RawSnapshot>(deps.store, keys.snapshot(run, l.side, l.model))));
  const adapter = await deps.adapters.get(run, 'destination', loaded);
  const scope = run.scope;
  const checked = await verifyRun(adapter, loaded, plan, results, snapshots, scope ? (p) => scopePlan(p, scope) : undefined, only && facts ? { only, facts } : {});
  // Its time includes reading the run's snapshots back from the store.
  const report = { ...checked, ms: Date.now() - started };
  deps.logger.info('verified', { runId: run.runId, converged: report.converged, checked: report.checked, notConverged: report.notConverged.length });
  return report;
}
