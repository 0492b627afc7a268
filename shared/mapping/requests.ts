// What to load for a model. Source side: one request per schema_mapping entry of the model
// that has a `mapping`, asking for every path the mapping reads: field paths (references
// included), filter fields, and the transforms' inputs; paths that only transforms produce
// are not asked for. Destination side: one request for the kind, each field by its own name.
import type { LoadField, LoadRequest, RawRecord } from '../adapters/types.js';
import type { SchemaMappingEntry, SyncConfig } from '../config/types.js';
import { entriesFor, type Side } from './compiled.js';
import { transformInputs } from './transforms.js';

function producedBy(path: string, outputs: readonly string[]): boolean {
  return outputs.some((o) => path === o || path.startsWith(`${o}.`));
}

/** The entry's fields read from the source (not static, not made by a transform alone), by path. */
export function mappedSourceFields(entry: SchemaMappingEntry): LoadField[] {
  const outputs = entry.transforms.map((t) => t.field);
  const inputs = transformInputs(entry.transforms);
  const out: LoadField[] = [];
  for (const f of entry.fields) {
    if (f.hasStatic) continue;
    const path = f.mapping ?? f.name;
    // Only a transform makes it, unless a transform also reads it from the source first.
    if (producedBy(path, outputs) && !inputs.includes(path)) continue;
    out.push(f.reference ? { name: f.name, path, reference: f.reference } : { name: f.name, path });
  }
  return out;
}

function sourceFields(entry: SchemaMappingEntry): LoadField[] {
  const out: LoadField[] = [];
  const seen = new Set<string>();
  const add = (f: LoadField): void => {
    if (seen.has(f.path)) return;
    seen.add(f.path);
    out.push(f);
  };
  for (const f of mappedSourceFields(entry)) add(f);
  for (const f of entry.filters) add({ name: f.field, path: f.field });
  for (const p of transformInputs(entry.transforms)) add({ name: p, path: p });
  return out;
}

/**
 * Mapped fields whose source key no record has at all: a typo in `mapping`, or a source whose
 * version renamed the field (NetBox 4.2 replaced a prefix's `site` with `scope`). Such a field
 * silently stays empty on every record, so the run says so. Only the first path segment is
 * checked: deeper ones are legitimately missing under a null (a device without a rack).
 */
export function absentMappedFields(entry: SchemaMappingEntry, raws: readonly RawRecord[]): LoadField[] {
  if (raws.length === 0) return [];
  return mappedSourceFields(entry).filter((f) => {
    const top = f.path.split('.')[0] ?? '';
    if (top === '') return false;
    for (const r of raws) if (typeof r === 'object' && r !== null && Object.hasOwn(r, top)) return false;
    return true;
  });
}

export function buildLoadRequests(config: SyncConfig, model: string, side: Side): LoadRequest[] {
  const entries = entriesFor(config, model, side);
  if (side === 'source') {
    return entries.map(({ entry }) => ({ side, model, path: entry.mapping, fields: sourceFields(entry) }));
  }
  const fields: LoadField[] = [];
  for (const entry of config.schema_mapping) {
    if (entry.name !== model) continue;
    for (const f of entry.fields) {
      if (fields.some((x) => x.name === f.name)) continue;
      fields.push(f.reference ? { name: f.name, path: f.name, reference: f.reference } : { name: f.name, path: f.name });
    }
  }
  return [{ side, model, path: model, fields }];
}
