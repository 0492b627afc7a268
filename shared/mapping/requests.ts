// What to load for a model. Source side: one request per schema_mapping entry of the model
// that has a `mapping`, asking for every path the mapping reads: field paths (references
// included), filter fields, and the transforms' inputs; paths that only transforms produce
// are not asked for. Destination side: one request for the kind, each field by its own name.
import type { LoadField, LoadRequest } from '../adapters/types.js';
import type { SchemaMappingEntry, SyncConfig } from '../config/types.js';
import { entriesFor, type Side } from './compiled.js';
import { transformInputs } from './transforms.js';

function producedBy(path: string, outputs: readonly string[]): boolean {
  return outputs.some((o) => path === o || path.startsWith(`${o}.`));
}

function sourceFields(entry: SchemaMappingEntry): LoadField[] {
  const out: LoadField[] = [];
  const seen = new Set<string>();
  const add = (f: LoadField): void => {
    if (seen.has(f.path)) return;
    seen.add(f.path);
    out.push(f);
  };
  const outputs = entry.transforms.map((t) => t.field);
  const inputs = transformInputs(entry.transforms);
  for (const f of entry.fields) {
    if (f.hasStatic) continue;
    const path = f.mapping ?? f.name;
    // Only a transform makes it, unless a transform also reads it from the source first.
    if (producedBy(path, outputs) && !inputs.includes(path)) continue;
    add(f.reference ? { name: f.name, path, reference: f.reference } : { name: f.name, path });
  }
  for (const f of entry.filters) add({ name: f.field, path: f.field });
  for (const p of inputs) add({ name: p, path: p });
  return out;
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
