// A plain value mapped into a destination relationship (the NetBox example's `InfraCircuit.type`
// from `type.name`, with no `reference`) names a peer, as infrahub-sync reads it: infrahub-sync
// looks the value up among the keys of the records it loaded for the peer's kind (its client
// store holds every synced node under its DiffSync key), so the value is the key of the peer model
// synced in the same config. When no synced model holds the peer's kind, the value can still name
// a node that already exists by the peer kind's one-attribute hfid or its default filter.
//
// So once the destination's schema is known (ModelFacts), every such field gets the reference it
// implies: the synced model whose records can be the relationship's peer (generics count through
// the kinds that implement them), or, failing one, the peer's naming attribute. Both sides then
// compare peers by key, the plan orders the peer's model first, and the apply resolves the peer
// as for any reference. Pure: the facts come from the destination snapshots.
import type { FieldConfig, SyncConfig } from '../config/types.js';
import type { ModelFacts } from '../diff/types.js';

export interface ImpliedReference {
  model: string;
  field: string;
  /** The synced model the value is a key of. */
  reference?: string;
  /** Else: the peer kind's attribute that names it. */
  peerAttribute?: string;
  peer: string;
}

export interface ImpliedOutcome {
  /** The config with the implied references filled in (the same object when there are none). */
  config: SyncConfig;
  implied: ImpliedReference[];
  /** Fields whose value cannot name a peer at all; their records fail at apply with the value. */
  warnings: string[];
}

/** Models a run syncs: `order`'s (as infrahub-sync), else every mapped model. */
export function syncedModels(config: SyncConfig): string[] {
  const mapped = new Set(config.schema_mapping.map((e) => e.name));
  const listed = config.order.length > 0 ? config.order.filter((m) => mapped.has(m)) : [...mapped];
  return [...new Set(listed)];
}

/** Synced models whose records can stand where a peer is expected, looked up by index: a scan
 *  of every synced model per relationship field made a config of thousands of models quadratic. */
class Candidates {
  private readonly position: Map<string, number>;
  private byKind?: Map<string, string[]>;

  constructor(
    private readonly synced: readonly string[],
    private readonly facts: Record<string, ModelFacts>,
  ) {
    this.position = new Map(synced.map((m, i) => [m, i]));
  }

  /** `peer` itself when synced; else the synced models of any of `peerKinds`, in synced order. */
  of(peer: string, peerKinds: readonly string[]): string[] {
    if (this.position.has(peer)) return [peer];
    if (!this.byKind) {
      this.byKind = new Map();
      for (const m of this.synced) {
        for (const k of new Set(this.facts[m]?.kinds ?? [])) {
          const list = this.byKind.get(k);
          if (list) list.push(m);
          else this.byKind.set(k, [m]);
        }
      }
    }
    const found = new Set<string>();
    for (const k of peerKinds) for (const m of this.byKind.get(k) ?? []) found.add(m);
    return [...found].sort((a, b) => (this.position.get(a) as number) - (this.position.get(b) as number));
  }
}

export function applyDestinationFacts(config: SyncConfig, facts: Record<string, ModelFacts>): ImpliedOutcome {
  const candidates = new Candidates(syncedModels(config), facts);
  const implied: ImpliedReference[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const schema_mapping = config.schema_mapping.map((entry) => {
    const model = facts[entry.name];
    if (!model) return entry;
    let changed = false;
    const fields = entry.fields.map((field): FieldConfig => {
      const f = model.fields[field.name];
      if (field.reference || !f || f.kind !== 'relationship' || f.readOnly) return field;
      if (field.hasStatic && (field.static === null || (Array.isArray(field.static) && field.static.length === 0))) return field;
      const found = candidates.of(f.peer, f.peerKinds);
      const once = `${entry.name}.${field.name}`;
      const first = !seen.has(once);
      seen.add(once);
      if (found.length === 1) {
        changed = true;
        if (first) implied.push({ model: entry.name, field: field.name, reference: found[0], peer: f.peer });
        return { ...field, reference: found[0] };
      }
      if (found.length > 1) {
        if (first) {
          warnings.push(
            `${entry.name}.${field.name}: the value names a peer of kind ${f.peer}, which several synced models hold (${found.join(', ')}); ` +
              `give the field a \`reference\` to the one it names`,
          );
        }
        return field;
      }
      if (f.peerAttribute) {
        changed = true;
        if (first) implied.push({ model: entry.name, field: field.name, peerAttribute: f.peerAttribute, peer: f.peer });
        return { ...field, peerAttribute: f.peerAttribute };
      }
      if (first) {
        warnings.push(
          `${entry.name}.${field.name}: the value names a peer of kind ${f.peer}, which no synced model holds and which has neither a ` +
            `one-attribute human-friendly id nor a default filter to find it by; sync ${f.peer} in this config or give \`reference\``,
        );
      }
      return field;
    });
    return changed ? { ...entry, fields } : entry;
  });
  return { config: implied.length > 0 ? { ...config, schema_mapping } : config, implied, warnings };
}
