// Builders for the diff tests: records, configs and small mappings.
import type { FieldConfig, SchemaMappingEntry, SyncConfig } from '../../../shared/config/types.js';
import type { SyncRecord, Value } from '../../../shared/diff/types.js';

export function rec(
  model: string,
  key: string,
  attrs: Record<string, Value> = {},
  localId?: string,
): SyncRecord {
  const r: SyncRecord = { model, key, ids: { name: key }, attrs };
  if (localId !== undefined) r.localId = localId;
  return r;
}

export function field(name: string, reference?: string): FieldConfig {
  return reference === undefined
    ? { name, mapping: name, hasStatic: false }
    : { name, mapping: name, hasStatic: false, reference };
}

/** One schema_mapping entry; `refs` maps field name to referenced model. */
export function entry(name: string, refs: Record<string, string> = {}, identifiers = ['name']): SchemaMappingEntry {
  return {
    name,
    mapping: `src.${name.toLowerCase()}`,
    identifiers,
    filters: [],
    transforms: [],
    fields: [field('name'), ...Object.entries(refs).map(([f, model]) => field(f, model))],
  };
}

export function config(over: Partial<SyncConfig> = {}): SyncConfig {
  return {
    name: 'test-sync',
    source: { name: 'nautobot', settings: {} },
    destination: { name: 'infrahub', settings: {} },
    order: [],
    schema_mapping: [],
    diffsync_flags: [],
    guardrails: { max_delete_percent: 100, allow_empty_source: false },
    ...over,
  };
}
