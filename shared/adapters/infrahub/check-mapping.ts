// `validate --check-schema`: does the mapping fit the Infrahub schema? One line per problem.
import type { SchemaMappingEntry, SyncConfig } from '../../config/types.js';
import type { ModelFacts } from '../../diff/types.js';
import { entriesOf } from '../../mapping/compiled.js';
import { applyDestinationFacts, syncedModels } from '../../mapping/implied-references.js';
import { modelsWithoutIdentity, roundTripProblems } from '../../mapping/round-trip.js';
import { modelFacts } from './model-facts.js';
import type { InfrahubSchema } from './schema.js';

function entryLabel(entry: SchemaMappingEntry, index: number): string {
  return `schema_mapping[${index}] ${entry.name} (${entry.mapping})`;
}

/** Problems with the mapping against the schema; empty when it fits. The Infrahub side is the
 *  destination (or the source, for Infrahub-to-X configs): either way `name` is the Infrahub kind. */
export function checkMapping(config: SyncConfig, schema: InfrahubSchema): string[] {
  return checkSchema(config, schema).problems;
}

/** The destination's facts for every mapped model, from the schema (as Adapter.describeModel). */
function factsOf(config: SyncConfig, schema: InfrahubSchema): Record<string, ModelFacts> {
  const out: Record<string, ModelFacts> = {};
  for (const model of new Set(config.schema_mapping.map((e) => e.name))) {
    const fields = [...new Set(entriesOf(config, model).flatMap(({ entry }) => entry.fields.map((f) => f.name)))];
    const facts = modelFacts(schema, model, fields);
    if (facts) out[model] = facts;
  }
  return out;
}

/** Problems (exit 2), and warnings: kinds that have no identity in Infrahub, values that name no peer. */
export function checkSchema(config: SyncConfig, schema: InfrahubSchema): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const isDestination = config.destination.name === 'infrahub';
  const mappedByKind = new Map<string, Set<string>>();
  const facts = isDestination ? factsOf(config, schema) : {};
  const effective = applyDestinationFacts(config, facts);
  const implied = new Set(effective.implied.map((i) => `${i.model}.${i.field}`));
  if (isDestination) {
    problems.push(...roundTripProblems(effective.config, facts, 'infrahub'));
    for (const model of modelsWithoutIdentity(syncedModels(config), facts)) {
      warnings.push(
        `${model}: Infrahub has no identity for this kind (no human-friendly id, uniqueness constraint or IPAM identity): ` +
          `nothing there refuses a second node; a sync finds its creates again only by its own identifiers`,
      );
    }
  }

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
      } else if (!field.hasStatic && !rel.read_only && !implied.has(`${entry.name}.${field.name}`)) {
        // A plain value names a peer when a synced model holds the peer's kind, or by the peer's
        // hfid or default filter (implied-references.ts); otherwise it names nothing.
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
  return { problems, warnings };
}
