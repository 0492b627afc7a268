// `validate --check-schema`: does the mapping fit the Infrahub schema? One line per problem.
import type { SchemaMappingEntry, SyncConfig } from '../../config/types.js';
import type { InfrahubSchema } from './schema.js';

function entryLabel(entry: SchemaMappingEntry, index: number): string {
  return `schema_mapping[${index}] ${entry.name} (${entry.mapping})`;
}

/** Problems with the mapping against the schema; empty when it fits. The Infrahub side is the
 *  destination (or the source, for Infrahub-to-X configs): either way `name` is the Infrahub kind. */
export function checkMapping(config: SyncConfig, schema: InfrahubSchema): string[] {
  const problems: string[] = [];
  const isDestination = config.destination.name === 'infrahub';
  const mappedByKind = new Map<string, Set<string>>();

  config.schema_mapping.forEach((entry, i) => {
    const where = entryLabel(entry, i);
    const kind = schema.get(entry.name);
    if (!kind) {
      problems.push(`${where}: kind "${entry.name}" not found in the Infrahub schema`);
      return;
    }
    const mapped = mappedByKind.get(entry.name) ?? new Set<string>();
    mappedByKind.set(entry.name, mapped);
    const fieldNames = new Set(entry.fields.map((f) => f.name));

    for (const id of entry.identifiers) {
      if (!fieldNames.has(id)) problems.push(`${where}: identifier "${id}" is not one of the entry's fields`);
    }

    // Infrahub as the source: a field a transform makes (a Peering Manager slug from the name)
    // is not read from Infrahub, so it need not exist there.
    const made = isDestination ? new Set<string>() : new Set(entry.transforms.map((t) => t.field));
    for (const field of entry.fields) {
      mapped.add(field.name);
      const at = `${where} field "${field.name}"`;
      const attr = schema.attribute(entry.name, field.name);
      const rel = schema.relationship(entry.name, field.name);
      if (!attr && !rel && made.has(field.mapping ?? field.name)) continue;
      if (!attr && !rel) {
        problems.push(`${at}: not an attribute or relationship of ${entry.name}`);
        continue;
      }
      if (attr) {
        if (field.reference) problems.push(`${at}: is an attribute (${attr.kind}) but the mapping gives reference ${field.reference}`);
        // A read-only attribute (computed by Infrahub) is never written, only read and compared.
        if (field.hasStatic && Array.isArray(field.static) && attr.kind !== 'List' && attr.kind !== 'JSON') {
          problems.push(`${at}: static value is a list but the attribute is ${attr.kind}`);
        }
        continue;
      }
      if (!rel) continue;
      // A read-only relationship (an address's ip_prefix, computed by Infrahub's IPAM) is never
      // written: it is read and compared, and may identify (the nautobot-v2 example keys IP
      // addresses by it), so it is no problem.
      if (isDestination && !rel.read_only && !schema.isWritableRelationship(rel)) {
        problems.push(`${at}: relationship is managed by Infrahub (${rel.kind}) and cannot be written`);
      }
      if (field.reference) {
        if (!schema.has(field.reference)) {
          problems.push(`${at}: reference kind "${field.reference}" not found in the Infrahub schema`);
        } else if (!schema.peerAccepts(rel.peer, field.reference)) {
          problems.push(`${at}: reference ${field.reference} is not compatible with the relationship's peer ${rel.peer}`);
        }
      } else if (!field.hasStatic) {
        problems.push(`${at}: relationship to ${rel.peer} needs a "reference" to the model it points at`);
      }
      if (field.hasStatic && field.static !== null) {
        const isList = Array.isArray(field.static);
        if (rel.cardinality === 'one' && isList) problems.push(`${at}: static value is a list but the relationship has cardinality one`);
        if (rel.cardinality === 'many' && !isList) problems.push(`${at}: static value is not a list but the relationship has cardinality many`);
      }
    }
  });

  if (isDestination) {
    for (const [kindName, mapped] of mappedByKind) {
      const kind = schema.get(kindName);
      if (!kind) continue;
      for (const a of kind.attributes) {
        const hasDefault = a.default_value !== null && a.default_value !== undefined;
        if (a.optional === false && !a.read_only && !hasDefault && !mapped.has(a.name)) {
          problems.push(`${kindName}: mandatory attribute "${a.name}" is not mapped and has no default`);
        }
      }
      for (const r of kind.relationships) {
        if (r.optional === false && schema.isWritableRelationship(r) && !mapped.has(r.name)) {
          problems.push(`${kindName}: mandatory relationship "${r.name}" (${r.peer}) is not mapped`);
        }
      }
    }
  }

  for (const name of config.order) {
    if (!schema.has(name)) problems.push(`order: kind "${name}" not found in the Infrahub schema`);
  }
  return problems;
}
