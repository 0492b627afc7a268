// Apply: one batch file of one stage against the destination; its result file is the record
// that it was done, so a redelivered batch with a result changes nothing.
import { isWritable, type ModelWriteSpec } from '../../adapters/types.js';
import type { ChangeResult } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import { own } from '../../own.js';
import { putJsonIfAbsent, requireJson } from '../ports.js';
import { applyBatch, dependantsOfFailures } from '../steps/index.js';
import { readRun } from './context.js';
import { readImmutable } from './immutable.js';
import { keys } from './keys.js';
import { DEFAULT_LEASE_MS, leaseBatch } from './lease.js';
import type { Delivery } from './load.js';
import { maybeAdvance } from './stages.js';
import type { BatchFile, PeerState, ResultFile, RunDeps, RunMessage } from './types.js';

export async function handleApply(
  deps: RunDeps,
  msg: Extract<RunMessage, { type: 'apply' }>,
  delivery: Delivery,
): Promise<void> {
  const { store } = deps;
  const ref = msg.run;
  const resultKey = keys.result(ref, msg.stage, msg.batch);
  if ((await store.get(resultKey)) === undefined) {
    const lease = await leaseBatch(store, ref, msg.stage, msg.batch, delivery.messageId, delivery.deadline ?? Date.now() + DEFAULT_LEASE_MS);
    try {
      await applyOnce(deps, msg, resultKey);
    } catch (err) {
      await lease.release().catch(() => undefined);
      throw err;
    }
  }
  const { run } = await readRun(store, ref);
  await maybeAdvance(deps, run, msg.stage, delivery);
}

/** Applies the batch unless a delivery that held the lease before has written its result. */
async function applyOnce(deps: RunDeps, msg: Extract<RunMessage, { type: 'apply' }>, resultKey: string): Promise<void> {
  const { store } = deps;
  const ref = msg.run;
  if ((await store.get(resultKey)) === undefined) {
    const { run, loaded } = await readRun(store, ref);
    const started = Date.now();
    const [batch, peers, specs] = await Promise.all([
      requireJson<BatchFile>(store, msg.key),
      readImmutable<PeerState>(store, keys.peers(ref, msg.stage)),
      readImmutable<Record<string, ModelWriteSpec>>(store, keys.specs(ref)),
    ]);
    const adapter = await deps.adapters.get(run, 'destination', loaded);
    if (!isWritable(adapter)) throw new AdapterError(adapter.system, 'this adapter cannot be a sync destination (read-only)');

    const skip = dependantsOfFailures(batch.changes, peers.failedCreates, specs);
    const results: ChangeResult[] = [];
    const todo = batch.changes.filter((c) => {
      const why = skip.get(c.id);
      if (why) results.push({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'skipped', message: why });
      return !why;
    });
    if (todo.length > 0) {
      results.push(...(await applyBatch(adapter, specs, todo, (model, key) => own(own(peers.ids, model), key))));
    }
    const file: ResultFile = { stage: msg.stage, batch: msg.batch, results, ms: Date.now() - started };
    // Two deliveries of one batch may both get here; the first result stands.
    if (await putJsonIfAbsent(store, resultKey, file)) {
      const byAction: Partial<Record<ChangeResult['action'], number>> = {};
      for (const r of results) if (r.status === 'applied') byAction[r.action] = (byAction[r.action] ?? 0) + 1;
      const count = (s: ChangeResult['status']) => results.filter((r) => r.status === s).length;
      deps.onEvent?.({
        type: 'batch-applied',
        runId: ref.runId,
        stage: msg.stage,
        batch: msg.batch,
        applied: count('applied'),
        failed: count('failed'),
        skipped: count('skipped'),
        byAction,
      });
    }
  }
}
