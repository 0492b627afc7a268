import type { LoadedConfig, SyncConfig } from '../../config/types.js';
import { buildPlan, diffModel, guardrailVerdict, resolveFlags, resolveOrder } from '../../diff/index.js';
import { findMatchCollisions } from '../../diff/match-collisions.js';
import type { KeyIndex } from '../../diff/key-index.js';
import type { SyncRecord } from '../../diff/types.js';
import { setOwn } from '../../own.js';
import { absentMappedFields, entriesFor, normaliseModel, type MappingOptions, type ReferenceIndex } from '../../mapping/index.js';
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

/** Normalises both sides in reference order, diffs every model, builds the plan and the
 *  guardrails' verdict on it (`plan.guardrail`; refusing is the caller's call, since only a sync
 *  refuses). Consumes the snapshots: their raw objects are released as each model is done. */
export function planRun(
  loaded: LoadedConfig,
  runId: string,
  snapshots: RawSnapshot[],
  opts: { force?: boolean } = {},
): PlanOutcome {
  const { config } = loaded;
  const tiers = resolveOrder(config);
  const models = tiers.flat();
  // Identifiers the destination schema gives models whose entries name none; both sides key by them.
  const options: MappingOptions = {
    identifiers: Object.fromEntries(snapshots.flatMap((s) => (s.identifiers?.length ? [[s.model, s.identifiers]] : []))),
  };
  const warnings: string[] = [];
  const notes: string[] = [];
  const sharedIds = new Map<string, number>();
  const refs: Record<Side, ReferenceIndex> = { source: new Map(), destination: new Map() };
  const destinationKeys: PlanOutcome['destinationKeys'] = {};
  const counts: PlanOutcome['counts'] = {};
  const flags = resolveFlags(config.diffsync_flags);
  const diffs = new Map<string, ReturnType<typeof diffModel>>();

  // Model by model, so only one model's records are alive at a time: a model's diff needs its
  // own records on both sides, later models only need its id -> key maps.
  for (const model of models) {
    const records = {} as Record<Side, SyncRecord[]>;
    let destinationIndex: KeyIndex | undefined;
    let matchFields: string[] | undefined;
    for (const side of ['source', 'destination'] as const) {
      const snap = snapshots.find((s) => s.side === side && s.model === model);
      if (!snap) throw new Error(`internal: no ${side} snapshot for ${model}`);
      if (side === 'source') warnings.push(...absentFieldWarnings(config, model, snap));
      const result = normaliseModel(config, model, side, snap.raws, refs[side], options);
      refs[side].set(model, result.idToKey);
      records[side] = result.records;
      if (side === 'destination') {
        destinationIndex = result.keyIndex;
        matchFields = snap.matchFields;
      }
      // Consumed: the raw objects are the largest thing in memory and nothing reads them again.
      snap.raws = [];
      const said = summariseMappingWarnings(side, model, result.warnings);
      warnings.push(...said.warnings);
      notes.push(...said.notes);
      if (said.sharedIds > 0) sharedIds.set(model, (sharedIds.get(model) ?? 0) + said.sharedIds);
    }
    destinationKeys[model] = refs.destination.get(model) ?? new Map();
    counts[model] = { source: records.source.length, destination: records.destination.length };
    const diff = diffModel(model, records.source, records.destination, flags, destinationIndex);
    const collision = matchFields ? findMatchCollisions(model, matchFields, diff.changes, records.destination) : undefined;
    if (collision) throw collision;
    diffs.set(model, diff);
  }

  const shared = sharedIdsWarning(sharedIds);
  if (shared) warnings.push(shared);
  const plan = buildPlan({ runId, config, diffs });
  plan.guardrail = guardrailVerdict(plan, new Map(Object.entries(counts)), config.guardrails, { force: opts.force });
  return { plan, warnings, notes, counts, destinationKeys };
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
