// From per-model diffs to an ordered plan: upserts tier by tier, then deletes in reverse tier
// order, so nothing is deleted while something may still point at it.
import type { SyncConfig } from '../config/types.js';
import { setOwn } from '../own.js';
import { stagesChecksum } from './checksum.js';
import { addSummary, emptySummary, type ModelDiff } from './diff-model.js';
import { resolveFlags } from './flags.js';
import { resolveOrder, selfReferenceFields } from './order.js';
import type { Change, Plan, Stage, StageAction, Summary, Value } from './types.js';

export interface BuildPlanInput {
  runId: string;
  config: SyncConfig;
  diffs: Map<string, ModelDiff>;
  /** Tiers from resolveOrder; computed from config when absent. Diffs of models outside them are ignored. */
  tiers?: string[][];
  onWarning?: (message: string) => void;
}

const byKey = (a: Change, b: Change): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Self-reference targets of a change: a peer key or a sorted list of peer keys, in ids or attrs. */
function parentKeys(change: Change, fields: readonly string[]): string[] {
  const values = change.action === 'delete' ? change.previous ?? {} : change.attrs;
  const out: string[] = [];
  for (const field of fields) {
    const v: Value | undefined = Object.hasOwn(change.ids, field) ? change.ids[field] : values[field];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const item of v) if (typeof item === 'string') out.push(item);
  }
  return out;
}

/**
 * Split changes of a self-referencing model into levels: level 0 references no other change of
 * the set, level n+1 references something in level n. Each level becomes its own stage, so a
 * record is created only after the record it references even when a stage's batches run in
 * parallel. Members of a data cycle (a -> b -> a) cannot be ordered; they go last, by key.
 */
function levels(changes: Change[], fields: readonly string[]): Change[][] {
  const inSet = new Map(changes.map((c) => [c.key, c]));
  const waiting = new Map<string, number>();
  const children = new Map<string, Change[]>();
  for (const change of changes) {
    let n = 0;
    for (const parent of new Set(parentKeys(change, fields))) {
      if (parent === change.key || !inSet.has(parent)) continue;
      n++;
      const list = children.get(parent) ?? [];
      list.push(change);
      children.set(parent, list);
    }
    waiting.set(change.key, n);
  }
  const out: Change[][] = [];
  let level = changes.filter((c) => waiting.get(c.key) === 0);
  let placed = 0;
  while (level.length > 0) {
    level.sort(byKey);
    out.push(level);
    placed += level.length;
    const next: Change[] = [];
    for (const change of level) {
      for (const child of children.get(change.key) ?? []) {
        const left = (waiting.get(child.key) as number) - 1;
        waiting.set(child.key, left);
        if (left === 0) next.push(child);
      }
    }
    level = next;
  }
  if (placed < changes.length) {
    out.push(changes.filter((c) => (waiting.get(c.key) as number) > 0).sort(byKey));
  }
  return out;
}

/** The sub-stages one model contributes to a tier's upsert or delete stage. */
function modelLevels(changes: Change[], action: StageAction, fields: readonly string[]): Change[][] {
  if (action === 'delete') {
    const deletes = changes.filter((c) => c.action === 'delete');
    if (deletes.length === 0) return [];
    // Children before their parent: the deepest level first.
    return fields.length > 0 ? levels(deletes, fields).reverse() : [deletes.sort(byKey)];
  }
  const creates = changes.filter((c) => c.action === 'create');
  const updates = changes.filter((c) => c.action === 'update').sort(byKey);
  if (fields.length === 0 || creates.length === 0) {
    const all = [...creates.sort(byKey), ...updates];
    return all.length > 0 ? [all] : [];
  }
  const out = levels(creates, fields);
  // An update may point a record at a parent created in any level, so it waits for the last.
  (out[out.length - 1] as Change[]).push(...updates);
  return out;
}

function tierStages(
  tier: readonly string[],
  action: StageAction,
  diffs: Map<string, ModelDiff>,
  selfRefs: Map<string, string[]>,
): Omit<Stage, 'index'>[] {
  const perModel = tier.map((model) => ({
    model,
    levels: modelLevels(diffs.get(model)?.changes ?? [], action, selfRefs.get(model) ?? []),
  }));
  const depth = Math.max(0, ...perModel.map((m) => m.levels.length));
  const stages: Omit<Stage, 'index'>[] = [];
  for (let i = 0; i < depth; i++) {
    const models: string[] = [];
    const changes: Change[] = [];
    for (const m of perModel) {
      const level = m.levels[i];
      if (level === undefined || level.length === 0) continue;
      models.push(m.model);
      changes.push(...level);
    }
    if (changes.length > 0) stages.push({ action, models, changes });
  }
  return stages;
}

export function buildPlan(input: BuildPlanInput): Plan {
  const { runId, config, diffs } = input;
  const tiers = input.tiers ?? resolveOrder(config, input.onWarning);
  const models = tiers.flat();
  const selfRefs = new Map(models.map((m) => [m, selfReferenceFields(config, m)]));

  const unordered: Omit<Stage, 'index'>[] = [];
  for (const tier of tiers) unordered.push(...tierStages(tier, 'upsert', diffs, selfRefs));
  for (const tier of [...tiers].reverse()) unordered.push(...tierStages(tier, 'delete', diffs, selfRefs));
  const stages: Stage[] = unordered.map((s, index) => ({ index, ...s }));

  const summary = emptySummary();
  const perModel: Record<string, Summary> = {};
  for (const model of models) {
    const diff = diffs.get(model);
    if (diff) addSummary(summary, diff.summary);
    setOwn(perModel, model, { ...(diff?.summary ?? emptySummary()) });
  }
  const plan: Plan = { runId, config: config.name, checksum: stagesChecksum(stages), summary, stages, models: perModel };
  if (resolveFlags(config.diffsync_flags).logUnchanged) {
    plan.unchanged = models.flatMap((model) => (diffs.get(model)?.unchanged ?? []).map((key) => ({ model, key })));
  }
  return plan;
}

/** A stage's changes cut into batches for the apply workers, in plan order. */
export function splitBatches(stage: Stage, size: number): Change[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: Change[][] = [];
  for (let i = 0; i < stage.changes.length; i += size) batches.push(stage.changes.slice(i, i + size));
  return batches;
}
