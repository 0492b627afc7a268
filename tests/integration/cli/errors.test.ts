import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

const exists = (p: string) => access(p).then(() => true, () => false);

describe('CLI errors and exit codes', () => {
  it('a config error exits 2 with file:line:col, YAML path and what was expected, and writes nothing', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('operation: "!="', 'operation: "equals"'));
    const r = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/config\.yml:\d+:\d+: schema_mapping\[2\]\.filters\[0\]\.operation: expected one of "==".* but got "equals"/);
    expect(await exists(join(dir, 'destination'))).toBe(false);
    expect(await exists(join(dir, '.runs'))).toBe(false);
  });

  it('bad YAML exits 2 naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihs-bad-'));
    await writeFile(join(dir, 'config.yml'), 'name: x\nsource: [unclosed\n');
    const r = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.yml:\d+:\d+/);
  });

  it('an unset ${VAR} is a warning for validate and an error (exit 2) for diff', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('path: ./source', 'path: ${DEMO_SOURCE_DIR}'));
    const v = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/warning: .*DEMO_SOURCE_DIR is not set/);
    const d = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/DEMO_SOURCE_DIR/);
  });

  it('--name finds a config under --directory; an unknown name exits 2 with a suggestion', async () => {
    const dir = await fileDemoCopy();
    const ok = await runCli(['diff', '--name', 'file-demo', '--directory', dir], { cwd: tmpdir() });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/create=13/);
    const bad = await runCli(['diff', '--name', 'file-dmeo', '--directory', dir], { cwd: tmpdir() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/file-demo/);
    const list = await runCli(['list', '--directory', dir], { cwd: tmpdir() });
    expect(list.stdout).toMatch(/^file-demo\s+.*config\.yml$/m);
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await runCli(['frobnicate'], { cwd: tmpdir() })).code).toBe(2);
    expect((await runCli(['diff', '--no-such-option'], { cwd: tmpdir() })).code).toBe(2);
  });

  it('the guardrail refuses a mass delete (exit 1, says what and how to override) and --force applies it', async () => {
    const dir = await fileDemoCopy();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'source/dcim.interfaces.json'), '[]');
    const refused = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/InfraInterfaceL2L3/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await runCli(['sync', '--config-file', 'config.yml', '--force', '--format', 'json'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout).summary.delete).toBe(4);
  });

  it('a secret in the environment never reaches the terminal, even inside an error', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const { readFile } = await import('node:fs/promises');
    // A destination that refuses: Infrahub at an address nobody listens on, token from the env.
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(/destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/, 'destination:\n  name: infrahub\n  settings:\n    url: "http://127.0.0.1:9/${INFRAHUB_API_TOKEN}"\n    retries: 0\n'),
    );
    const secret = 'tok-3f9a8b7c6d5e4f3a2b1c';
    const r = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir, env: { INFRAHUB_API_TOKEN: secret } });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).not.toContain(secret);
  });
});
