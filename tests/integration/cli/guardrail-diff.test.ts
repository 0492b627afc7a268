// `diff` always shows the whole plan (exit 0), with the guardrails' verdict on it; only `sync`
// refuses, writing nothing, unless --force. The case from the issue: CONTINUE_ON_FAILURE (which
// turns deletes on) and one delete out of three records per model, against the default 20%.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinationState } from '../../helpers/file-demo.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

async function oneDeleteInThree(): Promise<string> {
  const dir = await fileDemoCopy();
  const file = join(dir, 'config.yml');
  const text = (await readFile(file, 'utf8'))
    .replace('diffsync_flags: ["NONE"]', 'diffsync_flags: ["CONTINUE_ON_FAILURE"]')
    .replace(/guardrails:\n {2}max_delete_percent: 50\n/, '');
  await writeFile(file, text);
  const first = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
  expect(first.code).toBe(0);
  // Drop the first record of every source file: one delete per model (interfaces: two, as the
  // dropped device takes its interfaces along).
  for (const name of ['extras.tags.json', 'dcim.devices.json', 'dcim.interfaces.json']) {
    const rows = JSON.parse(await readFile(join(dir, 'source', name), 'utf8')) as unknown[];
    await writeFile(join(dir, 'source', name), JSON.stringify(rows.slice(1)));
  }
  return dir;
}

describe('diff shows a plan the guardrails would refuse', () => {
  it('JSON: exit 0, one document with the plan, a guardrail object and a warning', async () => {
    const dir = await oneDeleteInThree();
    const r = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ create: 0, update: 0, delete: 4 });
    expect(doc.changes.filter((c: { action: string }) => c.action === 'delete')).toHaveLength(4);
    expect(doc.guardrail).toEqual({
      refused: true,
      forced: false,
      max_delete_percent: 20,
      allow_empty_source: false,
      models: [
        { model: 'InfraInterfaceL2L3', refused: true, rules: ['max_delete_percent'], delete: 2, source: 2, destination: 4, percent: 50, keys: ['par-edge1__eth0', 'par-edge1__eth1'] },
        { model: 'InfraDevice', refused: true, rules: ['max_delete_percent'], delete: 1, source: 2, destination: 3, percent: 33.3, keys: ['par-edge1'] },
        { model: 'BuiltinTag', refused: true, rules: ['max_delete_percent'], delete: 1, source: 2, destination: 3, percent: 33.3, keys: ['core'] },
      ],
    });
    expect(doc.warnings).toContainEqual(expect.stringMatching(/^guardrail: a sync of this plan would be refused: .*InfraDevice \(1 of 3\)/));
  });

  it('text: exit 0, the whole plan between a guardrail banner and a reminder, a warning on stderr', async () => {
    const dir = await oneDeleteInThree();
    const r = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '!! GUARDRAIL: a sync of this plan would be REFUSED (exit 1, nothing written) unless --force:',
      '!!   InfraInterfaceL2L3: would delete 2 record(s), 50.0% of its 4 records, above max_delete_percent 20: par-edge1__eth0, par-edge1__eth1',
      '!!   InfraDevice: would delete 1 record(s), 33.3% of its 3 records, above max_delete_percent 20: par-edge1',
      '!!   BuiltinTag: would delete 1 record(s), 33.3% of its 3 records, above max_delete_percent 20: core',
    ]);
    expect(lines).toContain('  InfraDevice: par-edge1 MISSING in source');
    expect(lines.at(-1)).toBe('!! GUARDRAIL: a sync of this plan would be refused (see the top)');
    expect(r.stderr).toMatch(/^warning: guardrail: a sync of this plan would be refused/m);
  });

  it('sync refuses it (exit 1, nothing written), still showing the plan; runs show has it; --force applies it', async () => {
    const dir = await oneDeleteInThree();
    const before = await destinationState(join(dir, 'destination'));
    const refused = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(refused.code).toBe(1);
    // Still exactly one JSON document: the plan, the verdict, and why the sync stopped.
    const doc = JSON.parse(refused.stdout);
    expect(doc.guardrail.refused).toBe(true);
    expect(doc.summary.delete).toBe(4);
    expect(doc.report).toBeUndefined();
    expect(doc.error).toMatchObject({ name: 'GuardrailError', message: expect.stringMatching(/^guardrails refused plan/) });
    expect(refused.stderr).toMatch(/^refused: guardrails refused plan/m);
    expect(await destinationState(join(dir, 'destination'))).toEqual(before);

    const text = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^!! GUARDRAIL: a sync of this plan would be REFUSED/);
    const runId = /runs show (\S+)`/.exec(text.stderr)?.[1];
    expect(runId).toBeDefined();
    const shown = await runCli(['runs', 'show', runId as string], { cwd: dir });
    expect(shown.stdout).toMatch(/error in diff: guardrails refused plan/);
    expect(shown.stdout).toMatch(/^!! GUARDRAIL: a sync of this plan would be REFUSED/m);
    expect(shown.stdout).toMatch(/InfraDevice: par-edge1 MISSING in source/);
    const shownJson = JSON.parse((await runCli(['runs', 'show', runId as string, '--format', 'json'], { cwd: dir })).stdout);
    expect(shownJson.guardrail).toMatchObject({ refused: true, models: [{ model: 'InfraInterfaceL2L3' }, { model: 'InfraDevice' }, { model: 'BuiltinTag' }] });
    expect(shownJson.status).toBe('error');
    expect(await destinationState(join(dir, 'destination'))).toEqual(before);

    // sync --dry-run writes nothing either way, so it shows the plan like a diff: exit 0.
    expect((await runCli(['sync', '--config-file', 'config.yml', '--dry-run'], { cwd: dir })).code).toBe(0);

    const forced = await runCli(['sync', '--config-file', 'config.yml', '--force', '--format', 'json'], { cwd: dir });
    expect(forced.code).toBe(0);
    const applied = JSON.parse(forced.stdout);
    expect(applied.guardrail).toMatchObject({ refused: false, forced: true });
    expect(applied.report.applied.delete).toBe(4);
    const again = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(again.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(JSON.parse(again.stdout).guardrail).toEqual({ refused: false, forced: false, max_delete_percent: 20, allow_empty_source: false, models: [] });
  });

  it('a plan within the guardrails has no banner and a guardrail object that says so', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).guardrail).toMatchObject({ refused: false, models: [] });
    const t = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(t.stdout).not.toMatch(/GUARDRAIL/);
    expect(t.stderr).not.toMatch(/guardrail/);
  });
});
