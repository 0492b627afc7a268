// Retention for a run history. In AWS the bucket's lifecycle rule expires runs/; a local store
// (.runs/) has none, and every run keeps its raw snapshots, so a scheduled local sync of a large
// network would fill the disk. `runs prune` removes whole runs by age and count.
import type { ObjectStore } from '../ports.js';
import { listRuns, type RunListEntry } from './history.js';
import { keys, runPrefix } from './keys.js';

/** A run still marked running is left alone until it is this old: it may be in progress. */
export const RUNNING_GRACE_MS = 24 * 60 * 60 * 1000;

export interface PruneOptions {
  /** Keep at least the newest N runs of each config. */
  keep?: number;
  /** Remove only runs created longer ago than this. */
  olderThanMs?: number;
  /** Only runs of this config. */
  name?: string;
  /** List what would go, remove nothing. */
  dryRun?: boolean;
  now?: number;
}

export interface PruneResult {
  removed: RunListEntry[];
  /** Objects deleted (0 on a dry run). */
  objects: number;
  kept: number;
}

/** Which runs go: those past the newest `keep` of their config AND older than `olderThanMs`
 *  (each condition only when given), never a young run that may still be going. */
export function selectForPruning(runs: RunListEntry[], opts: PruneOptions): RunListEntry[] {
  if (opts.keep === undefined && opts.olderThanMs === undefined) {
    throw new Error('say what to remove: a number of runs to keep, an age, or both');
  }
  const now = opts.now ?? Date.now();
  const seen = new Map<string, number>();
  const out: RunListEntry[] = [];
  // Newest first, as listRuns returns them.
  for (const r of runs) {
    const rank = seen.get(r.name) ?? 0;
    seen.set(r.name, rank + 1);
    const age = now - Date.parse(r.createdAt);
    if (opts.keep !== undefined && rank < opts.keep) continue;
    if (opts.olderThanMs !== undefined && !(age > opts.olderThanMs)) continue;
    if (r.status === 'running' && !(age > RUNNING_GRACE_MS)) continue;
    out.push(r);
  }
  return out;
}

export async function pruneRuns(store: ObjectStore, opts: PruneOptions): Promise<PruneResult> {
  const runs = await listRuns(store, opts.name);
  const removed = selectForPruning(runs, opts);
  let objects = 0;
  if (!opts.dryRun) {
    for (const r of removed) {
      const runKey = keys.run(r);
      const all = await store.list(runPrefix(r));
      // run.json last: a prune cut short leaves a run that is still listed, and removed next time,
      // rather than files no listing can find.
      for (const key of all.filter((k) => k !== runKey)) await store.delete(key);
      await store.delete(runKey);
      objects += all.length;
    }
  }
  return { removed, objects, kept: runs.length - removed.length };
}
