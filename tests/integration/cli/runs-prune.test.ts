import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

describe('runs prune through the CLI', () => {
  it('keeps the newest runs asked for, previews with --dry-run, and refuses to guess', async () => {
    const dir = await fileDemoCopy();
    for (let i = 0; i < 3; i++) expect((await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    const listed = async () => JSON.parse((await runCli(['runs', 'list', '--format', 'json'], { cwd: dir })).stdout) as { runId: string }[];
    const before = await listed();
    expect(before).toHaveLength(3);

    const preview = await runCli(['runs', 'prune', '--keep', '1', '--dry-run'], { cwd: dir });
    expect(preview.code).toBe(0);
    expect(preview.stdout.trim().split('\n')).toHaveLength(2);
    expect(preview.stderr).toMatch(/would remove 2 run\(s\), kept 1/);
    expect(await listed()).toHaveLength(3);

    const pruned = await runCli(['runs', 'prune', '--keep', '1'], { cwd: dir });
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toMatch(/removed 2 run\(s\) \(\d+ files\), kept 1/);
    expect((await listed()).map((r) => r.runId)).toEqual([before[0]?.runId]);

    const none = await runCli(['runs', 'prune'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give --keep N, --older-than AGE, or both/);
    const badAge = await runCli(['runs', 'prune', '--older-than', '3 weeks'], { cwd: dir });
    expect(badAge.code).toBe(2);
    expect(badAge.stderr).toMatch(/--older-than: expected a number and a unit/);
    const young = await runCli(['runs', 'prune', '--older-than', '30d'], { cwd: dir });
    expect(young.stderr).toMatch(/removed 0 run\(s\)/);
  });
});
