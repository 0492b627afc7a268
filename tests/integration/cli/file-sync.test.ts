import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>[];

describe('file-to-file sync through the CLI', () => {
  it('creates everything, then finds nothing to do on the second run', async () => {
    const dir = await fileDemoCopy();
    const first = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(first.stderr).not.toMatch(/^error/m);
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    // 3 tags + 3 locations + 3 devices (one filtered out) + 4 interfaces
    expect(doc.summary).toMatchObject({ create: 13, update: 0, delete: 0 });
    expect(doc.report.applied.create).toBe(13);
    // The sync read back the 13 records it wrote and found them as written.
    expect(doc.verify).toEqual({ converged: true, notConverged: [] });
    expect(doc.report.verify).toMatchObject({ converged: true, checked: 13 });

    const devices = await readJson(join(dir, 'destination/InfraDevice.json'));
    const edge = devices.find((d) => d.name === 'par-edge1');
    expect(edge).toMatchObject({ serial: 'abc123x', location: 'paris', tags: ['core', 'edge'], managed: false });
    expect(devices.map((d) => d.name).sort()).toEqual(['ber-edge1', 'par-core1', 'par-edge1']);
    const locations = await readJson(join(dir, 'destination/LocationGeneric.json'));
    expect(locations.find((l) => l.name === 'paris')?.parent).toBe('europe');
    const interfaces = await readJson(join(dir, 'destination/InfraInterfaceL2L3.json'));
    expect(interfaces.find((i) => i.device === 'par-core1')).toMatchObject({ name: 'eth0', mtu: 0, enabled: true });

    const second = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 13 });
    expect(again.changes).toEqual([]);
  });

  it('says the sync checked itself (text, runs show); --no-verify skips the check', async () => {
    const dir = await fileDemoCopy();
    const first = await runCli(['sync', '--config-file', 'config.yml', '--no-show-progress'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^sync succeeded: created 13, .*\nverify: converged \(13 record\(s\) read back\)\n$/m);
    const runId = /\(run (\S+)\)/.exec(first.stderr)?.[1] ?? '';
    const show = await runCli(['runs', 'show', runId], { cwd: dir });
    expect(show.stdout).toContain('verify: converged (13 record(s) read back)\n');

    await writeFile(join(dir, 'destination/BuiltinTag.json'), '[]');
    const unchecked = await runCli(['sync', '--config-file', 'config.yml', '--no-verify', '--format', 'json', '--no-show-progress'], { cwd: dir });
    expect(unchecked.code).toBe(0);
    const doc = JSON.parse(unchecked.stdout);
    expect(doc.report.applied.create).toBe(3);
    expect(doc.verify).toBeUndefined();
    expect(doc.report.verify).toBeUndefined();
  });

  it('prints a line per phase by default and none with --no-show-progress, as infrahub-sync takes it', async () => {
    const dir = await fileDemoCopy();
    const shown = await runCli(['sync', '--config-file', 'config.yml', '--show-progress'], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(/^loaded \d+ records in \d+ loads; plan: create=13 /m);
    expect(shown.stderr).toMatch(/^applied 13 changes$/m);

    const quiet = await runCli(['diff', '--config-file', 'config.yml', '--no-show-progress'], { cwd: dir, tty: true });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/loaded|loading|\r/);
    expect(quiet.stdout).toMatch(/create=0 update=0 delete=0 no-change=13/);
  });

  it('turns one changed source record into exactly one update, and a removed one into a delete', async () => {
    const dir = await fileDemoCopy();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    const file = join(dir, 'source/dcim.interfaces.json');
    const rows = await readJson(file);
    (rows[0] as Record<string, unknown>).description = 'new uplink';
    await writeFile(file, JSON.stringify(rows.slice(0, 3)));
    const diff = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    const doc = JSON.parse(diff.stdout);
    expect(doc.summary).toMatchObject({ create: 0, update: 1, delete: 1 });
    expect(doc.changes.map((c: { action: string }) => c.action)).toEqual(['update', 'delete']);
    expect(doc.changes[0]).toMatchObject({
      model: 'InfraInterfaceL2L3',
      key: 'par-edge1__eth0',
      attrs: { description: 'new uplink' },
      previous: { description: 'uplink' },
    });
    const text = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(text.stdout).toContain('par-edge1__eth0');
    expect(text.stdout).toMatch(/new uplink/);
  });
});
