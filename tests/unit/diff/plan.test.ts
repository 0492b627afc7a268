import { describe, expect, it } from 'vitest';
import type { DiffSyncFlag } from '../../../shared/config/types.js';
import { diffModel, type ModelDiff } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { buildPlan, splitBatches } from '../../../shared/diff/plan.js';
import type { Plan, SyncRecord } from '../../../shared/diff/types.js';
import { config, entry, rec } from './factories.js';

const mapping = [
  entry('InfraDevice', { location: 'LocationGeneric', platform: 'InfraPlatform' }),
  entry('LocationGeneric', { parent: 'LocationGeneric' }),
  entry('InfraPlatform'),
];

function plan(
  sides: Record<string, { src: SyncRecord[]; dst: SyncRecord[] }>,
  flags: DiffSyncFlag[] = ['NONE'],
  runId = 'run-1',
): Plan {
  const c = config({ schema_mapping: mapping, diffsync_flags: flags });
  const diffs = new Map<string, ModelDiff>();
  for (const [model, { src, dst }] of Object.entries(sides)) {
    diffs.set(model, diffModel(model, src, dst, resolveFlags(flags)));
  }
  return buildPlan({ runId, config: c, diffs });
}

const L = 'LocationGeneric';
const loc = (key: string, parent: string | null, extra: Record<string, string> = {}) =>
  rec(L, key, { parent, ...extra });

const sides = {
  InfraPlatform: { src: [rec('InfraPlatform', 'ios')], dst: [rec('InfraPlatform', 'junos')] },
  LocationGeneric: { src: [loc('eu', null)], dst: [loc('us', null)] },
  InfraDevice: {
    src: [rec('InfraDevice', 'r1', { location: 'eu', platform: 'ios' })],
    dst: [rec('InfraDevice', 'r0', { location: 'us', platform: 'junos' }, 'node-r0')],
  },
};

const outline = (p: Plan) => p.stages.map((s) => `${s.index}:${s.action}:${s.models.join('+')}`);

