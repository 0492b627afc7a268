// The contract between the pipeline and every system adapter. Adapters do I/O only:
// they return raw objects; shared/mapping turns them into SyncRecords.
import type { AdapterConfig } from '../config/types.js';
import type { Change, ChangeResult } from '../diff/types.js';
import type { Logger } from '../log.js';

/** An object as the system returns it. Must carry `id` (the system's own id). */
export type RawRecord = Record<string, unknown>;

export interface LoadField {
  /** Destination field name. */
  name: string;
  /** Dotted path read from the raw object (destination side: equals name). */
  path: string;
  /** Peer kind when the field is a reference. */
  reference?: string;
}

export interface LoadRequest {
  side: 'source' | 'destination';
  /** Destination kind the records become. */
  model: string;
  /** What to read: the entry's `mapping` on the source side, the kind on the destination side. */
  path: string;
  /** Fields the mapping reads (source: also filter and transform inputs, as paths). */
  fields: LoadField[];
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
  /** The fields a write matches existing records by (Infrahub: the kind's human-friendly id,
   *  when each part is a plain attribute), so that records with different keys but the same
   *  values there would be written to one record. Asked on the destination side after a load. */
  matchFields?(model: string): string[] | undefined;
  close?(): Promise<void>;
}

export interface ModelWriteSpec {
  model: string;
  identifiers: string[];
  /** field -> peer kind, for reference fields. */
  references: Record<string, string>;
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
}

export type AdapterFactory = (config: AdapterConfig, ctx: AdapterContext) => Adapter;

export function isWritable(a: Adapter): a is WritableAdapter {
  return typeof (a as Partial<WritableAdapter>).apply === 'function';
}
