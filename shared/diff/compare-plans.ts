// What differs between a reviewed plan and the plan a sync computed now, change by change, so a
// refused `sync --plan` can say why rather than show two summaries that may well be identical.
import { own } from '../own.js';
import { canonicalSha256 } from './checksum.js';
import type { Change, Plan, Value } from './types.js';

export type PlanDifference =
  | { kind: 'added'; change: Change }
  | { kind: 'removed'; change: Change }
  /** Same change id, different values: the source's (`attrs`), the destination's (`previous`), or both. */
  | { kind: 'changed'; id: string; fields: FieldDifference[] }
  /** Same changes, placed in other stages (the order the models are applied in changed). */
  | { kind: 'order'; id: string; reviewedStage: number; currentStage: number };

export interface FieldDifference {
  /** `attrs` holds what the sync writes, `previous` the destination value it replaces,
   *  `ids` the identifiers, `destinationId` the destination record the change targets. */
  part: 'attrs' | 'previous' | 'ids' | 'destinationId';
  field: string;
  reviewed: Value | undefined;
  current: Value | undefined;
}

function indexChanges(plan: Plan): Map<string, { change: Change; stage: number }> {
  const out = new Map<string, { change: Change; stage: number }>();
  for (const stage of plan.stages) for (const change of stage.changes) out.set(change.id, { change, stage: stage.index });
  return out;
}

const same = (a: Value | undefined, b: Value | undefined) =>
  a === b || (a !== undefined && b !== undefined && canonicalSha256(a) === canonicalSha256(b));

function recordDifferences(part: FieldDifference['part'], a: Record<string, Value> = {}, b: Record<string, Value> = {}): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const before = own(a, field);
    const now = own(b, field);
    if (!same(before, now)) out.push({ part, field, reviewed: before, current: now });
  }
  return out;
}

/** Every difference, in the current plan's order (then what the reviewed plan had alone). */
export function comparePlans(reviewed: Plan, current: Plan): PlanDifference[] {
  const before = indexChanges(reviewed);
  const now = indexChanges(current);
  const out: PlanDifference[] = [];
  for (const [id, { change, stage }] of now) {
    const old = before.get(id);
    if (!old) {
      out.push({ kind: 'added', change });
      continue;
    }
    const fields = [
      ...recordDifferences('attrs', old.change.attrs, change.attrs),
      ...recordDifferences('previous', old.change.previous, change.previous),
      ...recordDifferences('ids', old.change.ids, change.ids),
    ];
    if (old.change.destinationId !== change.destinationId) {
      fields.push({ part: 'destinationId', field: 'id', reviewed: old.change.destinationId, current: change.destinationId });
    }
    if (fields.length > 0) out.push({ kind: 'changed', id, fields });
    else if (old.stage !== stage) out.push({ kind: 'order', id, reviewedStage: old.stage, currentStage: stage });
  }
  for (const [id, { change }] of before) if (!now.has(id)) out.push({ kind: 'removed', change });
  return out;
}

const show = (v: Value | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v));

const PART_LABEL: Record<FieldDifference['part'], string> = {
  attrs: 'value to write',
  previous: 'destination value',
  ids: 'identifier',
  destinationId: 'destination record',
};

/** One line per difference, for the refusal message. */
export function describePlanDifference(d: PlanDifference): string {
  if (d.kind === 'added') return `new: ${d.change.action} ${d.change.model} ${d.change.key} (not in the reviewed plan)`;
  if (d.kind === 'removed') return `gone: ${d.change.action} ${d.change.model} ${d.change.key} (in the reviewed plan, no longer needed)`;
  if (d.kind === 'order') return `moved: ${d.id} from stage ${d.reviewedStage + 1} to stage ${d.currentStage + 1}`;
  const [model, action, ...rest] = d.id.split('/');
  const parts = d.fields.map((f) => `${PART_LABEL[f.part]} ${f.field} is now ${show(f.current)} (reviewed: ${show(f.reviewed)})`);
  return `changed: ${action} ${model} ${rest.join('/')}: ${parts.join('; ')}`;
}
