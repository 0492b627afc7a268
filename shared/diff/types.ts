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
  /** An update of a node the destination holds under another key, which this record's create
   *  found by one of the destination's identities (match-collisions.ts). */
  adopts?: { key: string; by: string };
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
  /** Rule empty_entry: the model's source entries that loaded no records. */
  emptyEntries?: { index: number; mapping: string }[];
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

/**
 * What the destination's schema says about one mapped model, recorded by the destination adapter
 * after it loads the model (Adapter.describeModel) and read by the pure steps: which mapped fields
 * are relationships (so a plain value written into one names a peer, and the model depends on the
 * peer's model), which fields the destination computes, and every identity by which the
 * destination matches or refuses a record.
 */
export interface ModelFacts {
  /** Concrete kinds a record of the model can be (the kind itself, or a generic's implementers). */
  kinds: string[];
  /** Each mapped field as the destination has it. */
  fields: Record<string, FieldFacts>;
  /** Identities the destination matches or enforces; empty when it has none. */
  identities: Identity[];
}

export type FieldFacts =
  | { kind: 'attribute'; readOnly: boolean }
  | {
      kind: 'relationship';
      /** The relationship's peer kind and the concrete kinds it accepts. */
      peer: string;
      peerKinds: string[];
      cardinality: 'one' | 'many';
      readOnly: boolean;
      /** The peer kind's own naming attribute, for a plain value naming a peer that no synced model
       *  holds: its one-attribute hfid, else its default filter's attribute. */
      peerAttribute?: string;
      /** Whether that attribute is the peer kind's whole hfid (so a peer can be named by hfid). */
      peerHfid?: boolean;
    }
  | { kind: 'missing' };

export interface IdentityPart {
  /** The model's field. */
  field: string;
  /** For a part through a relationship (`device__name__value`): the peer's attribute it reads;
   *  absent when the part is the peer node itself or a plain attribute. */
  via?: string;
  /** What the destination fills in when the mapping leaves the field out (IPAM: the `default`
   *  namespace), so every record the sync writes shares it. */
  defaultsTo?: string;
}

export interface Identity {
  /** How messages name it: `human-friendly id`, `uniqueness constraint 'device-name'`, ... */
  label: string;
  parts: IdentityPart[];
  /** The destination refuses a second record with it (an hfid or a uniqueness constraint), as
   *  opposed to an identity only the sync enforces (IPAM: an address within its namespace). */
  enforced: boolean;
}
