// What differs between a reviewed plan and the plan now, for the "plan changed" refusal.
import { describe, expect, it } from 'vitest';
import { comparePlans, describePlanDifference } from '../../../shared/diff/compare-plans.js';
import { diffModel, type ModelDiff } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { buildPlan } from '../../../shared/diff/plan.js';
import type { Plan, SyncRecord } from '../../../shared/diff/types.js';
import { config, entry, rec } from './factories.js';

const D = 'InfraDevice';

function plan(src: SyncRecord[], dst: SyncRecord[]): Plan {
  const diffs = new Map<string, ModelDiff>([[D, diffModel(D, src, dst, resolveFlags(['NONE']))]]);
  return buildPlan({ runId: 'r', config: config({ schema_mapping: [entry(D)], diffsync_flags: ['NONE'] }), diffs });
}

describe('comparePlans', () => {
  it('finds nothing between two identical plans', () => {
    const a = plan([rec(D, 'x', { serial: '1' })], [rec(D, 'x', { serial: '0' }, 'n1')]);
    const b = plan([rec(D, 'x', { serial: '1' })], [rec(D, 'x', { serial: '0' }, 'n1')]);
    expect(a.summary).toEqual(b.summary);
    expect(comparePlans(a, b)).toEqual([]);
  });

  it('tells a changed destination value from a changed source value, with both values', () => {
    const reviewed = plan([rec(D, 'x', { serial: 'new' })], [rec(D, 'x', { serial: 'old' }, 'n1')]);
    const byHand = plan([rec(D, 'x', { serial: 'new' })], [rec(D, 'x', { serial: 'set-by-hand' }, 'n1')]);
    // The summaries are the same: only the values tell the plans apart.
    expect(byHand.summary).toEqual(reviewed.summary);
    const [d] = comparePlans(reviewed, byHand);
    expect(d).toEqual({
      kind: 'changed',
      id: `${D}/update/x`,
      fields: [{ part: 'previous', field: 'serial', reviewed: 'old', current: 'set-by-hand' }],
    });
    expect(describePlanDifference(d!)).toBe(
      'changed: update InfraDevice x: destination value serial is now "set-by-hand" (reviewed: "old")',
    );
    const newSource = plan([rec(D, 'x', { serial: 'newer' })], [rec(D, 'x', { serial: 'old' }, 'n1')]);
    expect(comparePlans(reviewed, newSource).map(describePlanDifference)).toEqual([
      'changed: update InfraDevice x: value to write serial is now "newer" (reviewed: "new")',
    ]);
  });

  it('lists changes that appeared and changes that are gone', () => {
    const reviewed = plan([rec(D, 'a'), rec(D, 'b')], []);
    const now = plan([rec(D, 'b'), rec(D, 'c')], []);
    expect(comparePlans(reviewed, now).map(describePlanDifference)).toEqual([
      'new: create InfraDevice c (not in the reviewed plan)',
      'gone: create InfraDevice a (in the reviewed plan, no longer needed)',
    ]);
  });

  it('notices a destination record that was replaced (another node id)', () => {
    const reviewed = plan([rec(D, 'x', { serial: '1' })], [rec(D, 'x', { serial: '0' }, 'n1')]);
    const now = plan([rec(D, 'x', { serial: '1' })], [rec(D, 'x', { serial: '0' }, 'n2')]);
    expect(comparePlans(reviewed, now).map(describePlanDifference)).toEqual([
      'changed: update InfraDevice x: destination record id is now "n2" (reviewed: "n1")',
    ]);
  });
});
