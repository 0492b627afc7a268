// One delivery at a time applies a batch. SQS may hand one message to two consumers at once, and
// a diff redone after a crash sends a stage's messages again; two concurrent applies of a batch
// both write, which an upsert by human-friendly id absorbs but a lookup-then-create of a kind
// without one does not (both find nothing, both create). A delivery therefore leases the batch
// until its own deadline (the Lambda invocation's end) before applying it; a delivery that finds
// the lease held fails its message, which comes back after the visibility timeout, by when the
// batch has its result (or the holder died and its lease ran out). Leases are numbered objects
// created with conditional writes, like the run lock, so taking one over is race-free.
import { getJson, putJsonIfAbsent, type ObjectStore } from '../ports.js';
import { runPrefix } from './keys.js';
import type { RunRef } from './types.js';

/** Without a deadline: Lambda's longest timeout. */
export const DEFAULT_LEASE_MS = 15 * 60_000;

interface LeaseRecord {
  until: number;
  by: string;
}

export class BatchBusyError extends Error {
  override readonly name = 'BatchBusyError';
  constructor(stage: number, batch: number, until: number) {
    super(`batch ${stage}/${batch} is being applied by another delivery (lease until ${new Date(until).toISOString()}); retried later`);
  }
}

const prefix = (r: RunRef, stage: number, batch: number) => `${runPrefix(r)}leases/${stage}/${batch}/`;
const key = (r: RunRef, stage: number, batch: number, n: number) => `${prefix(r, stage, batch)}${String(n).padStart(6, '0')}.json`;

export interface Lease {
  /** Frees the batch early (the delivery failed and will not finish it). */
  release(): Promise<void>;
}

export async function leaseBatch(
  store: ObjectStore,
  ref: RunRef,
  stage: number,
  batch: number,
  by: string,
  until: number,
  now = Date.now(),
): Promise<Lease> {
  const numbers = (await store.list(prefix(ref, stage, batch))).map((k) => Number(/(\d+)\.json$/.exec(k)?.[1] ?? NaN)).filter(Number.isFinite);
  const top = numbers.length === 0 ? 0 : Math.max(...numbers);
  if (top > 0) {
    const held = await getJson<LeaseRecord>(store, key(ref, stage, batch, top));
    if (held && held.until > now) throw new BatchBusyError(stage, batch, held.until);
  }
  const mine = top + 1;
  if (!(await putJsonIfAbsent(store, key(ref, stage, batch, mine), { until, by } satisfies LeaseRecord))) {
    throw new BatchBusyError(stage, batch, until);
  }
  return {
    async release() {
      await putJsonIfAbsent(store, key(ref, stage, batch, mine + 1), { until: 0, by } satisfies LeaseRecord);
    },
  };
}
