// A key the destination cannot give back is refused before anything is written, by every sync,
// --force or not: the nautobot-v2 example with its IP addresses un-commented keys them by
// `ip_prefix`, which Infrahub computes.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { type Sides } from '../e2e/helpers.js';
import { SCENARIOS, UNCOMMENT, prepare } from './scenarios.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('convergence: a key that cannot round-trip', () => {
  it('is refused before any write, with --force too, naming entry, field and fix (exit 2)', async () => {
    const v2 = SCENARIOS.find((s) => s.name === 'example nautobot-v2_to_infrahub');
    if (!v2) throw new Error('no nautobot-v2 scenario');
    const prepared = await prepare({ ...v2, edits: UNCOMMENT }, 3);
    sides = prepared.sides;
    for (const extra of [[], ['--force']]) {
      const r = await runCli(['sync', '--config-file', prepared.config, '--store', join(sides.work, 'runs'), '--no-show-progress', ...extra], {
        cwd: sides.work,
        env: sides.env,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('identifier(s) cannot be read back from Infrahub');
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr).toContain(
        'schema_mapping[23] InfraIPAddress (ipam.ip-addresses): identifier `ip_prefix` is computed by Infrahub (read-only)',
      );
      expect(r.stderr).toContain('identify InfraIPAddress records by `address` (and `ip_namespace`)');
    }
    expect(sides.infrahub.counters.mutations).toBe(0);
  });
});
