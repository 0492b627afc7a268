// The run's records as they sit in the store and travel in messages.
import type { Adapter } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import type { Action, Summary } from '../../diff/types.js';
import type { Logger } from '../../log.js';
import type { ObjectStore, Queue } from '../ports.js';
import type { RunReport, Side } from '../steps/index.js';

export type RunMode = 'diff' | 'sync';

export interface RunRef {
  name: string;
  runId: string;
}

/** A webhook-scoped run: only some models change, perhaps only some source objects load. */
export interface RunScope {
  /** Destination models fed by the webhook's endpoint: the only ones the plan may change. */
  models: string[];
  /** schema_mapping `mapping` values (source endpoints) whose entries are kept for those models. */
  mappings: string[];
  /** Source object ids to load for those models; absent means "all" (a delete event). */
  ids?: string[];
  allowDeletes: boolean;
  /** Why the run is scoped, e.g. "netbox webhook: dcim.device 42 updated". */
  reason: string;
}

export type TriggerKind = 'invoke' | 'schedule' | 'webhook' | 'cli';

export interface RunRecord extends RunRef {
  mode: RunMode;
  branch?: string;
  force?: boolean;
  trigger: { kind: TriggerKind; detail?: string };
  scope?: RunScope;
  /** Apply only this plan: the one a reviewed run (a diff) computed, by checksum. */
  expectPlan?: ExpectedPlan;
  /** A sync reads back what it wrote and diffs again (default); false with --no-verify. */
  verify?: boolean;
  createdAt: string;
  /** One load per (side, model); the last one to finish starts the diff. */
  loads: { side: Side; model: string }[];
  batchSize: number;
}

export interface ExpectedPlan {
  runId: string;
  checksum: string;
  summary: import('../../diff/types.js').Summary;
}

export interface StageManifest {
  index: number;
  action: 'upsert' | 'delete';
  models: string[];
  batches: number;
  changes: number;
}

export interface BatchFile {
  stage: number;
  batch: number;
  changes: import('../../diff/types.js').Change[];
}

export interface ResultFile {
  stage: number;
  batch: number;
  results: import('../../diff/types.js').ChangeResult[];
  ms: number;
}

/** Node ids known before a stage runs, and the creates that failed or were skipped before it. */
export interface PeerState {
  ids: Record<string, Record<string, string>>;
  failedCreates: { model: string; key: string }[];
}

export type RunMessage =
  | { type: 'load'; run: RunRef; side: Side; model: string }
  | { type: 'diff'; run: RunRef }
  | { type: 'apply'; run: RunRef; stage: number; batch: number; key: string };

export type RunEvent =
  | { type: 'run-started'; runId: string; name: string; mode: RunMode; loads: number }
  | { type: 'loaded'; runId: string; side: Side; model: string; records: number; total: number }
  | { type: 'planned'; runId: string; summary: Summary; stages: number; batches: number; warnings: string[] }
  | { type: 'stage-started'; runId: string; stage: number; stages: number; action: 'upsert' | 'delete'; models: string[]; batches: number }
  | {
      type: 'batch-applied';
      runId: string;
      stage: number;
      batch: number;
      applied: number;
      failed: number;
      skipped: number;
      byAction: Partial<Record<Action, number>>;
    }
  | { type: 'stage-finished'; runId: string; stage: number; failed: number }
  | { type: 'finished'; runId: string; status: RunReport['status'] | 'error'; report?: RunReport; error?: string };

/** What every step of a run needs; the AWS handlers and the local runtime build one each. */
export interface RunDeps {
  store: ObjectStore;
  queues: { load: Queue; diff: Queue; apply: Queue };
  /** Opens (or reuses) a side's adapter for a run. */
  adapters: AdapterSource;
  logger: Logger;
  onEvent?: (event: RunEvent) => void;
  /** Receives after which a failing load gives up and ends the run (match the queue's maxReceiveCount). */
  maxLoadAttempts?: number;
  /** The error that ended a run, as thrown (the local runtime rethrows it to the CLI). */
  onRunError?: (runId: string, err: unknown) => void;
  /** A message that failed and goes back to its queue, with why. */
  onMessageFailed?: (type: RunMessage['type'], err: unknown) => void;
}

export interface AdapterSource {
  get(run: RunRecord, side: Side, loaded: LoadedConfig): Promise<Adapter>;
}
