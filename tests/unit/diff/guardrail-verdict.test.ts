// The guardrails' verdict on every plan: what a diff shows (banner, JSON object) and what a sync
// refuses on.
import { describe, expect, it } from 'vitest';
import { diffModel, type ModelDiff } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { formatJson } from '../../../shared/diff/format-json.js';
import { formatText, sideNames } from '../../../shared/diff/format-text.js';
import { guardrailError, guardrailVerdict, guardrailWarning } from '../../../shared/diff/guardrail-verdict.js';
import { buildPlan } from '../../../shared/diff/plan.js';
import type { Plan, SyncRecord } from '../../../shared/diff/types.js';
import type { Guardrails } from '../../../shared/config/types.js';
import { GuardrailError } from '../../../shared/errors.js';
import { config, entry, rec } from './factories.js';

const D = 'InfraDevice';
const T = 'BuiltinTag';
const many = (model: string, n: number): SyncRecord[] => Array.from({ length: n }, (_, i) => rec(model, `${model.toLowerCase()}${i}`));

/** Devices: 3 in the destination, 2 in the source (one delete, 33%). Tags: 10 and 9 (10%). */
function samplePlan(): { plan: Plan; counts: Map<string, { source: number; destination: number }> } {
  const flags = resolveFlags(['NONE']);
  const devices = many(D, 3);
  const tags = many(T, 10);
  const diffs = new Map<string, ModelDiff>([
    [T, diffModel(T, tags.slice(1), tags, flags)],
    [D, diffModel(D, devices.slice(1), devices, flags)],
  ]);
  const plan = buildPlan({ runId: 'r', config: config({ schema_mapping: [entry(T), entry(D, { tags: T })], diffsync_flags: ['NONE'] }), diffs });
  return { plan, counts: new Map([[T, { source: 9, destination: 10 }], [D, { source: 2, destination: 3 }]]) };
}

const rules: Guardrails = { max_delete_percent: 20, allow_empty_source: false };

describe('guardrailVerdict', () => {
  it('lists every model the plan deletes from, refused or not, with counts and keys', () => {
    const { plan, counts } = samplePlan();
    expect(guardrailVerdict(plan, counts, rules)).toEqual({
      refused: true,
      forced: false,
      max_delete_percent: 20,
      allow_empty_source: false,
      models: [
        { model: D, refused: true, rules: ['max_delete_percent'], delete: 1, source: 2, destination: 3, percent: 33.3, keys: ['infradevice0'] },
        { model: T, refused: false, rules: [], delete: 1, source: 9, destination: 10, percent: 10, keys: ['builtintag0'] },
      ],
    });
  });

  it('is not refused within the limits, forced with --force, and names the empty-source rule', () => {
    const { plan, counts } = samplePlan();
    expect(guardrailVerdict(plan, counts, { ...rules, max_delete_percent: 50 })).toMatchObject({ refused: false, forced: false });
    expect(guardrailVerdict(plan, counts, rules, { force: true })).toMatchObject({ refused: false, forced: true });
    const empty = guardrailVerdict(plan, new Map([[D, { source: 0, destination: 3 }]]), { max_delete_percent: 100, allow_empty_source: false });
    expect(empty.models.find((m) => m.model === D)).toMatchObject({ refused: true, rules: ['empty_source'] });
  });

  it('gives a sync its refusal: the refused models, their keys, the run to look at, --force', () => {
    const { plan, counts } = samplePlan();
    const err = guardrailError(plan, guardrailVerdict(plan, counts, rules), 'run-1');
    expect(err).toBeInstanceOf(GuardrailError);
    expect(err.message).toMatch(/InfraDevice: would delete 1 record\(s\), 33\.3% of its 3 records, above max_delete_percent 20: infradevice0/);
    expect(err.message).not.toMatch(/BuiltinTag/);
    expect(err.message).toMatch(/runs show run-1/);
    expect(err.message).toMatch(/--force/);
    expect(err.violations).toEqual([expect.objectContaining({ model: D, wouldDelete: ['infradevice0'] })]);
  });

  it('gives a diff one warning that a sync would refuse, and none when it would not', () => {
    const { plan, counts } = samplePlan();
    expect(guardrailWarning(guardrailVerdict(plan, counts, rules))).toMatch(/^guardrail: a sync of this plan would be refused: .*InfraDevice \(1 of 3\)/);
    expect(guardrailWarning(guardrailVerdict(plan, counts, { ...rules, max_delete_percent: 50 }))).toBeUndefined();
  });
});

