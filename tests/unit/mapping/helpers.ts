// Builders for typed configs (the YAML loader is not needed for mapping tests).
import type { FieldConfig, SchemaMappingEntry, SyncConfig } from '../../../shared/config/types.js';

export function field(name: string, opts: { mapping?: string; reference?: string; static?: unknown } = {}): FieldConfig {
  const f: FieldConfig = { name, hasStatic: 'static' in opts };
  if (opts.mapping !== undefined) f.mapping = opts.mapping;
  if (opts.reference !== undefined) f.reference = opts.reference;
  if ('static' in opts) f.static = opts.static;
  return f;
}

export function entry(
  name: string,
  mapping: string,
  identifiers: string[],
  fields: FieldConfig[],
  more: Partial<SchemaMappingEntry> = {},
): SchemaMappingEntry {
  return { name, mapping, identifiers, fields, filters: [], transforms: [], ...more };
}

export function config(schema_mapping: SchemaMappingEntry[]): SyncConfig {
  return {
    name: 'test',
    source: { name: 'netbox', settings: {} },
    destination: { name: 'infrahub', settings: {} },
    order: [],
    schema_mapping,
    diffsync_flags: [],
    guardrails: { max_delete_percent: 100, allow_empty_source: true },
  };
}

interface YamlEntry {
  name: string;
  mapping?: string;
  identifiers?: string[];
  fields?: (Record<string, unknown> & { name: string })[] | null;
  filters?: { field: string; operation: string; value?: unknown }[] | null;
  transforms?: { field: string; expression: string }[] | null;
}

/** The typed shape of a parsed upstream YAML config, enough for mapping tests. */
export function fromYaml(doc: { name: string; schema_mapping: YamlEntry[]; order?: string[] }): SyncConfig {
  return {
    ...config(
      doc.schema_mapping.map((e) => ({
        name: e.name,
        mapping: e.mapping ?? '',
        identifiers: e.identifiers ?? [],
        fields: (e.fields ?? []).map((f) => {
          const out: FieldConfig = { name: f.name, hasStatic: 'static' in f };
          if (typeof f.mapping === 'string') out.mapping = f.mapping;
          if (typeof f.reference === 'string') out.reference = f.reference;
          if ('static' in f) out.static = f.static;
          return out;
        }),
        filters: (e.filters ?? []) as SchemaMappingEntry['filters'],
        transforms: e.transforms ?? [],
      })),
    ),
    name: doc.name,
    order: doc.order ?? [],
  };
}
