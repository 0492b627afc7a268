// Canonical data shared by the loaders, the diff engine, the plan and the appliers.
import type { GuardrailReason } from './guardrails.js';

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/** One normalised object of one model on one side. */
export interface SyncRecord {
  /** Destination kind. */
  model: string;
  /** DiffSync unique id: identifier values joined with `__`, in identifier order. */
  key: string;
  /** Identifier values by field name (references hold the peer's key). */
  ids: Record<string, Value>;
  /** Every compared field: all mapped fields minus the identifiers. One reference = peer key,
   *  many-reference = sorted list of peer keys. */
  attrs: Record<string, Value>;
  /** The system's own id (source object id, or Infrahub node id on the destination side). */
  localId?: string;
}

export type Action = 'create' | 'update' | 'delete';

export interface Change {
  /** Stable across redeliveries: `${model}/${action}/${key}`. */
  id: string;
  action: Action;
  model: string;
  key: string;
  ids: Record<string, Value>;
  /** Source values (create/update: for update only the fields that differ; delete: {}). */
  attrs: Record<string, Value>;
  /** Destination values of the fields that differ (update) or all destination attrs (delete). */
  previous?: Record<string, Value>;
  /** Infrahub node id when the destination side knows the record (update, delete). */
  destinationId?: string;
}

export interface Summary {
  create: number;
  update: number;
  delete: number;
  'no-change': number;
  skip: number;
}

export type StageAction = 'upsert' | 'delete';

export interface Stage {
  index: number;
  action: StageAction;
  /** Models of this stage; none of them references another model of the same stage. */
  models: string[];
  changes: Change[];
}

export interface Plan {
  runId: string;
  /** Config name. */
  config: string;
  /** sha256 over the plan's content (stages and changes), independent of runId. */
  checksum: string;
  summary: Summary;
  stages: Stage[];
  /** Records whose comparison was identical, when LOG_UNCHANGED_RECORDS is set. */
  unchanged?: { model: string; key: string }[];
  /** Counts per model, in plan order (not part of the checksum). */
  models?: Record<string, Summary>;
  /** What the guardrails make of this plan (not part of the checksum): a diff shows it, a sync
   *  refuses a refused plan unless --force. */
  guardrail?: GuardrailVerdict;
}

export interface GuardrailModelVerdict {
  model: string;
  /** A sync refuses this model's deletes (unless --force): `rules` says why. */
  refused: boolean;
  rules: GuardrailReason[];
  delete: number;
  source: number;
  destination: number;
  /** delete / destination, in percent, one decimal. */
  percent: number;
  /** Keys of every record of the model the plan would delete. */
  keys: string[];
}

export interface GuardrailVerdict {
  /** A sync of this plan is refused unless --force. */
  refused: boolean;
  /** The run had --force: a refused plan is applied anyway. */
  forced: boolean;
  max_delete_percent: number;
  allow_empty_source: boolean;
  /** Every model the plan deletes from, refused or not, in plan order. */
  models: GuardrailModelVerdict[];
}

export type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeResult {
  changeId: string;
  action: Action;
  model: string;
  key: string;
  status: ChangeStatus;
  /** Node id in the destination after the change (create/update). */
  destinationId?: string;
  /** The server's message for a failure, or why it was skipped. Never contains secrets. */
  message?: string;
}
