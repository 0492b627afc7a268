// The contract between the pipeline and every system adapter. Adapters do I/O only:
// they return raw objects; shared/mapping turns them into SyncRecords.
import type { AdapterConfig } from '../config/types.js';
import type { Change, ChangeResult, ModelFacts } from '../diff/types.js';
import type { Logger } from '../log.js';
import type { StoredForm } from '../mapping/stored-forms.js';

/** An object as the system returns it. Must carry `id` (the system's own id). */
export type RawRecord = Record<string, unknown>;

export interface LoadField {
  /** Destination field name. */
  name: string;
  /** Dotted path read from the raw object (destination side: equals name). */
  path: string;
  /** Peer kind when the field is a reference. */
  reference?: string;
  /** Destination side: the entry field's `mapping`, where a destination that is not Infrahub
   *  keeps the field (`status.value`, `comments`); absent for a static field or one without. */
  mapping?: string;
}

export interface LoadRequest {
  side: 'source' | 'destination';
  /** Destination kind the records become. */
  model: string;
  /** What to read: the entry's `mapping` on the source side, the kind on the destination side. */
  path: string;
  /** Destination side: the first entry's `mapping` (where a destination that is not Infrahub
   *  keeps the model, such as `peering/autonomous-systems`), when it has one. */
  mapping?: string;
  /** Fields the mapping reads (source: also filter and transform inputs, as paths). */
  fields: LoadField[];
  /** Source side: the entry's transform expressions, for adapters whose template functions
   *  need data beyond the records (Prometheus `lookup()`, ACI `aci_device_name`). */
  expressions?: string[];
  /** Only these system ids (webhook-scoped runs). */
  scope?: { ids: string[] };
  onProgress?: (loaded: number, total?: number) => void;
}

/**
 * Destination-side raw record convention: `{ id, <field>: scalar }`; a one-reference is
 * `{ id: <peer node id> }`, a peer key string, or null; a many-reference is a list of those.
 */
export interface Adapter {
  /** System name as in the config (`nautobot`, `netbox`, `infrahub`, `genericrestapi`, `file`). */
  readonly system: string;
  /** Connect, check credentials, fetch schemas, ensure the branch. Throws AdapterError. */
  open?(): Promise<void>;
  load(req: LoadRequest): Promise<RawRecord[]>;
  /** Identifiers for a model whose schema_mapping entries give none, from what the system's
   *  schema says is unique (Infrahub: the kind's unique attributes, as infrahub-sync takes them).
   *  Asked on the destination side once the model is loaded; undefined when it cannot tell. */
  defaultIdentifiers?(model: string): string[] | undefined;
  /** What the destination's schema says about a model and its mapped fields: relationships,
   *  read-only fields, identities it matches or enforces (ModelFacts). Asked on the destination
   *  side after a load; undefined when the system has no schema to tell. */
  describeModel?(model: string, fields: readonly string[]): ModelFacts | undefined;
  /** Fields the system stores in another form than it is given (Infrahub: IPHost and
   *  IPNetwork attributes, kept with a prefix length and in canonical form), so that source
   *  values are compared as they will be stored. Asked on the destination side after a load. */
  storedForms?(model: string): Record<string, StoredForm> | undefined;
  /** Source side: data the adapter's own template filters and globals need to render a model's
   *  transforms (shared/mapping/source-traits.ts), stored with the model's snapshot so the plan
   *  step can render them wherever it runs. Asked after the model is loaded; JSON only. */
  templateData?(model: string, requests: LoadRequest[]): Promise<unknown>;
  close?(): Promise<void>;
}

export interface ModelWriteSpec {
  model: string;
  identifiers: string[];
  /** field -> peer model, for reference fields (given in the config or implied by the destination's
   *  relationship, see shared/mapping/implied-references.ts). */
  references: Record<string, string>;
  /** field -> the peer kind's naming attribute, for a plain value written into a relationship
   *  whose peer no synced model holds: the peer is found by that attribute (hfid or default filter). */
  peerAttributes?: Record<string, string>;
  /** The first entry's `mapping`: where a destination that is not Infrahub keeps the model. */
  mapping?: string;
  /** field -> the entry field's `mapping` (its path in a destination that is not Infrahub). */
  fieldMappings?: Record<string, string>;
}

export interface ApplyContext {
  models: Record<string, ModelWriteSpec>;
  /** Destination node id of a record known from the destination snapshot or earlier results. */
  peerId(model: string, key: string): string | undefined;
}

export interface WritableAdapter extends Adapter {
  /** Apply changes (all of one stage batch). One result per change, in any order; a failed
   *  change is a result with status "failed" and the server's message, not a throw. Throws on
   *  auth failures, and when the destination was unavailable for any change (unreachable, 5xx,
   *  429 after retries): the caller retries the whole batch. */
  apply(changes: Change[], ctx: ApplyContext): Promise<ChangeResult[]>;
}

export interface AdapterContext {
  /** Folder of the config file; relative paths in settings resolve from here. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** CLI `--branch` (Infrahub). */
  branch?: string;
  logger: Logger;
  /** Destination side only: the config's source adapter name, which infrahub-sync records as the
   *  account every written value came from (Infrahub lineage, shared/adapters/infrahub/lineage.ts). */
  lineageAccount?: string;
}

export type AdapterFactory = (config: AdapterConfig, ctx: AdapterContext) => Adapter;

export function isWritable(a: Adapter): a is WritableAdapter {
  return typeof (a as Partial<WritableAdapter>).apply === 'function';
}
