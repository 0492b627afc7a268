// Issue 11, case 4: one endpoint of several feeding a model answers an empty list. Its records
// are a small part of the model (under max_delete_percent), yet they must not be deleted.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../shared/config/load.js';
import { runLocal } from '../../../shared/runtime/local/index.js';
import { runCli } from './cli-harness.js';

const CONFIG = `name: orgs
source: { name: file, settings: { path: ./source } }
destination: { name: file, settings: { path: ./destination } }
diffsync_flags: ["NONE"]
guardrails: { max_delete_percent: 20 }
schema_mapping:
  - name: OrganizationGeneric
    mapping: tenancy.tenants
    identifiers: ["name"]
    fields: [{ name: name, mapping: name }, { name: description, mapping: description }]
  - name: OrganizationGeneric
    mapping: dcim.manufacturers
    identifiers: ["name"]
    fields: [{ name: name, mapping: name }, { name: description, mapping: description }]
  - name: OrganizationGeneric
    mapping: circuits.providers
    identifiers: ["name"]
    fields: [{ name: name, mapping: name }, { name: description, mapping: description }]
`;

const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `${prefix}-${i}`, description: prefix }));

async function orgs(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'empty-entry-'));
  await mkdir(join(dir, 'source'));
  await writeFile(join(dir, 'config.yml'), CONFIG);
  // 20 organisations: 4 tenants, 3 manufacturers (15% of the model), 13 providers.
  await writeFile(join(dir, 'source/tenancy.tenants.json'), JSON.stringify(rows('tenant', 4)));
  await writeFile(join(dir, 'source/dcim.manufacturers.json'), JSON.stringify(rows('maker', 3)));
  await writeFile(join(dir, 'source/circuits.providers.json'), JSON.stringify(rows('provider', 13)));
  return dir;
}

const names = async (dir: string) =>
  (JSON.parse(await readFile(join(dir, 'destination/OrganizationGeneric.json'), 'utf8')) as { name: string }[]).map((r) => r.name).sort();

describe('an empty source entry among several feeding one model', () => {
  it('stops the sync, naming the entry, and writes nothing; --force applies it', async () => {
    const dir = await orgs();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    expect(await names(dir)).toHaveLength(20);
    const again = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(again.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 20 });

    await writeFile(join(dir, 'source/dcim.manufacturers.json'), '[]');
    const before = await readFile(join(dir, 'destination/OrganizationGeneric.json'), 'utf8');
    const refused = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'OrganizationGeneric: would delete 3 record(s), its source entry schema_mapping[1] (mapping dcim.manufacturers) loaded no records',
    );
    expect(refused.stderr).toContain('maker-0, maker-1, maker-2');
    expect(await readFile(join(dir, 'destination/OrganizationGeneric.json'), 'utf8')).toBe(before);

    const forced = await runCli(['sync', '--config-file', 'config.yml', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await names(dir)).toHaveLength(17);
    expect((await names(dir)).some((n) => n.startsWith('maker'))).toBe(false);
  });

  it('a record removed from a non-empty entry is still deleted as usual', async () => {
    const dir = await orgs();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'source/dcim.manufacturers.json'), JSON.stringify(rows('maker', 2)));
    const r = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(await names(dir)).not.toContain('maker-2');
  });

  it("a webhook's delete event compares the model in full: the other entries' records stay", async () => {
    const dir = await orgs();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'source/tenancy.tenants.json'), JSON.stringify(rows('tenant', 3)));
    const loaded = await loadConfigFile(join(dir, 'config.yml'));
    const { report } = await runLocal({
      loaded: { ...loaded, config: { ...loaded.config, guardrails: { max_delete_percent: 100, allow_empty_source: false } } },
      mode: 'sync',
      store: join(dir, '.runs'),
      scope: { models: ['OrganizationGeneric'], mappings: ['tenancy.tenants'], allowDeletes: true, reason: 'netbox webhook: tenant 4 deleted' },
    });
    expect(report.applied).toEqual({ create: 0, update: 0, delete: 1 });
    const left = await names(dir);
    expect(left).toHaveLength(19);
    expect(left).not.toContain('tenant-3');
  });
});
