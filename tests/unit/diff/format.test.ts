import { describe, expect, it } from 'vitest';
import { diffModel, type ModelDiff } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { formatJson } from '../../../shared/diff/format-json.js';
import { formatText } from '../../../shared/diff/format-text.js';
import { buildPlan } from '../../../shared/diff/plan.js';
import type { Plan } from '../../../shared/diff/types.js';
import { config, entry, rec } from './factories.js';

const D = 'InfraDevice';
const P = 'InfraPlatform';

function samplePlan(): Plan {
  const f = resolveFlags(['NONE']);
  const diffs = new Map<string, ModelDiff>([
    [
      D,
      diffModel(
        D,
        [
          rec(D, 'atl1-edge1', { description: 'edge', platform: 'ios', tags: ['a', 'b'] }),
          rec(D, 'atl1-edge2', { description: 'core router', platform: 'ios', tags: [] }),
          rec(D, 'atl1-edge3', { description: 'same', platform: 'ios', tags: [] }),
        ],
        [
          rec(D, 'atl1-edge2', { description: 'old', platform: 'ios', tags: [] }, 'n2'),
          rec(D, 'atl1-edge3', { description: 'same', platform: 'ios', tags: [] }, 'n3'),
          rec(D, 'atl1-old', { description: 'x', platform: 'ios', tags: [] }, 'n4'),
        ],
        f,
      ),
    ],
    [P, diffModel(P, [rec(P, 'ios', { vendor: null })], [rec(P, 'ios', { vendor: 'cisco' })], f)],
  ]);
  return buildPlan({
    runId: 'r',
    config: config({ schema_mapping: [entry(D, { platform: P }), entry(P)], diffsync_flags: ['NONE'] }),
    diffs,
  });
}

describe('formatText', () => {
  it('reads like DiffSync, grouped by model in plan order, with a summary line', () => {
    expect(formatText(samplePlan(), { source: 'nautobot', destination: 'infrahub' })).toBe(
      [
        'InfraPlatform',
        '  InfraPlatform: ios',
        '    vendor    nautobot(null)    infrahub(cisco)',
        'InfraDevice',
        '  InfraDevice: atl1-edge1 MISSING in infrahub',
        '    description    nautobot(edge)',
        '    platform    nautobot(ios)',
        '    tags    nautobot(["a","b"])',
        '  InfraDevice: atl1-edge2',
        '    description    nautobot(core router)    infrahub(old)',
        '  InfraDevice: atl1-old MISSING in nautobot',
        'model          create  update  delete  no-change  skip',
        'InfraPlatform       0       1       0          0     0',
        'InfraDevice         1       1       1          1     0',
        'create=1 update=2 delete=1 no-change=1 skip=0',
        '',
      ].join('\n'),
    );
  });

  it('colours lines by action only when asked', () => {
    const plain = formatText(samplePlan(), { source: 's', destination: 'd' });
    const colored = formatText(samplePlan(), { source: 's', destination: 'd', color: true });
    expect(plain).not.toContain('\u001b[');
    expect(colored).toContain('\u001b[32m  InfraDevice: atl1-edge1 MISSING in d\u001b[0m');
    expect(colored).toContain('\u001b[31m  InfraDevice: atl1-old MISSING in s\u001b[0m');
    expect(colored).toContain('\u001b[33m  InfraDevice: atl1-edge2\u001b[0m');
    const stripped = ['\u001b[0m', '\u001b[31m', '\u001b[32m', '\u001b[33m'].reduce((t, code) => t.replaceAll(code, ''), colored);
    expect(stripped).toBe(plain);
  });

  it('says (no diffs) for an empty plan', () => {
    const plan = buildPlan({ runId: 'r', config: config({ schema_mapping: [entry(P)] }), diffs: new Map() });
    expect(formatText(plan, { source: 's', destination: 'd' })).toBe(
      '(no diffs)\nmodel          create  update  delete  no-change  skip\nInfraPlatform       0       0       0          0     0\ncreate=0 update=0 delete=0 no-change=0 skip=0\n',
    );
  });
});

describe('formatJson', () => {
  it('gives summary, changes in plan order and warnings', () => {
    const out = formatJson(samplePlan(), [{ message: 'w1' }]);
    expect(out.summary).toEqual({ create: 1, update: 2, delete: 1, 'no-change': 1, skip: 0 });
    expect(out.changes).toEqual([
      { action: 'update', model: P, key: 'ios', attrs: { vendor: null }, previous: { vendor: 'cisco' } },
      { action: 'create', model: D, key: 'atl1-edge1', attrs: { description: 'edge', platform: 'ios', tags: ['a', 'b'] }, previous: null },
      { action: 'update', model: D, key: 'atl1-edge2', attrs: { description: 'core router' }, previous: { description: 'old' } },
      { action: 'delete', model: D, key: 'atl1-old', attrs: {}, previous: { description: 'x', platform: 'ios', tags: [] } },
    ]);
    expect(out.warnings).toEqual([{ message: 'w1' }]);
    // Round-trips through JSON unchanged (no undefined, no class instances).
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});
