import type { ModelWriteSpec } from '../../adapters/types.js';
import type { SyncConfig } from '../../config/types.js';

/** Per destination model: identifiers and reference fields, merged over entries that share a name. */
export function modelSpecs(config: SyncConfig): Record<string, ModelWriteSpec> {
  const specs: Record<string, ModelWriteSpec> = {};
  for (const entry of config.schema_mapping) {
    const spec = (specs[entry.name] ??= { model: entry.name, identifiers: entry.identifiers, references: {} });
    // As infrahub-sync: the first entry of the model that gives identifiers speaks for all.
    if (spec.identifiers.length === 0) spec.identifiers = entry.identifiers;
    if (!spec.mapping && entry.mapping) spec.mapping = entry.mapping;
    for (const field of entry.fields) {
      if (field.reference) spec.references[field.name] = field.reference;
      if (field.mapping && !field.hasStatic) (spec.fieldMappings ??= {})[field.name] ??= field.mapping;
    }
  }
  return specs;
}
