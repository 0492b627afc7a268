// `sync --plan <runId>`: apply exactly the plan a diff showed, or nothing.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

const runIdOf = (stderrOrJson: string): string => {
  const m = /"runId": "([^"]+)"/.exec(stderrOrJson) ?? /\(run ([^)]+)\)/.exec(stderrOrJson);
  if (!m?.[1]) throw new Error(`no run id in: ${stderrOrJson}`);
  return m[1];
};

async function editSource(dir: string, file: string, edit: (rows: Record<string, unknown>[]) => void): Promise<void> {
  const path = join(dir, 'source', file);
  const rows = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
  edit(rows);
  await writeFile(path, JSON.stringify(rows, null, 2));
}

describe('sync --plan: apply the reviewed plan', () => {
  it('applies the plan a diff showed when nothing changed since', async () => {
    const dir = await fileDemoCopy();
    const diff = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(diff.code).toBe(0);
    const reviewed = runIdOf(diff.stdout);

    const sync = await runCli(['sync', '--config-file', 'config.yml', '--plan', reviewed.slice(0, 17)], { cwd: dir });
    expect(sync.stderr).toMatch(/sync succeeded: created 13, updated 0, deleted 0/);
    expect(sync.code).toBe(0);
  });

  it('refuses, writing nothing, when the source changed after the review', async () => {
    const dir = await fileDemoCopy();
    const diff = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    const reviewed = runIdOf(diff.stdout);
    await editSource(dir, 'dcim.devices.json', (rows) => {
      (rows[0] as Record<string, unknown>).serial = 'changed-after-review';
    });

    const sync = await runCli(['sync', '--config-file', 'config.yml', '--plan', reviewed], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(new RegExp(`refused: the plan is no longer the one reviewed in run ${reviewed}`));
    expect(sync.stderr).toMatch(/nothing was written/);
    expect(sync.stderr).toMatch(/value to write serial is now "changed-after-review" \(reviewed: "[^"]*"\)/);
    // Nothing reached the destination.
    await expect(readFile(join(dir, 'destination/InfraDevice.json'), 'utf8')).rejects.toThrow(/ENOENT/);

    // The new plan is in the history, and binding a sync to it works.
    const newer = /runs show (\S+)`/.exec(sync.stderr)?.[1];
    expect(newer).toBeDefined();
    const shown = await runCli(['runs', 'show', newer as string], { cwd: dir });
    expect(shown.stdout).toMatch(/changed-after-review/);
    const again = await runCli(['sync', '--config-file', 'config.yml', '--plan', newer as string], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/created 13/);
  });

  it('refuses when the destination changed after the review (the plan names the values it replaces)', async () => {
    const dir = await fileDemoCopy();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    await editSource(dir, 'dcim.devices.json', (rows) => {
      (rows[0] as Record<string, unknown>).serial = 'new-serial';
    });
    const diff = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(diff.stdout).summary).toMatchObject({ create: 0, update: 1, delete: 0 });

    // Someone edits the same device in the destination meanwhile.
    const path = join(dir, 'destination/InfraDevice.json');
    const rows = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
    const edited = rows.find((r) => r.name === 'par-edge1') as Record<string, unknown>;
    edited.serial = 'set-by-hand';
    await writeFile(path, JSON.stringify(rows, null, 2));

    const sync = await runCli(['sync', '--config-file', 'config.yml', '--plan', runIdOf(diff.stdout)], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/reviewed: create=0 update=1 delete=0 .*; now: create=0 update=1 delete=0 /);
    // The summaries are identical: the refusal says what differs.
    expect(sync.stderr).toMatch(/1 difference\(s\) between the reviewed plan and the plan now:\n {2}changed: update InfraDevice par-edge1: destination value serial is now "set-by-hand" \(reviewed: "abc123x"\)\n/);
    const after = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
    expect(after.find((r) => r.name === 'par-edge1')?.serial).toBe('set-by-hand');
  });

  it('rejects a run that is unknown, has no plan, or is combined with --dry-run', async () => {
    const dir = await fileDemoCopy();
    const unknown = await runCli(['sync', '--config-file', 'config.yml', '--plan', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run nope of /);

    // A diff that failed (its source is gone) has no plan to bind to.
    const devices = join(dir, 'source', 'dcim.devices.json');
    const saved = await readFile(devices, 'utf8');
    await rm(devices);
    const broken = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(broken.code).toBe(1);
    await writeFile(devices, saved);
    const list = JSON.parse((await runCli(['runs', 'list', '--format', 'json'], { cwd: dir })).stdout) as { runId: string; status: string }[];
    const failedRun = list.find((r) => r.status === 'error')?.runId;
    expect(failedRun).toBeDefined();
    const noPlan = await runCli(['sync', '--config-file', 'config.yml', '--plan', failedRun as string], { cwd: dir });
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toMatch(/has no plan to apply \(it ended error/);

    const diff = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    const dry = await runCli(['sync', '--config-file', 'config.yml', '--plan', runIdOf(diff.stdout), '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/cannot be combined with --dry-run/);
  });
});
