import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../shared/cli/main.js';
import type { CliIO } from '../../../shared/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process as a user would from `cwd`, capturing what it prints. */
export async function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    isTTY: opts.tty ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd,
  };
  const code = await main(['node', 'infrahub-sync', ...args], io);
  return { code, stdout, stderr };
}

const FILE_DEMO = join(import.meta.dirname, '../../../configs/file-demo');

/**
 * A private copy of configs/file-demo so runs can write their destination. Only what the config
 * needs (config.yml and source/) is copied: a user who ran the demo in the checkout has a
 * destination/ (and maybe .runs/) there, which must not leak into a test.
 */
export async function fileDemoCopy(from: string = FILE_DEMO): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ihs-file-demo-'));
  await cp(join(from, 'config.yml'), join(dir, 'config.yml'));
  await cp(join(from, 'source'), join(dir, 'source'), { recursive: true });
  return dir;
}
