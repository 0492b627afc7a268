import type { LoadRequest, RawRecord } from '../../adapters/types.js';
import type { ModelCounts } from '../../diff/guardrails.js';
import type { ModelFacts, Plan, Summary } from '../../diff/types.js';
import type { StoredForm } from '../../mapping/stored-forms.js';

export type Side = 'source' | 'destination';

/** What a loader produces for one (side, model): the raw objects per load request, JSON-serialisable
 *  so it can be stored as `snapshots/<side>/<Model>.json` and normalised later by the diff step
 *  (normalising needs the id maps of referenced models, which only exist once every load is done). */
export interface RawSnapshot {
  model: string;
  side: Side;
  requests: Omit<LoadRequest, 'onProgress'>[];
  raws: RawRecord[][];
  /** Destination side, for a model with entries that give no identifiers: the destination
   *  schema's (Adapter.defaultIdentifiers), used on both sides. */
  identifiers?: string[];
  /** Destination side: what its schema says about the model (Adapter.describeModel). */
  facts?: ModelFacts;
  /** Destination side: fields stored in another form than given (Adapter.storedForms). */
  storedForms?: Record<string, StoredForm>;
  /** Source side: what the adapter's template filters and globals read (Adapter.templateData). */
  templateData?: unknown;
}

export interface PlanOutcome {
  plan: Plan;
  warnings: string[];
  /** Details the warnings summarise (each harmless or repeated one): for --verbose and logs. */
  notes: string[];
  /** Records per model and side, and the raw records each source entry of the model loaded. */
  counts: Record<string, ModelCounts>;
  /** Per model, destination node id -> key (what normalising built anyway); see peerIds(). */
  destinationKeys: Record<string, Map<string, string>>;
  /** The config the plan was made with: the run's, with the references the destination's schema
   *  implies (effectiveConfig). Apply and verify work with it. */
  config: import('../../config/types.js').SyncConfig;
}

export interface FailureEntry {
  changeId: string;
  action: string;
  model: string;
  key: string;
  message: string;
}

/** A change of the run that the destination does not show once the run is done. */
export interface NotConverged {
  model: string;
  key: string;
  /** What the diff made after the apply would still do. */
  action: 'create' | 'update' | 'delete';
  message: string;
  /** Per field: the value the sync wrote, and what the destination holds (null when absent). */
  fields: { name: string; expected: import('../../diff/types.js').Value; actual: import('../../diff/types.js').Value }[];
}

/** The check after a sync's apply (steps/verify.ts). */
export interface VerifyReport {
  converged: boolean;
  /** Destination records read back. */
  checked: number;
  notConverged: NotConverged[];
  ms: number;
  /** Set when the records could not be read back (the run then counts as not converged). */
  error?: string;
}

export interface RunReport {
  runId: string;
  config: string;
  mode: 'diff' | 'sync';
  status: 'succeeded' | 'failed' | 'partial' | 'planned';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  planned: Summary;
  applied: { create: number; update: number; delete: number };
  failed: number;
  skipped: number;
  failures: FailureEntry[];
  skippedChanges: FailureEntry[];
  /** Changes written onto a node the destination already held (a create found by an identity,
   *  an update of a node found under another key), with how it was found. */
  foundExisting?: FailureEntry[];
  timings?: Record<string, number>;
  /** After a sync's apply, unless it ran with --no-verify. */
  verify?: VerifyReport;
}

/** What the CLI shows while a run goes: loads as they finish, the plan, applied batches. */
export type ProgressEvent =
  | { phase: 'load'; side: Side; model: string; loaded: number; total?: number; done: boolean }
  | { phase: 'plan'; summary: Plan['summary'] }
  | { phase: 'apply'; stage: number; stages: number; applied: number; total: number };
