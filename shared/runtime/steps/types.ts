import type { LoadRequest, RawRecord } from '../../adapters/types.js';
import type { Plan, Summary } from '../../diff/types.js';

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
  /** Destination side: the fields writes match existing records by (Adapter.matchFields). */
  matchFields?: string[];
}

export interface PlanOutcome {
  plan: Plan;
  warnings: string[];
  /** Details the warnings summarise (each harmless or repeated one): for --verbose and logs. */
  notes: string[];
  counts: Record<string, { source: number; destination: number }>;
  /** Per model, destination node id -> key (what normalising built anyway); see peerIds(). */
  destinationKeys: Record<string, Map<string, string>>;
}

export interface FailureEntry {
  changeId: string;
  action: string;
  model: string;
  key: string;
  message: string;
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
  timings?: Record<string, number>;
}

/** What the CLI shows while a run goes: loads as they finish, the plan, applied batches. */
export type ProgressEvent =
  | { phase: 'load'; side: Side; model: string; loaded: number; total?: number; done: boolean }
  | { phase: 'plan'; summary: Plan['summary'] }
  | { phase: 'apply'; stage: number; stages: number; applied: number; total: number };
