import type { LoadedConfig, SyncConfig } from '../../config/types.js';
import { buildPlan, diffModel, guardrailVerdict, resolveFlags, resolveOrder, type EntryCount } from '../../diff/index.js';
import { findMatchCollisions, type PeerAttribute } from '../../diff/match-collisions.js';
import type { KeyIndex } from '../../diff/key-index.js';
import type { ModelFacts, SyncRecord, Value } from '../../diff/types.js';
import { ConfigError } from '../../errors.js';
import { setOwn } from '../../own.js';
import {
  absentMappedFields,
  applyDestinationFacts,
  entriesFor,
  entriesOf,
  normaliseModel,
  syncedModels,
  type MappingOptions,
  type ReferenceIndex,
} from '../../mapping/index.js';
import { modelsWithoutIdentity, roundTripProblems, systemName } from '../../mapping/round-trip.js';
import { templateExtensions } from '../../mapping/source-traits.js';
import { sharedIdsWarning, summariseMappingWarnings } from './plan-warnings.js';
import type { PlanOutcome, RawSnapshot, Side } from './types.js';

/** One warning per mapped field that no loaded record has (see absentMappedFields). */
function absentFieldWarnings(config: SyncConfig, model: string, snap: RawSnapshot): string[] {
  const out: string[] = [];
  entriesFor(config, model, 'source').forEach(({ entry }, i) => {
    const raws = snap.raws[i] ?? [];
    for (const f of absentMappedFields(entry, raws)) {
      const top = f.path.split('.')[0] ?? f.path;
      out.push(
        `source: ${model} from ${entry.mapping}: none of the ${raws.length} records has "${top}", so ${f.name} ` +
          `stays empty on all of them; check the mapping "${f.path}" against what the source returns`,
      );
    }
  });
  return out;
}

/** The destination's facts (Adapter.describeModel) by model, from the destination snapshots. */
export function destinationFacts(snapshots: readonly RawSnapshot[]): Record<string, ModelFacts> {
  const out: Record<string, ModelFacts> = {};
  for (const s of snapshots) if (s.side === 'destination' && s.facts) out[s.model] = s.facts;
  return out;
}

/**
 * The config a run works with once the destination's schema is known: references implied by its
 * relationships filled in (implied-references.ts). Refuses, with ConfigError (exit 2, nothing
 * written, --force or not), identifiers the destination cannot give back (round-trip.ts).
 */
export function effectiveConfig(loaded: LoadedConfig, facts: Record<string, ModelFacts>): { config: SyncConfig; warnings: string[] } {
  const implied = applyDestinationFacts(loaded.config, facts);
  const problems = roundTripProblems(implied.config, facts, loaded.config.destination.name);
  if (problems.length > 0) {
    throw new ConfigError(
      `${loaded.file}: ${problems.length} identifier(s) cannot be read back from ${systemName(loaded.config.destination.name)}, ` +
        `so their records would never match and every run would write them again; nothing was written`,
      { file: loaded.file },
      problems,
    );
  }
  const warnings = [...implied.warnings];
  // One line for all such kinds: a config syncing many of them is told once, not once per kind.
  const unidentified = modelsWithoutIdentity(syncedModels(implied.config), facts);
  if (unidentified.length > 0) {
    const which = unidentified.join(', ');
    warnings.push(
      `${which}: ${systemName(loaded.config.destination.name)} has no identity for ${unidentified.length === 1 ? 'this kind' : 'these kinds'} ` +
        `(no human-friendly id, uniqueness constraint or IPAM identity), so nothing there refuses a second node: a create is looked up ` +
        `by this sync's identifiers before it is written, but another writer can still duplicate it; give ` +
        `${unidentified.length === 1 ? 'the kind' : 'each kind'} a uniqueness constraint`,
    );
  }
  return { config: implied.config, warnings };
}

/** Normalises both sides in reference order, diffs every model, builds the plan and the
 *  guardrails' verdict on it (`plan.guardrail`; refusing is the caller's call, since only a sync
 *  refuses). Consumes the snapshots: their raw objects are released as each model is done. */
