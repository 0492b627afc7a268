import { isTransientError } from '../../adapters/http/retry.js';
import type { ModelWriteSpec, WritableAdapter } from '../../adapters/types.js';
import type { Change, ChangeResult } from '../../diff/types.js';

/** Applies one batch; whatever the adapter does not report on comes back as failed, never lost.
 *  A destination that was unavailable (unreachable, or 5xx / 429 after the adapter's retries)
 *  refused nothing: that error is thrown, so the queue retries the batch, instead of every
 *  change being reported as failed. */
export async function applyBatch(
  adapter: WritableAdapter,
  specs: Record<string, ModelWriteSpec>,
  changes: Change[],
  peerId: (model: string, key: string) => string | undefined,
): Promise<ChangeResult[]> {
  let results: ChangeResult[];
  try {
    results = await adapter.apply(changes, { models: specs, peerId });
  } catch (err) {
    if (isTransientError(err)) throw err;
    const message = (err as Error).message;
    return changes.map((c) => ({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'failed', message }));
  }
  const seen = new Set(results.map((r) => r.changeId));
  for (const c of changes) {
    if (!seen.has(c.id)) {
      results.push({ changeId: c.id, action: c.action, model: c.model, key: c.key, status: 'failed', message: 'no result from the destination adapter' });
    }
  }
  return results;
}
