// NetBox's per-table ids collide when several endpoints feed one model (tenants, manufacturers
// and providers into OrganizationGeneric). References resolve by endpoint, so that is harmless:
// one summary line per run, each id at --verbose, so the warning that matters stays visible.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { EXAMPLES, ROOT, run, startSides, type Sides } from './helpers.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('warnings against the NetBox demo data', () => {
  it('ids shared across endpoints: one summary line, each id only at --verbose; the one that matters stands out', async () => {
    sides = await startSides('netbox', 'small');
    const config = join(ROOT, 'configs/netbox-to-infrahub/config.yml');
    const r = await run(sides, 'diff', config);
    expect(r.code).toBe(0);
    const shared = r.diff.warnings.filter((w) => /belong to two records/.test(String(w)));
    expect(shared).toEqual([expect.stringMatching(/^source: \d+ source id\(s\) belong to two records of different endpoints \(.*OrganizationGeneric \d+.*\); harmless/)]);
    expect(r.diff.warnings).not.toContainEqual(expect.stringMatching(/id \d+ belongs to two records/));

    const verbose = await runCli(['diff', '--config-file', config, '--verbose', '--store', join(sides.work, 'runs')], { cwd: sides.work, env: sides.env });
    const each = verbose.stderr.match(/^info: source: OrganizationGeneric: id \d+ belongs to two records/gm) ?? [];
    expect(each.length).toBeGreaterThan(5);
    expect(verbose.stderr.match(/^warning: .*belong to two records/gm)).toHaveLength(1);

    // NetBox 4.2+ prefixes (scope instead of site) under the upstream example, which maps `site`:
    // the warning that matters is one of a handful, not one of fifty.
    for (const row of sides.source.dataset.tables['ipam.prefixes'] ?? []) {
      const { site, ...rest } = row;
      for (const k of Object.keys(row)) delete row[k];
      Object.assign(row, rest, { scope_type: site === null ? null : 'dcim.site', scope_id: site, scope: site });
    }
    sides.source.invalidate();
    const example = await run(sides, 'diff', join(EXAMPLES, 'netbox_to_infrahub/config.yml'));
    expect(example.diff.warnings).toContainEqual(expect.stringMatching(/none of the \d+ records has "site"/));
    // (Besides it: two fields listed twice, a model missing from order, kinds Infrahub cannot
    // identify, prefixes sharing an IPAM identity, the shared ids, the missing lineage account.)
    expect(example.diff.warnings.length).toBeLessThanOrEqual(8);
    expect(example.diff.warnings.filter((w) => /has no identity for/.test(String(w)))).toHaveLength(1);
  });
});
