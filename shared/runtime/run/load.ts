// Loader: one (side, model) of a run into a raw snapshot; the last loader starts the diff.
import { ConfigError, DuplicateKeyError } from '../../errors.js';
import { putJsonIfAbsent } from '../ports.js';
import { loadModelSide } from '../steps/index.js';
import { readRun } from './context.js';
import { markDone } from './fan-in.js';
import { failRun } from './finish.js';
import { keys } from './keys.js';
import { scopeIdsFor } from './scope.js';
import type { RunDeps, RunMessage, RunRecord } from './types.js';

export interface Delivery {
  /** Stable across redeliveries of one message. */
  messageId: string;
  receiveCount: number;
  /** When the invocation handling it ends (ms since the epoch), where known. */
  deadline?: number;
}

export async function handleLoad(
  deps: RunDeps,
  msg: Extract<RunMessage, { type: 'load' }>,
  delivery: Delivery,
): Promise<void> {
  const { store } = deps;
  const ref = msg.run;
  const { run, loaded } = await readRun(store, ref);
  const loadedBefore = (await store.get(keys.snapshot(ref, msg.side, msg.model))) !== undefined;
  // Redelivered after the diff began: the snapshots are final already. (The diff is claimed only
  // once every snapshot exists, so a load without its snapshot need not ask.)
  if (loadedBefore && (await store.get(keys.diffClaim(ref))) !== undefined) {
    await resumeDiffClaim(deps, msg, delivery);
    return;
  }
  if (!loadedBefore) {
    let snapshot;
    const started = Date.now();
    try {
      const adapter = await deps.adapters.get(run, msg.side, loaded);
      snapshot = await loadModelSide(adapter, loaded, msg.model, msg.side, {
        scopeIds: msg.side === 'source' ? scopeIdsFor(run.scope, msg.model) : undefined,
      });
    } catch (err) {
      const permanent = err instanceof ConfigError || err instanceof DuplicateKeyError;
      if (permanent || delivery.receiveCount >= (deps.maxLoadAttempts ?? 3)) {
        await failRun(deps, run, `load ${msg.side} ${msg.model}`, err);
        return;
      }
      throw err;
    }
    // First snapshot wins, so a redelivery cannot swap data under a diff already reading it.
    await putJsonIfAbsent(store, keys.snapshot(ref, msg.side, msg.model), snapshot);
    const records = snapshot.raws.reduce((n, r) => n + r.length, 0);
    const ms = Date.now() - started;
    const entries = snapshot.requests.map((r, i) => ({ path: r.path, records: snapshot.raws[i]?.length ?? 0 }));
    const from = entries.map((e) => (entries.length > 1 ? `${e.path} ${e.records}` : e.path)).join(', ');
    deps.logger.info(`loaded ${msg.side} ${msg.model}: ${records} record(s) from ${from || 'nothing'} in ${ms} ms`, {
      runId: ref.runId,
      side: msg.side,
      model: msg.model,
      records,
      entries,
      ms,
      ...(delivery.receiveCount > 1 ? { attempt: delivery.receiveCount } : {}),
    });
    deps.onEvent?.({ type: 'loaded', runId: ref.runId, side: msg.side, model: msg.model, records, total: run.loads.length });
  }
  // Marked after the snapshot is written, so "all marked" means every snapshot is there.
  const all = await markDone(store, keys.loadedPrefix(ref), loadIndex(run, msg.side, msg.model), run.loads.length);
  if (!all) return;
  // Fan-in: every loader that sees all markers tries the claim; exactly one creates it.
  if (await putJsonIfAbsent(store, keys.diffClaim(ref), { by: delivery.messageId, at: new Date().toISOString() })) {
    await deps.queues.diff.send(JSON.stringify({ type: 'diff', run: ref } satisfies RunMessage), {
      attributes: { runId: ref.runId },
    });
  }
}

const loadIndexes = new WeakMap<RunRecord, Map<string, number>>();

/** Position of a load in run.loads (its slot in the fan-in), without a scan per message. */
function loadIndex(run: RunRecord, side: string, model: string): number {
  let index = loadIndexes.get(run);
  if (!index) loadIndexes.set(run, (index = new Map(run.loads.map((l, i) => [`${l.side}/${l.model}`, i]))));
  const i = index.get(`${side}/${model}`);
  if (i === undefined) throw new Error(`internal: run ${run.runId} has no load of ${side} ${model}`);
  return i;
}

/** The claimer died between its claim and its send: its redelivery (same message id) sends again. */
async function resumeDiffClaim(deps: RunDeps, msg: Extract<RunMessage, { type: 'load' }>, delivery: Delivery): Promise<void> {
  const claim = JSON.parse((await deps.store.get(keys.diffClaim(msg.run))) ?? '{}') as { by?: string };
  if (claim.by !== delivery.messageId || delivery.receiveCount < 2) return;
  if ((await deps.store.get(keys.diffDone(msg.run))) !== undefined) return;
  await deps.queues.diff.send(JSON.stringify({ type: 'diff', run: msg.run } satisfies RunMessage), {
    attributes: { runId: msg.run.runId },
  });
}
