export { DirectoryObjectStore } from './dir-store.js';
export { MemoryQueue, type MemoryQueueOptions, type QueueStats } from './memory-queue.js';
export { startEventSource, toSqsRecord, type EventSourceMapping, type EventSourceOptions, type SqsHandler } from './event-source.js';
export {
  DEFAULT_STORE_DIR,
  openStore,
  runLocal,
  startLocalRuntime,
  type LocalRuntime,
  type LocalRuntimeOptions,
  type RunLocalOptions,
  type RunLocalResult,
} from './run-local.js';
export { listRuns as listRunsIn, showRun as showRunIn } from '../run/history.js';
import type { ObjectStore } from '../ports.js';
import { listRuns as list, showRun as show, type RunDetails, type RunListEntry } from '../run/history.js';
import { openStore } from './run-local.js';

/** `runs list`: the store directory (default `.runs`) or a store. */
export function listRuns(store: string | ObjectStore | undefined, name?: string): Promise<RunListEntry[]> {
  return list(openStore(store), name);
}

/** `runs show <runId>` (a unique prefix of the id will do). */
export function showRun(store: string | ObjectStore | undefined, runId: string, name?: string): Promise<RunDetails | undefined> {
  return show(openStore(store), runId, name);
}