describe('buildPlan', () => {
  it('upserts referenced models first, then deletes in reverse order', () => {
    const p = plan(sides);
    // LocationGeneric and InfraPlatform do not reference each other: one tier, one stage.
    expect(outline(p)).toEqual([
      '0:upsert:LocationGeneric+InfraPlatform',
      '1:upsert:InfraDevice',
      '2:delete:InfraDevice',
      '3:delete:LocationGeneric+InfraPlatform',
    ]);
    expect(p.summary).toEqual({ create: 3, update: 0, delete: 3, 'no-change': 0, skip: 0 });
    expect(p.runId).toBe('run-1');
    expect(p.config).toBe('test-sync');
  });

  it('omits empty stages', () => {
    const p = plan(sides, []);
    expect(outline(p)).toEqual(['0:upsert:LocationGeneric+InfraPlatform', '1:upsert:InfraDevice']);
    expect(p.summary.skip).toBe(3);
  });

  it('puts independent models of one tier in one stage', () => {
    const c = config({ schema_mapping: [entry('A'), entry('B'), entry('C', { a: 'A', b: 'B' })], diffsync_flags: ['NONE'] });
    const f = resolveFlags(['NONE']);
    const diffs = new Map([
      ['A', diffModel('A', [rec('A', 'a1')], [rec('A', 'a0')], f)],
      ['B', diffModel('B', [rec('B', 'b1')], [rec('B', 'b0')], f)],
      ['C', diffModel('C', [rec('C', 'c1')], [], f)],
    ]);
    const p = buildPlan({ runId: 'r', config: c, diffs });
    expect(outline(p)).toEqual(['0:upsert:A+B', '1:upsert:C', '2:delete:A+B']);
    expect(p.stages[0]?.changes.map((ch) => ch.id)).toEqual(['A/create/a1', 'B/create/b1']);
  });

  it('orders creates and updates of a model by key, creates first', () => {
    const p = plan({
      InfraPlatform: {
        src: ['z', 'b', 'y', 'a'].map((k) => rec('InfraPlatform', k, { d: k === 'y' || k === 'b' ? 'new' : 'x' })),
        dst: ['y', 'b'].map((k) => rec('InfraPlatform', k, { d: 'old' })),
      },
    });
    expect(p.stages[0]?.changes.map((c) => c.id)).toEqual([
      'InfraPlatform/create/a',
      'InfraPlatform/create/z',
      'InfraPlatform/update/b',
      'InfraPlatform/update/y',
    ]);
  });

  it('creates a self-referencing model parent first, one level per stage, updates last', () => {
    // Tree: eu > fr > par > par-1, eu > de; "aa" references an existing location.
    const p = plan({
      LocationGeneric: {
        src: [
          loc('par-1', 'par'),
          loc('par', 'fr'),
          loc('de', 'eu'),
          loc('fr', 'eu'),
          loc('eu', null),
          loc('aa', 'old'),
          loc('old', null, { description: 'changed' }),
        ],
        dst: [loc('old', null, { description: 'before' })],
      },
    });
    expect(p.stages.map((s) => s.changes.map((c) => `${c.action}:${c.key}`))).toEqual([
      ['create:aa', 'create:eu'],
      ['create:de', 'create:fr'],
      ['create:par'],
      ['create:par-1', 'update:old'],
    ]);
    expect(p.stages.every((s) => s.action === 'upsert' && s.models.join() === L)).toBe(true);
  });

  it('runs level 0 of a self-referencing model together with the other models of its tier', () => {
    const p = plan({
      InfraPlatform: { src: [rec('InfraPlatform', 'ios')], dst: [rec('InfraPlatform', 'old-os')] },
      LocationGeneric: { src: [loc('eu', null), loc('fr', 'eu')], dst: [loc('us', null), loc('ny', 'us')] },
    });
    expect(p.stages.map((s) => `${s.action}:${s.models.join('+')}:${s.changes.map((c) => c.key).join(',')}`)).toEqual([
      'upsert:LocationGeneric+InfraPlatform:eu,ios',
      'upsert:LocationGeneric:fr',
      'delete:LocationGeneric+InfraPlatform:ny,old-os',
      'delete:LocationGeneric:us',
    ]);
  });

  it('follows a self-reference held in the identifiers', () => {
    const c = config({
      schema_mapping: [entry(L, { parent: L }, ['parent', 'name'])],
      diffsync_flags: ['NONE'],
    });
    const r = (key: string, parent: string | null): SyncRecord => ({ model: L, key, ids: { parent, name: key }, attrs: {} });
    const diffs = new Map([[L, diffModel(L, [r('b', 'a'), r('a', null)], [], resolveFlags(['NONE']))]]);
    const p = buildPlan({ runId: 'r', config: c, diffs });
    expect(p.stages.map((s) => s.changes.map((ch) => ch.key))).toEqual([['a'], ['b']]);
  });

  it('deletes a self-referencing model children first', () => {
    const p = plan({
      LocationGeneric: {
        src: [],
        dst: [loc('eu', null), loc('fr', 'eu'), loc('par', 'fr'), loc('de', 'eu'), loc('kept-child', 'gone-parent-elsewhere')],
      },
    });
    expect(p.stages.map((s) => `${s.action}:${s.changes.map((c) => c.key).join(',')}`)).toEqual([
      'delete:par',
      'delete:de,fr',
      'delete:eu,kept-child',
    ]);
  });

  it('puts members of a parent cycle in the data last instead of failing', () => {
    const p = plan({ LocationGeneric: { src: [loc('x', 'y'), loc('y', 'x'), loc('root', null)], dst: [] } });
    expect(p.stages.map((s) => s.changes.map((c) => c.key))).toEqual([['root'], ['x', 'y']]);
  });

  it('fills unchanged only with LOG_UNCHANGED_RECORDS', () => {
    const same = { InfraPlatform: { src: [rec('InfraPlatform', 'ios')], dst: [rec('InfraPlatform', 'ios')] } };
    expect(plan(same, ['NONE']).unchanged).toBeUndefined();
    expect(plan(same, ['LOG_UNCHANGED_RECORDS']).unchanged).toEqual([{ model: 'InfraPlatform', key: 'ios' }]);
  });

  it('ignores diffs of models outside the tiers', () => {
    const c = config({ schema_mapping: mapping, order: ['InfraPlatform'] });
    const f = resolveFlags(['NONE']);
    const diffs = new Map([
      ['InfraPlatform', diffModel('InfraPlatform', [rec('InfraPlatform', 'ios')], [], f)],
      ['InfraDevice', diffModel('InfraDevice', [rec('InfraDevice', 'r1')], [], f)],
    ]);
    const warnings: string[] = [];
    const p = buildPlan({ runId: 'r', config: c, diffs, onWarning: (w) => warnings.push(w) });
    expect(p.stages.flatMap((s) => s.changes.map((ch) => ch.model))).toEqual(['InfraPlatform']);
    expect(p.summary.create).toBe(1);
    expect(warnings).toHaveLength(1);
  });
});