describe('the verdict in the diff', () => {
  it('text: a banner first and a reminder last, the whole plan in between', () => {
    const { plan, counts } = samplePlan();
    plan.guardrail = guardrailVerdict(plan, counts, rules);
    const lines = formatText(plan, { source: 'nautobot', destination: 'infrahub' }).trimEnd().split('\n');
    expect(lines[0]).toBe('!! GUARDRAIL: a sync of this plan would be REFUSED (exit 1, nothing written) unless --force:');
    expect(lines[1]).toMatch(/^!! {3}InfraDevice: would delete 1 record/);
    expect(lines).toContain('  InfraDevice: infradevice0 MISSING in nautobot');
    expect(lines).toContain('  BuiltinTag: builtintag0 MISSING in nautobot');
    expect(lines.at(-2)).toBe('create=0 update=0 delete=2 no-change=11 skip=0');
    expect(lines.at(-1)).toBe('!! GUARDRAIL: a sync of this plan would be refused (see the top)');
  });

  it('text: no banner for a plan the guardrails accept', () => {
    const { plan, counts } = samplePlan();
    plan.guardrail = guardrailVerdict(plan, counts, { ...rules, max_delete_percent: 50 });
    expect(formatText(plan, { source: 's', destination: 'd' })).not.toMatch(/GUARDRAIL/);
  });

  it('text without changes: the banner and the counts per model only', () => {
    const { plan, counts } = samplePlan();
    plan.guardrail = guardrailVerdict(plan, counts, rules);
    const text = formatText(plan, { source: 's', destination: 'd', changes: false });
    expect(text).not.toMatch(/MISSING/);
    expect(text.split('\n')).toEqual([
      '!! GUARDRAIL: a sync of this plan would be REFUSED (exit 1, nothing written) unless --force:',
      expect.stringMatching(/^!! {3}InfraDevice: would delete/),
      'model        create  update  delete  no-change  skip',
      'BuiltinTag        0       0       1          9     0',
      'InfraDevice       0       0       1          2     0',
      'create=0 update=0 delete=2 no-change=11 skip=0',
      '!! GUARDRAIL: a sync of this plan would be refused (see the top)',
      '',
    ]);
  });

  it('JSON: a guardrail object and the counts per model', () => {
    const { plan, counts } = samplePlan();
    plan.guardrail = guardrailVerdict(plan, counts, rules);
    const doc = formatJson(plan, []);
    expect(doc.guardrail?.refused).toBe(true);
    expect(doc.guardrail?.models.map((m) => [m.model, m.refused, m.delete, m.keys])).toEqual([
      [D, true, 1, ['infradevice0']],
      [T, false, 1, ['builtintag0']],
    ]);
    expect(doc.models).toEqual({
      [T]: { create: 0, update: 0, delete: 1, 'no-change': 9, skip: 0 },
      [D]: { create: 0, update: 0, delete: 1, 'no-change': 2, skip: 0 },
    });
  });
});

describe('sideNames', () => {
  it('names sides by adapter, or source/destination when both use one adapter', () => {
    expect(sideNames({ source: { name: 'nautobot' }, destination: { name: 'infrahub' } })).toEqual({ source: 'nautobot', destination: 'infrahub' });
    expect(sideNames({ source: { name: 'file' }, destination: { name: 'file' } })).toEqual({ source: 'source', destination: 'destination' });
  });
});
