import { describe, expect, it } from 'vitest';
import { diffModel, type ModelDiff } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { assertGuardrails, checkGuardrails, type ModelCounts } from '../../../shared/diff/guardrails.js';
import { buildPlan } from '../../../shared/diff/plan.js';
import type { Guardrails } from '../../../shared/config/types.js';
import type { DiffSyncFlag } from '../../../shared/config/types.js';
import type { Plan, SyncRecord } from '../../../shared/diff/types.js';
import { GuardrailError } from '../../../shared/errors.js';
import { config, entry, rec } from './factories.js';

const D = 'InfraDevice';
const devices = (n: number, prefix = 'dev'): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => rec(D, `${prefix}${String(i).padStart(3, '0')}`));

function planFor(src: SyncRecord[], dst: SyncRecord[], flags: DiffSyncFlag[] = ['NONE']): { plan: Plan; counts: Map<string, ModelCounts> } {
  const diffs = new Map<string, ModelDiff>([[D, diffModel(D, src, dst, resolveFlags(flags))]]);
  const plan = buildPlan({ runId: 'r', config: config({ schema_mapping: [entry(D)], diffsync_flags: flags }), diffs });
  return { plan, counts: new Map([[D, { source: src.length, destination: dst.length }]]) };
}

const strict: Guardrails = { max_delete_percent: 10, allow_empty_source: false };

describe('checkGuardrails', () => {
  it('accepts deletes up to max_delete_percent', () => {
    const dst = devices(100);
    const { plan, counts } = planFor(dst.slice(10), dst);
    expect(plan.summary.delete).toBe(10);
    expect(checkGuardrails(plan, counts, strict)).toEqual([]);
  });

  it('refuses deletes above max_delete_percent', () => {
    const dst = devices(100);
    const { plan, counts } = planFor(dst.slice(11), dst);
    const v = checkGuardrails(plan, counts, strict);
    expect(v.map((x) => [x.model, x.reason, x.wouldDelete.length, x.destination])).toEqual([[D, 'max_delete_percent', 11, 100]]);
  });

  it('counts one delete of a small model by its percentage', () => {
    const dst = devices(3);
    const { plan, counts } = planFor(dst.slice(1), dst);
    expect(checkGuardrails(plan, counts, { max_delete_percent: 50, allow_empty_source: true })).toEqual([]);
    expect(checkGuardrails(plan, counts, { max_delete_percent: 30, allow_empty_source: true })).toHaveLength(1);
  });

  it('refuses an empty source that would delete, unless allow_empty_source', () => {
    const { plan, counts } = planFor([], devices(5));
    const v = checkGuardrails(plan, counts, { max_delete_percent: 100, allow_empty_source: false });
    expect(v.map((x) => x.reason)).toEqual(['empty_source']);
    expect(checkGuardrails(plan, counts, { max_delete_percent: 100, allow_empty_source: true })).toEqual([]);
    // Both rules can hold for one model.
    expect(checkGuardrails(plan, counts, strict).map((x) => x.reason)).toEqual(['empty_source', 'max_delete_percent']);
  });

  it('lets an empty source pass when deletes are disabled, since nothing would be deleted', () => {
    const { plan, counts } = planFor([], devices(5), []);
    expect(plan.summary.delete).toBe(0);
    expect(checkGuardrails(plan, counts, strict)).toEqual([]);
  });
});

describe('empty source entries (several entries feeding one model)', () => {
  const entries = (manufacturers: number) => [
    { index: 0, mapping: 'tenancy.tenants', loaded: 40 },
    { index: 3, mapping: 'dcim.manufacturers', loaded: manufacturers },
    { index: 7, mapping: 'circuits.providers', loaded: 45 },
  ];
  const withEntries = (counts: Map<string, ModelCounts>, manufacturers: number) =>
    new Map([...counts].map(([m, c]) => [m, { ...c, entries: entries(manufacturers) }]));

  it('refuses deletes of a model while one of its entries loaded nothing, even far under max_delete_percent', () => {
    // 100 records, 95 still produced by the other entries: 5 deletes (5%), under max 10%.
    const dst = devices(100);
    const { plan, counts } = planFor(dst.slice(5), dst);
    const v = checkGuardrails(plan, withEntries(counts, 0), strict);
    expect(v.map((x) => [x.reason, x.entry?.mapping, x.wouldDelete.length])).toEqual([['empty_entry', 'dcim.manufacturers', 5]]);
    let error: unknown;
    try {
      assertGuardrails(plan, withEntries(counts, 0), strict);
    } catch (e) {
      error = e;
    }
    expect((error as GuardrailError).message).toContain(
      'InfraDevice: would delete 5 record(s), its source entry schema_mapping[3] (mapping dcim.manufacturers) loaded no records',
    );
  });

  it('passes when every entry loaded something, when nothing would be deleted, or with allow_empty_source', () => {
    const dst = devices(100);
    const { plan, counts } = planFor(dst.slice(5), dst);
    expect(checkGuardrails(plan, withEntries(counts, 12), strict)).toEqual([]);
    expect(checkGuardrails(plan, withEntries(counts, 0), { ...strict, allow_empty_source: true })).toEqual([]);
    const same = planFor(dst, dst);
    expect(checkGuardrails(same.plan, withEntries(same.counts, 0), strict)).toEqual([]);
  });
});

describe('assertGuardrails', () => {
  it('throws a GuardrailError naming the model, the count, the first 20 keys and --force', () => {
    const dst = devices(30);
    const { plan, counts } = planFor([], dst);
    let error: unknown;
    try {
      assertGuardrails(plan, counts, strict);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailError);
    const g = error as GuardrailError;
    expect(g.message).toContain('InfraDevice: would delete 30 record(s)');
    expect(g.message).toContain('the source returned no records');
    expect(g.message).toContain('100.0% of its 30 records, above max_delete_percent 10');
    expect(g.message).toContain('dev000, dev001');
    expect(g.message).toContain('dev019, and 10 more');
    expect(g.message).not.toContain('dev020');
    expect(g.message).toContain('--force');
    expect(g.violations).toHaveLength(2);
    expect(g.violations[0]?.wouldDelete).toHaveLength(30);
  });

  it('returns quietly when nothing is violated', () => {
    const { plan, counts } = planFor(devices(5), devices(5));
    expect(() => assertGuardrails(plan, counts, strict)).not.toThrow();
  });
});
