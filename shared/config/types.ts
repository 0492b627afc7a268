// The sync config as the rest of the code sees it after validation (shared/config/schema.ts
// must produce exactly this shape). Keys keep infrahub-sync's spelling so users' configs
// carry over unchanged.

export const FILTER_OPERATIONS = [
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'in',
  'not in',
  'contains',
  'not contains',
  'is_empty',
  'is_not_empty',
  'regex',
  'is_ip_within',
] as const;
export type FilterOperation = (typeof FILTER_OPERATIONS)[number];

export const DIFFSYNC_FLAGS = [
  'NONE',
  'CONTINUE_ON_FAILURE',
  'SKIP_UNMATCHED_SRC',
  'SKIP_UNMATCHED_DST',
  'SKIP_UNMATCHED_BOTH',
  'LOG_UNCHANGED_RECORDS',
  'SKIP_MODIFIED',
] as const;
export type DiffSyncFlag = (typeof DIFFSYNC_FLAGS)[number];

export interface AdapterConfig {
  name: string;
  /** infrahub-sync's custom adapter reference (`path/file.py:Class`); kept for diagnostics only. */
  adapter?: string;
  settings: Record<string, unknown>;
}

export interface FieldConfig {
  name: string;
  mapping?: string;
  /** Present (even as false, 0 or "") only when the YAML had a `static` key. */
  static?: unknown;
  hasStatic: boolean;
  reference?: string;
  /** Never in a config file: set when the destination's schema shows the field is a relationship
   *  whose peer no synced model holds, and names the peer's naming attribute (its hfid or default
   *  filter), which the destination side then reads (shared/mapping/implied-references.ts). */
  peerAttribute?: string;
}

export interface FilterConfig {
  field: string;
  operation: FilterOperation;
  value?: unknown;
}

export interface TransformConfig {
  field: string;
  expression: string;
}

export interface SchemaMappingEntry {
  /** Destination kind. Several entries may share one name: they load into one model. */
  name: string;
  /**
   * Source path (e.g. `dcim.devices`, an Infrahub kind, a REST endpoint). "" when the YAML has
   * none: upstream (since #101) then skips loading this entry from the source.
   */
  mapping: string;
  /** Empty when the YAML has none: upstream then uses the destination kind's unique attributes. */
  identifiers: string[];
  filters: FilterConfig[];
  transforms: TransformConfig[];
  fields: FieldConfig[];
}

export interface Guardrails {
  /** Refuse a run that deletes more than this share (0..100) of a model's destination records. */
  max_delete_percent: number;
  /** Refuse a run where a source model loads nothing while the destination holds records. */
  allow_empty_source: boolean;
}

export interface SyncConfig {
  name: string;
  /** Free text; not in upstream's model, but its ACI example sets it. */
  description?: string;
  store?: { type: string; settings: Record<string, unknown> };
  source: AdapterConfig;
  destination: AdapterConfig;
  adapters_path?: string[];
  /** Model order; empty means "derive from references". */
  order: string[];
  schema_mapping: SchemaMappingEntry[];
  /** As written; empty means the default (SKIP_UNMATCHED_DST). */
  diffsync_flags: DiffSyncFlag[];
  incremental?: unknown;
  guardrails: Guardrails;
}

export interface ConfigWarning {
  file: string;
  line?: number;
  column?: number;
  /** YAML path such as `schema_mapping[3].fields[0].mapping`. */
  path: string;
  message: string;
}

export interface LoadedConfig {
  config: SyncConfig;
  /** Absolute path of the config file ("<inline>" when parsed from a string). */
  file: string;
  /** Folder relative settings paths are resolved from. */
  dir: string;
  warnings: ConfigWarning[];
}