export function planRun(
  loaded: LoadedConfig,
  runId: string,
  snapshots: RawSnapshot[],
  opts: {
    force?: boolean;
    /** Destination facts of models whose snapshots are not given (the verify reads few). */
    facts?: Record<string, ModelFacts>;
    /** Plan only these models (with every model they reference): the verify after a sync. */
    only?: ReadonlySet<string>;
  } = {},
): PlanOutcome {
  const facts = { ...opts.facts, ...destinationFacts(snapshots) };
  const effective = effectiveConfig(loaded, facts);
  const config = effective.config;
  const only = opts.only;
  const tiers = resolveOrder(config)
    .map((tier) => (only ? tier.filter((m) => only.has(m)) : tier))
    .filter((tier) => tier.length > 0);
  const models = tiers.flat();
  // Identifiers the destination schema gives models whose entries name none; both sides key by them.
  const options: MappingOptions = {
    identifiers: Object.fromEntries(snapshots.flatMap((s) => (s.identifiers?.length ? [[s.model, s.identifiers]] : []))),
    // Source values compared as the destination stores them (an IP host "10.0.0.1" as "10.0.0.1/32").
    storedForms: Object.fromEntries(snapshots.flatMap((s) => (s.side === 'destination' && s.storedForms ? [[s.model, s.storedForms]] : []))),
  };
  const warnings: string[] = [...effective.warnings];
  const notes: string[] = [];
  const sharedIds = new Map<string, number>();
  const refs: Record<Side, ReferenceIndex> = { source: new Map(), destination: new Map() };
  const destinationKeys: PlanOutcome['destinationKeys'] = {};
  const counts: PlanOutcome['counts'] = {};
  const flags = resolveFlags(config.diffsync_flags);
  const diffs = new Map<string, ReturnType<typeof diffModel>>();
  const bySideModel = new Map(snapshots.map((s) => [`${s.side}/${s.model}`, s]));
  const peers = new PeerAttributes(config, facts, models);

  // Model by model, so only one model's records are alive at a time: a model's diff needs its
  // own records on both sides, later models only need its id -> key maps.
  for (const model of models) {
    const records = {} as Record<Side, SyncRecord[]>;
    let destinationIndex: KeyIndex | undefined;
    let entryCounts: EntryCount[] = [];
    for (const side of ['source', 'destination'] as const) {
      const snap = bySideModel.get(`${side}/${model}`);
      if (!snap) throw new Error(`internal: no ${side} snapshot for ${model}`);
      if (side === 'source') {
        warnings.push(...absentFieldWarnings(config, model, snap));
        entryCounts = entriesFor(config, model, 'source').map(({ entry, index }, i) => ({ index, mapping: entry.mapping, loaded: snap.raws[i]?.length ?? 0 }));
      }
      // The source adapter's own template functions, over the data stored with this model.
      const extensions = side === 'source' ? templateExtensions(config.source.name, snap.templateData) : {};
      const opts = extensions.filters || extensions.globals ? { ...options, ...extensions } : options;
      const result = normaliseModel(config, model, side, snap.raws, refs[side], opts);
      refs[side].set(model, result.idToKey);
      records[side] = result.records;
      if (side === 'destination') destinationIndex = result.keyIndex;
      // Consumed: the raw objects are the largest thing in memory and nothing reads them again.
      snap.raws = [];
      const said = summariseMappingWarnings(side, model, result.warnings);
      warnings.push(...said.warnings);
      notes.push(...said.notes);
      if (said.sharedIds > 0) sharedIds.set(model, (sharedIds.get(model) ?? 0) + said.sharedIds);
    }
    destinationKeys[model] = refs.destination.get(model) ?? new Map();
    counts[model] = { source: records.source.length, destination: records.destination.length, entries: entryCounts };
    peers.remember(model, records.source, records.destination);
    const diff = diffModel(model, records.source, records.destination, flags, destinationIndex);
    const identities = facts[model]?.identities ?? [];
    const matched = findMatchCollisions(model, identities, diff.changes, records.source, records.destination, peers.lookup(model));
    if (matched.error) throw matched.error;
    if (matched.shared.length > 0) warnings.push(sharedIdentityWarning(model, matched.shared));
    if (matched.adopted > 0) {
      diff.changes = matched.changes;
      diff.summary.create -= matched.adopted;
      diff.summary.update += matched.adopted;
      diff.summary.delete -= matched.droppedDeletes;
    }
    diffs.set(model, diff);
  }

  const shared = sharedIdsWarning(sharedIds);
  if (shared) warnings.push(shared);
  const plan = buildPlan({ runId, config, diffs, tiers });
  plan.guardrail = guardrailVerdict(plan, new Map(Object.entries(counts)), config.guardrails, { force: opts.force });
  return { plan, warnings, notes, counts, destinationKeys, config };
}

