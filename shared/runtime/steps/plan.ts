import type { LoadedConfig } from '../../config/types.js';
import { assertGuardrails, buildPlan, diffModel, resolveFlags, resolveOrder } from '../../diff/index.js';
import type { SyncRecord } from '../../diff/types.js';
import { normaliseModel, type ReferenceIndex } from '../../mapping/index.js';
import type { PlanOutcome, RawSnapshot, Side } from './types.js';

function formatWarning(w: unknown): string {
  if (typeof w === 'string') return w;
  if (w && typeof w === 'object' && 'message' in w) return String((w as { message: unknown }).message);
  return JSON.stringify(w);
}

function selfReferencing(loaded: LoadedConfig, model: string): boolean {
  return loaded.config.schema_mapping.some(
    (e) => e.name === model && e.fields.some((f) => f.reference === model),
  );
}

/** Normalises both sides in reference order, diffs every model, builds the plan, applies guardrails. */
export function planRun(
  loaded: LoadedConfig,
  runId: string,
  snapshots: RawSnapshot[],
  opts: { force?: boolean } = {},
): PlanOutcome {
  const { config } = loaded;
  const tiers = resolveOrder(config);
  const models = tiers.flat();
  const warnings: string[] = [];
  const records: Record<Side, Map<string, SyncRecord[]>> = { source: new Map(), destination: new Map() };
  const destinationIds: PlanOutcome['destinationIds'] = {};

  for (const side of ['source', 'destination'] as const) {
    const refs: ReferenceIndex = new Map();
    for (const model of models) {
      const snap = snapshots.find((s) => s.side === side && s.model === model);
      if (!snap) throw new Error(`internal: no ${side} snapshot for ${model}`);
      // A model that points at itself (a location's parent) needs its own id map before it can
      // resolve those references, so it is normalised once to build the map, then for real.
      if (selfReferencing(loaded, model)) {
        refs.set(model, normaliseModel(config, model, side, snap.raws, refs).idToKey);
      }
      const result = normaliseModel(config, model, side, snap.raws, refs);
      refs.set(model, result.idToKey);
      records[side].set(model, result.records);
      for (const w of result.warnings) warnings.push(`${side}: ${formatWarning(w)}`);
      if (side === 'destination') {
        const ids: Record<string, string> = {};
        for (const r of result.records) if (r.localId !== undefined) ids[r.key] = r.localId;
        destinationIds[model] = ids;
      }
    }
  }

  const flags = resolveFlags(config.diffsync_flags);
  const diffs = new Map(
    models.map((m) => [m, diffModel(m, records.source.get(m) ?? [], records.destination.get(m) ?? [], flags)]),
  );
  const plan = buildPlan({ runId, config, diffs });
  const counts: PlanOutcome['counts'] = {};
  for (const m of models) {
    counts[m] = { source: records.source.get(m)?.length ?? 0, destination: records.destination.get(m)?.length ?? 0 };
  }
  if (!opts.force) {
    assertGuardrails(plan, new Map(Object.entries(counts)), config.guardrails);
  }
  return { plan, warnings, counts, destinationIds };
}
