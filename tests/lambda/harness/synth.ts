// `cdk synth` of the stack with given deployment settings, as an operator runs it (the CLI, the
// project's cdk.json, esbuild bundling), into a folder outside the repository: a bundle that
// missed a dependency must not find it in the repository's node_modules when it runs. The
// assembly is kept per hash of its inputs (the code, the lock file, the settings), so test files
// share one synth: the first to need it synthesizes (holding a lock folder), the others wait.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { DeploymentSettingsInput } from '../../../cdk/settings.js';
import { REPO_ROOT } from '../../helpers/tools.js';

const run = promisify(execFile);
const INPUTS = ['cdk', 'functions', 'shared', 'package-lock.json', 'cdk.json', 'tsconfig.json'];

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((f) => files(join(path, f)));
}

function inputsHash(settingsText: string): string {
  const h = createHash('sha256').update(settingsText);
  for (const input of INPUTS) {
    for (const f of files(join(REPO_ROOT, input))) h.update(relative(REPO_ROOT, f)).update('\0').update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export interface Assembly {
  dir: string;
  stackName: string;
  templatePath: string;
}

function assemblyIn(dir: string): Assembly {
  const template = readdirSync(dir).find((f) => f.endsWith('.template.json'));
  if (!template) throw new Error(`no template in ${dir}`);
  return { dir, stackName: template.replace(/\.template\.json$/, ''), templatePath: join(dir, template) };
}

/** The environment of a machine with no AWS account configured: synth needs none. */
function synthEnv(settingsFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|CDK_)/.test(k)) env[k] = v;
  return {
    ...env,
    DEPLOYMENT_SETTINGS: settingsFile,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export async function synthesize(settings: DeploymentSettingsInput): Promise<Assembly> {
  const settingsText = stringify(settings);
  const root = join(tmpdir(), 'infrahub-sync-synth');
  const dir = join(root, inputsHash(settingsText));
  if (existsSync(join(dir, 'manifest.json'))) return reuse(dir);
  mkdirSync(root, { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(join(dir, 'manifest.json'))) return reuse(dir);
      // A synth that died holding the lock: take over after ten minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    if (existsSync(join(dir, 'manifest.json'))) return assemblyIn(dir);
    pruneOld(root);
    return await synthesizeInto(dir, settingsText);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function reuse(dir: string): Assembly {
  const now = new Date();
  utimesSync(dir, now, now);
  return assemblyIn(dir);
}

/** Assemblies of code long since changed (about 45 MB each). */
function pruneOld(root: string): void {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > 7 * 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

async function synthesizeInto(dir: string, settingsText: string): Promise<Assembly> {
  const work = `${dir}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  const settingsFile = join(work, 'deployment.yml');
  writeFileSync(settingsFile, settingsText);
  const out = join(work, 'cdk.out');
  try {
    await run('npx', ['--no-install', 'cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
      cwd: REPO_ROOT,
      env: synthEnv(settingsFile),
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    renameSync(out, dir);
  } catch (err) {
    if (!existsSync(join(dir, 'manifest.json'))) throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return assemblyIn(dir);
}