/** Records written as separate nodes that the destination's IPAM sees as one prefix or address. */
function sharedIdentityWarning(model: string, shared: { value: string; keys: string[]; by: string }[]): string {
  const by = [...new Set(shared.map((s) => s.by))].join(' and ');
  return (
    `${model}: ${shared.length} group(s) of records share an ${by}, which the destination's IPAM cannot tell apart ` +
    `(its hierarchy, and an address's prefix, are per namespace): ` +
    shared
      .slice(0, 10)
      .map((s) => `${s.value} <- ${s.keys.join(', ')}`)
      .join('; ') +
    (shared.length > 10 ? `; and ${shared.length - 10} more` : '') +
    `. They are written as separate nodes, told apart by this sync's identifiers; map ip_namespace (a namespace per VRF) ` +
    `to give each its own`
  );
}

/**
 * Peer attributes that identities read through a relationship (an hfid such as
 * `device__name__value`): kept, for the peer models some identity reads, by key, from the source
 * record (what the peer holds once synced) or else the destination's.
 */
class PeerAttributes {
  private readonly wanted = new Map<string, Set<string>>();
  private readonly values = new Map<string, Map<string, Record<string, Value>>>();

  constructor(
    private readonly config: SyncConfig,
    facts: Record<string, ModelFacts>,
    models: readonly string[],
  ) {
    for (const model of models) {
      for (const id of facts[model]?.identities ?? []) {
        for (const p of id.parts) {
          const peer = p.via === undefined ? undefined : this.peerModel(model, p.field);
          if (peer === undefined || p.via === undefined) continue;
          this.wanted.set(peer, (this.wanted.get(peer) ?? new Set()).add(p.via));
        }
      }
    }
  }

  private peerModel(model: string, field: string): string | undefined {
    for (const { entry } of entriesOf(this.config, model)) {
      const ref = entry.fields.find((f) => f.name === field)?.reference;
      if (ref) return ref;
    }
    return undefined;
  }

  remember(model: string, source: readonly SyncRecord[], destination: readonly SyncRecord[]): void {
    const attrs = this.wanted.get(model);
    if (!attrs) return;
    const map = new Map<string, Record<string, Value>>();
    for (const r of [...destination, ...source]) {
      const all: Record<string, Value> = { ...r.ids, ...r.attrs };
      map.set(r.key, Object.fromEntries([...attrs].map((a) => [a, all[a] ?? null])));
    }
    this.values.set(model, map);
  }

  lookup(model: string): PeerAttribute {
    return (field, key, attribute) => {
      const peer = this.peerModel(model, field);
      return peer === undefined ? undefined : this.values.get(peer)?.get(key)?.[attribute];
    };
  }
}

/**
 * Destination node ids by model and key, for the models some field references: what the apply
 * step needs to point a relationship at an existing peer. Built only for a sync, and only for
 * reference targets (an update or delete already carries its own destinationId).
 */
export function peerIds(outcome: PlanOutcome, config: SyncConfig): Record<string, Record<string, string>> {
  const targets = new Set(config.schema_mapping.flatMap((e) => e.fields.flatMap((f) => (f.reference ? [f.reference] : []))));
  const out: Record<string, Record<string, string>> = {};
  for (const model of targets) {
    const keys = outcome.destinationKeys[model];
    if (!keys) continue;
    const ids: Record<string, string> = {};
    // Keys are data: a record keyed `__proto__` is a key like any other.
    for (const [id, key] of keys) setOwn(ids, key, id);
    out[model] = ids;
  }
  return out;
}