describe('plan checksum', () => {
  it('is the same for the same content under another runId and record order', () => {
    const a = plan(sides, ['NONE'], 'run-a');
    const reordered = {
      ...sides,
      InfraDevice: {
        src: [...sides.InfraDevice.src, rec('InfraDevice', 'r2', { location: 'eu', platform: 'ios' })].reverse(),
        dst: sides.InfraDevice.dst,
      },
    };
    const b = plan(reordered, ['NONE'], 'run-b');
    const c = plan(
      {
        ...sides,
        InfraDevice: {
          src: [rec('InfraDevice', 'r2', { platform: 'ios', location: 'eu' }), rec('InfraDevice', 'r1', { platform: 'ios', location: 'eu' })],
          dst: sides.InfraDevice.dst,
        },
      },
      ['NONE'],
      'run-c',
    );
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(a.checksum).toBe(plan(sides, ['NONE'], 'run-x').checksum);
    expect(b.checksum).toBe(c.checksum);
    expect(b.checksum).not.toBe(a.checksum);
  });

  it('changes when any value changes', () => {
    const a = plan(sides);
    const b = plan({ ...sides, InfraPlatform: { src: [rec('InfraPlatform', 'ios', { d: 1 })], dst: sides.InfraPlatform.dst } });
    expect(b.checksum).not.toBe(a.checksum);
  });
});

describe('splitBatches', () => {
  it('cuts a stage into batches of at most size, in order', () => {
    const p = plan({ InfraPlatform: { src: ['a', 'b', 'c', 'd', 'e'].map((k) => rec('InfraPlatform', k)), dst: [] } });
    const stage = p.stages[0];
    if (!stage) throw new Error('no stage');
    expect(splitBatches(stage, 2).map((b) => b.map((c) => c.key))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(splitBatches(stage, 10)).toHaveLength(1);
    expect(() => splitBatches(stage, 0)).toThrow(RangeError);
  });
});

describe('canonicalSha256', () => {
  it('hashes canonical JSON: sorted keys, no whitespace, undefined fields left out', async () => {
    const { createHash } = await import('node:crypto');
    const { canonicalSha256 } = await import('../../../shared/diff/checksum.js');
    const expected = createHash('sha256').update('{"a":[1,"x",null,{"b":true,"c":"é\\""}],"z":0}').digest('hex');
    expect(canonicalSha256({ z: 0, a: [1, 'x', null, { c: 'é"', b: true, d: undefined }] })).toBe(expected);
    // Many tokens cross the chunk boundary without changing the result.
    const big = Array.from({ length: 5000 }, (_, i) => ({ k: i }));
    expect(canonicalSha256(big)).toBe(createHash('sha256').update(JSON.stringify(big)).digest('hex'));
  });
});
