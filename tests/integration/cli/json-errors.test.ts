// `--format json` prints exactly one JSON document on stdout, also when the run ends before it
// has a plan: a config error (exit 2) or a system that cannot be reached (exit 1). The error is
// the one stderr shows, with secrets blanked out.
import { createServer } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('--format json when a run ends before its plan', () => {
  it('a config error: one document with the error and its problems, exit 2', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^order:/m, 'order: 7\nnot_order:'));
    const r = await runCli(['diff', '--config-file', file, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { exit: number; message: string; problems?: string[] } };
    expect(doc.error.exit).toBe(2);
    expect(`${doc.error.message}\n${(doc.error.problems ?? []).join('\n')}`).toContain('order');
    expect(r.stderr).toContain('error:');
  });

  it('an unreachable destination: one document, exit 1, the token never shown', async () => {
    const port = await closedPort();
    const token = 'json-error-secret-token-42';
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const text = await readFile(file, 'utf8');
    const config = text.replace(/destination:\n(?: {2}.*\n)+/, `destination:\n  name: infrahub\n  settings:\n    url: "http://127.0.0.1:${port}"\n    token: "${token}"\n    retries: 0\n`);
    expect(config).not.toBe(text);
    await writeFile(file, config);
    const r = await runCli(['diff', '--config-file', file, '--format', 'json', '--no-show-progress'], { cwd: dir, env: { INFRAHUB_API_TOKEN: token } });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: { exit: number; message: string } };
    expect(doc.error.exit).toBe(1);
    expect(doc.error.message.length).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});
