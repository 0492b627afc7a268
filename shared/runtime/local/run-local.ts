// The local runtime: the same run steps the Lambda handlers call, over a directory store and
// in-process queues with SQS semantics, driven by in-process event source mappings.
import { resolve } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { extractLiteralSecrets } from '../../config/redact.js';
import type { LoadedConfig } from '../../config/types.js';
import type { Plan } from '../../diff/types.js';
import { ConfigError } from '../../errors.js';
import { silentLogger, type Logger } from '../../log.js';
import type { ObjectStore } from '../ports.js';
import { getJson } from '../ports.js';
import { CachedAdapters } from '../run/adapters.js';
import { handleSqsEvent } from '../run/dispatch.js';
import { keys } from '../run/keys.js';
import { startRun } from '../run/start.js';
import type { ExpectedPlan, RunDeps, RunEvent, RunMode, RunScope, TriggerKind } from '../run/types.js';
import type { ProgressEvent, RunReport } from '../steps/index.js';
import { DirectoryObjectStore } from './dir-store.js';
import { startEventSource, type EventSourceMapping, type SqsHandler } from './event-source.js';
import { MemoryQueue } from './memory-queue.js';

export const DEFAULT_STORE_DIR = '.runs';

export type QueueKind = 'load' | 'diff' | 'apply';

export interface LocalRuntimeOptions {
  store: ObjectStore;
  /** Concurrent apply workers (like the apply function's maximum concurrency). Default 4. */
  workers?: number;
  /** Concurrent loads (side, model). Default 4. */
  loadWorkers?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  onEvent?: (event: RunEvent) => void;
  /** Seconds a received message stays hidden. Default 60. */
  visibilityTimeout?: number;
  /** A handler call running longer than this counts as a crashed worker. */
  handlerTimeoutMs?: number;
  /** Seconds before a failed message is retried. Default 0.2. */
  retryDelaySeconds?: number;
  maxReceiveCount?: number;
  /** Tests: wrap a queue's handler (to crash a worker, for instance). */
  wrap?: (kind: QueueKind, handler: SqsHandler) => SqsHandler;
}

export interface LocalRuntime {
  deps: RunDeps;
  queues: Record<QueueKind, MemoryQueue> & { dead: MemoryQueue };
  adapters: CachedAdapters;
  /** Messages waiting or in flight, and handler calls in progress. */
  pending(): number;
  /** The last error a handler failed a message with (what dead-lettered messages died of). */
  lastError(): string | undefined;
  stop(): Promise<void>;
}

export function startLocalRuntime(opts: LocalRuntimeOptions): LocalRuntime {
  const logger = opts.logger ?? silentLogger;
  const dead = new MemoryQueue({ name: 'dead-letter' });
  const mk = (name: QueueKind) =>
    new MemoryQueue({ name, visibilityTimeout: opts.visibilityTimeout ?? 60, maxReceiveCount: opts.maxReceiveCount ?? 5, deadLetterQueue: dead });
  const queues = { load: mk('load'), diff: mk('diff'), apply: mk('apply'), dead };
  const adapters = new CachedAdapters(() => opts.env ?? process.env, logger);
  const listeners: ((e: RunEvent) => void)[] = [];
  let lastError: string | undefined;
  const deps: RunDeps = {
    store: opts.store,
    queues,
    adapters,
    logger,
    maxLoadAttempts: opts.maxReceiveCount ?? 5,
    onMessageFailed: (type, err) => {
      lastError = `${type}: ${err instanceof Error ? err.message : String(err)}`;
    },
    onEvent: (e) => {
      opts.onEvent?.(e);
      for (const l of listeners) l(e);
    },
  };
  const handlerFor = (kind: QueueKind): SqsHandler => {
    const base = (event: SQSEvent): Promise<SQSBatchResponse> =>
      handleSqsEvent(deps, event, [kind], { deadline: opts.handlerTimeoutMs === undefined ? undefined : Date.now() + opts.handlerTimeoutMs });
    return opts.wrap ? opts.wrap(kind, base) : base;
  };
  const mapping = (kind: QueueKind, workers: number): EventSourceMapping =>
    startEventSource({
      queue: queues[kind],
      handler: handlerFor(kind),
      batchSize: 1,
      workers,
      handlerTimeoutMs: opts.handlerTimeoutMs,
      retryDelaySeconds: opts.retryDelaySeconds ?? 0.2,
      onError: (err) => {
        lastError = `${kind}: ${(err as Error).message}`;
        logger.warn(`${kind} handler failed: ${(err as Error).message}`, { error: (err as Error).message });
      },
    });
  const mappings = [mapping('load', opts.loadWorkers ?? 4), mapping('diff', 1), mapping('apply', opts.workers ?? 4)];
  return {
    deps,
    queues,
    adapters,
    lastError: () => lastError,
    pending: () =>
      queues.load.stats().total + queues.diff.stats().total + queues.apply.stats().total + mappings.reduce((n, m) => n + m.busy(), 0),
    async stop() {
      await Promise.all(mappings.map((m) => m.stop()));
      await adapters.closeAll();
    },
  };
}

