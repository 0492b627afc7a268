// One sync of a config at a time, where runs are started by independent invocations (the AWS
// trigger and webhook): two syncs of one config applying at once would write the same changes
// twice, and two lookups-then-creates of a kind without a human-friendly id can both create.
// The lock is a numbered series of objects, `runs/<name>/.lock/<n>.json`, each created with a
// conditional write: a start reads the highest number, and if that holder is done it creates
// number + 1, which exactly one of several racing starts can do. A holder is done when its run
// has a report or an error (so nothing needs releasing, and a crash releases nothing wrongly),
// or when it started more than a day ago (an abandoned run: dead-lettered messages never
// redriven); the lifecycle rule on runs/ expires old numbers.
import { getJson, putJsonIfAbsent, type ObjectStore } from '../ports.js';
import { keys } from './keys.js';

export const RUN_LOCK_STALE_MS = 24 * 3600_000;

interface LockRecord {
  runId: string;
  at: string;
}

export class RunInProgressError extends Error {
  override readonly name = 'RunInProgressError';
  constructor(
    readonly config: string,
    readonly activeRunId: string,
    readonly startedAt: string,
  ) {
    super(
      `a sync of ${config} is already running (run ${activeRunId}, started ${startedAt}); ` +
        'start it again once that run has its report, or after a day if it never ends',
    );
  }
}

const lockNumber = (key: string) => Number(/\/(\d+)\.json$/.exec(key)?.[1] ?? NaN);

async function holderDone(store: ObjectStore, name: string, holder: LockRecord, now: Date): Promise<boolean> {
  if (now.getTime() - new Date(holder.at).getTime() > RUN_LOCK_STALE_MS) return true;
  const ref = { name, runId: holder.runId };
  const [report, error] = await Promise.all([store.get(keys.report(ref)), store.get(keys.error(ref))]);
  return report !== undefined || error !== undefined;
}

/** Takes the config's lock for runId, or throws RunInProgressError naming the run holding it. */
export async function acquireRunLock(store: ObjectStore, name: string, runId: string, now = new Date()): Promise<void> {
  for (;;) {
    const numbers = (await store.list(keys.lockPrefix(name))).map(lockNumber).filter(Number.isFinite);
    const top = numbers.length === 0 ? 0 : Math.max(...numbers);
    if (top > 0) {
      const holder = await getJson<LockRecord>(store, keys.lock(name, top));
      if (holder && !(await holderDone(store, name, holder, now))) throw new RunInProgressError(name, holder.runId, holder.at);
    }
    if (await putJsonIfAbsent(store, keys.lock(name, top + 1), { runId, at: now.toISOString() } satisfies LockRecord)) return;
    // Another start took number top + 1 first: read who holds it now.
  }
}
