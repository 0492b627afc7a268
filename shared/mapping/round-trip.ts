// A key the destination cannot give back never matches: InfraIPAddress keyed by `ip_prefix`, which
// Infrahub computes, reads back as `<address>__None` while the source says `<address>__10.0.0.0/24`,
// so every run creates the addresses again. Such identifiers are refused before anything is
// written: one the destination computes or stores read-only, one it does not have, and a
// relationship whose value cannot name a peer. Pure: works from the destination's ModelFacts.
import type { SyncConfig } from '../config/types.js';
import type { Identity, ModelFacts } from '../diff/types.js';

/** `infrahub` -> `Infrahub`, as messages name the system. */
export function systemName(system: string): string {
  return system.startsWith('the ') ? system : system.charAt(0).toUpperCase() + system.slice(1);
}

function quoted(fields: readonly string[]): string {
  return fields.map((f) => `\`${f}\``).join(' and ');
}

/** A writable identity to suggest instead: its plain parts, the defaulted ones in brackets. */
function suggestion(model: string, facts: ModelFacts): string | undefined {
  const writable = (id: Identity) =>
    id.parts.every((p) => {
      const f = facts.fields[p.field];
      return f === undefined || (f.kind !== 'missing' && !f.readOnly);
    });
  const id = facts.identities.find(writable);
  if (!id) return undefined;
  const plain = id.parts.filter((p) => p.defaultsTo === undefined).map((p) => p.field);
  const defaulted = id.parts.filter((p) => p.defaultsTo !== undefined).map((p) => p.field);
  return `identify ${model} records by ${quoted(plain)}${defaulted.length > 0 ? ` (and ${quoted(defaulted)})` : ''}, its ${id.label}`;
}

/**
 * One line per identifier that cannot round-trip, naming the entry, the field and a fix. `config`
 * must already carry the references the destination implies (applyDestinationFacts), so that a
 * plain value naming a synced peer counts as one.
 */
export function roundTripProblems(config: SyncConfig, facts: Record<string, ModelFacts>, system = 'the destination'): string[] {
  const problems: string[] = [];
  config.schema_mapping.forEach((entry, i) => {
    const model = facts[entry.name];
    if (!model) return;
    const where = `schema_mapping[${i}] ${entry.name}${entry.mapping ? ` (${entry.mapping})` : ''}`;
    for (const id of entry.identifiers) {
      const f = model.fields[id];
      const field = entry.fields.find((x) => x.name === id);
      const fix = suggestion(entry.name, model);
      const instead = fix ? `; ${fix}` : '; identify the records by fields the sync writes';
      if (!f || f.kind === 'missing') {
        problems.push(`${where}: identifier \`${id}\` is not a field of ${entry.name} in ${systemName(system)}, so the key cannot be read back${instead}`);
      } else if (f.readOnly) {
        problems.push(
          `${where}: identifier \`${id}\` is computed by ${systemName(system)} (read-only): ` +
            `the sync cannot write it, so the key read back differs from the source's and every run would create the records again${instead}`,
        );
      } else if (f.kind === 'relationship' && !field?.reference && !field?.peerAttribute && !(field?.hasStatic && field.static === null)) {
        problems.push(
          `${where}: identifier \`${id}\` is a relationship to ${f.peer} but its value names no peer the sync can find ` +
            `(no synced model holds ${f.peer}, and it has no one-attribute human-friendly id or default filter); ` +
            `give the field a \`reference\` to the model that holds the peer`,
        );
      }
    }
  });
  return problems;
}

/** Synced models whose destination kind has no identity at all: what stops a duplicate is only the
 *  sync's own key, looked up before each create. */
export function modelsWithoutIdentity(models: readonly string[], facts: Record<string, ModelFacts>): string[] {
  return models.filter((m) => facts[m] !== undefined && facts[m].identities.length === 0);
}