export interface RunLocalOptions {
  loaded: LoadedConfig;
  mode: RunMode;
  branch?: string;
  force?: boolean;
  /** A store directory (default `.runs` in the working directory) or a store. */
  store?: string | ObjectStore;
  workers?: number;
  /** Concurrent loads; 1 loads one (side, model) at a time. Default 4. */
  loadWorkers?: number;
  batchSize?: number;
  /** The new run's id (default: a fresh one); refused if the history already has it. */
  runId?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  scope?: RunScope;
  /** Apply only if the plan is still this one (sync --plan); else the run fails, writing nothing. */
  expectPlan?: ExpectedPlan;
  /** false: the sync does not read back what it wrote (--no-verify). */
  verify?: boolean;
  trigger?: { kind: TriggerKind; detail?: string };
  /** The CLI's progress events (same shape as the in-process runner's). */
  onProgress?: (event: ProgressEvent) => void;
  onEvent?: (event: RunEvent) => void;
}

export interface RunLocalResult {
  runId: string;
  plan: Plan;
  report: RunReport;
}

export function openStore(store: string | ObjectStore | undefined): ObjectStore {
  if (store === undefined || typeof store === 'string') return new DirectoryObjectStore(resolve(store ?? DEFAULT_STORE_DIR));
  return store;
}

/** Runs one sync or diff to its end. Rejects with the error that ended the run (a GuardrailError,
 *  a ConfigError, an AdapterError...) when it ended without a plan. */
export async function runLocal(opts: RunLocalOptions): Promise<RunLocalResult> {
  const store = openStore(opts.store);
  // Literal tokens in the YAML stay in this process: the run stores `${VAR}` references.
  const { loaded, env: secretEnv } = extractLiteralSecrets(opts.loaded);
  if (opts.runId !== undefined && (await store.get(keys.run({ name: loaded.config.name, runId: opts.runId }))) !== undefined) {
    throw new ConfigError(
      `run ${opts.runId} of ${loaded.config.name} is in the run history already; a run id names one run (leave it out for a fresh one)`,
    );
  }
  const progress = progressMapper(opts.onProgress);
  let runId: string | undefined;
  let settle!: { resolve: (e: RunEvent) => void; reject: (e: unknown) => void };
  const finished = new Promise<RunEvent>((res, rej) => (settle = { resolve: res, reject: rej }));
  const errors = new Map<string, unknown>();
  const early: RunEvent[] = [];
  const rt = startLocalRuntime({
    store,
    workers: opts.workers,
    loadWorkers: opts.loadWorkers,
    env: { ...(opts.env ?? process.env), ...secretEnv },
    logger: opts.logger,
    onEvent: (e) => {
      opts.onEvent?.(e);
      progress(e);
      if (e.type !== 'finished') return;
      if (runId === undefined) early.push(e);
      else if (e.runId === runId) settle.resolve(e);
    },
  });
  rt.deps.onRunError = (id, err) => errors.set(id, err);
  const watchdog = setInterval(() => {
    if (runId !== undefined && rt.pending() === 0) {
      // Nothing left to do and no end: every remaining message went to the dead-letter queue.
      setTimeout(() => {
        if (rt.pending() !== 0) return;
        const why = rt.lastError();
        settle.reject(new Error(`run ${runId} stalled: ${rt.queues.dead.stats().total} message(s) dead-lettered${why ? ` (last error: ${why})` : ''}`));
      }, 500);
    }
  }, 1000);
  try {
    const run = await startRun(rt.deps, {
      loaded,
      mode: opts.mode,
      branch: opts.branch,
      force: opts.force,
      scope: opts.scope,
      expectPlan: opts.expectPlan,
      verify: opts.verify,
      trigger: opts.trigger ?? { kind: 'cli' },
      batchSize: opts.batchSize,
      runId: opts.runId,
    });
    runId = run.runId;
    const hit = early.find((e) => e.runId === runId);
    if (hit) settle.resolve(hit);
    const end = await finished;
    if (end.type === 'finished' && end.status === 'error') {
      throw errors.get(run.runId) ?? new Error(end.error ?? 'run failed');
    }
    const [plan, report] = await Promise.all([getJson<Plan>(store, keys.plan(run)), getJson<RunReport>(store, keys.report(run))]);
    if (!plan || !report) throw new Error(`run ${run.runId} ended without a plan or a report`);
    return { runId: run.runId, plan, report };
  } finally {
    clearInterval(watchdog);
    await rt.stop();
  }
}

/** RunEvents -> the CLI's ProgressEvents. */
function progressMapper(onProgress?: (event: ProgressEvent) => void): (e: RunEvent) => void {
  if (!onProgress) return () => undefined;
  let total = 0;
  let stages = 0;
  let applied = 0;
  return (e) => {
    if (e.type === 'loaded') onProgress({ phase: 'load', side: e.side, model: e.model, loaded: e.records, total: e.records, done: true });
    if (e.type === 'planned') {
      total = e.summary.create + e.summary.update + e.summary.delete;
      stages = e.stages;
      onProgress({ phase: 'plan', summary: e.summary });
    }
    if (e.type === 'batch-applied') {
      applied += e.applied + e.failed + e.skipped;
      onProgress({ phase: 'apply', stage: e.stage, stages, applied, total });
    }
  };
}
