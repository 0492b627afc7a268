import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const root = join(import.meta.dirname, '../../..');
let infrahub: InfrahubStandin;

beforeAll(async () => {
  infrahub = await startInfrahubStandin({ schema: join(root, 'configs/schemas') });
});
afterAll(() => infrahub.stop());

describe('validate --check-schema', () => {
  it('lists each mismatch between a mapping and the live Infrahub schema on its own line, exit 2', async () => {
    const dir = await fileDemoCopy();
    // Point the file demo's destination at Infrahub: its kinds exist, several fields do not.
    const { readFile, writeFile } = await import('node:fs/promises');
    const file = join(dir, 'config.yml');
    const text = (await readFile(file, 'utf8')).replace(
      /destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/,
      'destination:\n  name: infrahub\n  settings: {}\n',
    );
    await writeFile(file, text);
    const env = { INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'standin-token' };
    const r = await runCli(['validate', '--check-schema', '--config-file', 'config.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not match the Infrahub schema/);
    expect(r.stderr).toMatch(/InfraDevice.*"serial"/);
    expect(r.stderr).toMatch(/InfraDevice.*"managed"/);
    const problemLines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(problemLines.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a key Infrahub cannot give back (a computed identifier), naming entry, field and fix; warns of kinds with no identity', async () => {
    const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'check-schema-'));
    const example = await readFile(join(root, 'tests/fixtures/config/examples/nautobot-v2_to_infrahub/config.yml'), 'utf8');
    await writeFile(join(dir, 'config.yml'), example.replace('  # "InfraIPAddress",', '  "InfraIPAddress",'));
    const env = { INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'standin-token', NAUTOBOT_TOKEN: 'x' };
    const r = await runCli(['validate', '--check-schema', '--config-file', 'config.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '  schema_mapping[23] InfraIPAddress (ipam.ip-addresses): identifier `ip_prefix` is computed by Infrahub (read-only): ' +
        'the sync cannot write it, so the key read back differs from the source\'s and every run would create the records again; ' +
        'identify InfraIPAddress records by `address` (and `ip_namespace`), its IPAM address within its namespace\n',
    );

    const ok = await runCli(['validate', '--check-schema', '--config-file', 'configs/nautobot-to-infrahub/config.yml'], { cwd: root, env });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/warning: InfraRack: Infrahub has no identity for this kind \(no human-friendly id, uniqueness constraint or IPAM identity\)/);
    expect(ok.stderr).not.toMatch(/warning: InfraInterfaceL2L3: /);
  });

  it('passes a config whose mapping fits the schema', async () => {
    const env = { INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'standin-token', NAUTOBOT_TOKEN: 'x' };
    const r = await runCli(['validate', '--check-schema', '--config-file', 'configs/file-demo/config.yml'], { cwd: root, env });
    // file -> file has no Infrahub side: a usage error that says so.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs an infrahub source or destination/);
  });
});
