// The project's own configs (configs/nautobot-to-infrahub, configs/netbox-to-infrahub): they fit
// configs/schemas as the live Infrahub serves it, sync the stand-ins' network, and find nothing
// to do on the next run.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { ROOT, changeLines, failureLines, run, startSides, type Sides } from './helpers.js';

const CONFIGS = {
  nautobot: join(ROOT, 'configs/nautobot-to-infrahub/config.yml'),
  netbox: join(ROOT, 'configs/netbox-to-infrahub/config.yml'),
};

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe.each(['nautobot', 'netbox'] as const)('configs/%s-to-infrahub', (system) => {
  it('passes validate --check-schema against the live schema', async () => {
    sides = await startSides(system, 'tiny');
    const r = await runCli(['validate', '--check-schema', '--config-file', CONFIGS[system]], { cwd: sides.work, env: sides.env });
    expect(r.stderr).not.toMatch(/does not match/);
    expect(r.code).toBe(0);
  });

  it('syncs every mapped model, IP addresses included, then finds nothing to do', async () => {
    sides = await startSides(system, 'small');
    const sync = await run(sides, 'sync', CONFIGS[system]);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    expect(sync.diff.changes.some((c) => c.model === 'InfraIPAddress')).toBe(true);
    expect(sides.infrahub.nodes('InfraIPAddress').length).toBeGreaterThan(0);
    expect(sides.infrahub.nodes('InfraDevice').length).toBeGreaterThan(0);

    const again = await run(sides, 'diff', CONFIGS[system]);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);
  });
});
