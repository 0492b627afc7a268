// The package as users get it: `npm pack` ships the compiled CLI and nothing else, installs into
// an empty prefix with its runtime dependencies only, and the installed command works. Vitest's
// global setup compiled dist/ from the current sources (tests/helpers/build-dist.ts), so this
// packs what the sources say; the file-level tests of each command run in-process from sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

/** npm with the repository's own settings; scripts off, the global setup already built dist/. */
function npm(args: string[], cwd = ROOT): string {
  return execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `@aws-sdk/client-s3/sub` -> `@aws-sdk/client-s3`, `zod/v4` -> `zod`. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** External packages the bundles import (Node built-ins left out). */
function externalPackages(meta: Metafile): Set<string> {
  const out = new Set<string>();
  for (const o of Object.values(meta.outputs)) {
    for (const i of o.imports) if (i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path)) out.add(packageOf(i.path));
  }
  return out;
}

describe('npm pack', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = (JSON.parse(npm(['pack', '--dry-run', '--json'])) as PackResult[])[0]!;
  });

  it('ships the compiled CLI, its licence and README, and nothing else', () => {
    const paths = packed.files.map((f) => f.path).sort();
    const unexpected = paths.filter((p) => !/^(bin\/infrahub-sync\.js|dist\/.+\.js|dist\/THIRD-PARTY-LICENSES\.md|package\.json|README\.md|LICENSE)$/.test(p));
    expect(unexpected).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/infrahub-sync.js', 'dist/infrahub-sync.js']));
    // Every compiled chunk is in the package (a lazily loaded command missing would fail only when used).
    const chunks = readdirSync(join(ROOT, 'dist/chunks')).map((f) => `dist/chunks/${f}`);
    expect(chunks.length).toBeGreaterThan(5);
    expect(paths).toEqual(expect.arrayContaining(chunks));
    // A budget that catches fixtures, sources or source maps slipping in (today about 1.5 MB, most
    // of it the compiled-in zod and yaml).
    expect(packed.unpackedSize).toBeLessThan(2_500_000);
  });

  it('lists as dependencies exactly what the compiled CLI imports (and its peers), nothing for build, test or deploy; ships the licence of what it compiles in', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ihs-build-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--outdir', join(out, 'dist'), '--metafile', join(out, 'meta.json')]);
      const meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as Metafile;
      const imported = externalPackages(meta);
      const deps = Object.keys(pkg.dependencies);
      expect([...imported].filter((p) => !deps.includes(p))).toEqual([]);
      // A dependency nothing imports must be a peer dependency of one that is (graphql for graphql-request).
      const peers = new Set(
        [...imported].flatMap((p) => Object.keys((JSON.parse(readFileSync(join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { peerDependencies?: object }).peerDependencies ?? {})),
      );
      expect(deps.filter((d) => !imported.has(d) && !peers.has(d))).toEqual([]);
      for (const devOnly of ['tsx', 'vitest', 'aws-cdk-lib', 'aws-cdk', 'esbuild', 'typescript', 'constructs']) {
        expect(pkg.dependencies, devOnly).not.toHaveProperty(devOnly);
      }
      // Packages compiled into dist/ (not imported at run time) carry their licence along.
      const compiledIn = new Set(Object.keys(meta.inputs).flatMap((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1] ?? []));
      expect([...compiledIn].sort()).toEqual(['yaml', 'zod']);
      const notices = await readFile(join(out, 'dist/THIRD-PARTY-LICENSES.md'), 'utf8');
      for (const name of compiledIn) {
        const meta = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; license: string };
        expect(notices).toContain(`## ${name} ${meta.version} (${meta.license})`);
      }
      expect(notices).toMatch(/Permission is hereby granted/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('compiles the CLI and the Lambda handlers from the same shared/ modules', async () => {
    // What each entry bundles from the repository, without writing anything.
    const inputsOf = (entryPoints: string[]) =>
      build({ absWorkingDir: ROOT, entryPoints, bundle: true, splitting: true, format: 'esm', platform: 'node', packages: 'external', outdir: 'unused', write: false, metafile: true, logLevel: 'silent' });
    const cli = await inputsOf(['shared/cli/bin.ts']);
    const handlers = readdirSync(join(ROOT, 'functions')).filter((f) => f.endsWith('.ts'));
    const lambda = await inputsOf(handlers.map((h) => `functions/${h}`));
    const cliInputs = Object.keys(cli.metafile.inputs);
    const lambdaInputs = Object.keys(lambda.metafile.inputs);
    expect(cliInputs.filter((f) => !f.startsWith('shared/') && f !== 'package.json')).toEqual([]);
    expect(lambdaInputs.filter((f) => !f.startsWith('shared/') && !f.startsWith('functions/'))).toEqual([]);
    // The run state machine, the steps and the core are one copy, used by both.
    for (const module of ['shared/runtime/run/dispatch.ts', 'shared/runtime/steps/plan.ts', 'shared/diff/index.ts', 'shared/config/load.ts', 'shared/mapping/index.ts']) {
      expect(cliInputs, module).toContain(module);
      expect(lambdaInputs, module).toContain(module);
    }
  });
});

describe('installed from the tarball into an empty prefix', () => {
  let work: string;
  let bin: string;
  let installed: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ihs-install-'));
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work])) as PackResult[];
    // Dependencies come from npm's cache that `npm ci` filled; the registry only if one is missing.
    npm(['install', '--global', '--prefix', join(work, 'prefix'), '--prefer-offline', join(work, packed!.filename)], work);
    bin = join(work, 'prefix/bin/infrahub-sync');
    installed = join(work, 'prefix/lib/node_modules', pkg.name);
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const run = (args: string[], cwd: string) => {
    const env = { ...process.env };
    delete env.FILE_DEMO_DESTINATION;
    const r = spawnSync(bin, args, { cwd, env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('holds the compiled CLI and the runtime dependencies only', async () => {
    expect(existsSync(bin)).toBe(true);
    expect((await readdir(installed)).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'node_modules', 'package.json']);
    const modules = await readdir(join(installed, 'node_modules'));
    for (const dep of ['commander', 'undici', 'graphql-request']) expect(modules, dep).toContain(dep);
    // zod and yaml are compiled into dist/; the rest is build, test and deploy tooling.
    for (const devOnly of ['zod', 'yaml', 'tsx', 'vitest', 'aws-cdk-lib', 'esbuild', 'typescript', '@aws-lambda-powertools']) {
      expect(modules, devOnly).not.toContain(devOnly);
    }
  });

  it('answers --version with the package version and --help with every command', () => {
    const version = run(['--version'], work);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = run(['--help'], work);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: infrahub-sync /);
    for (const command of ['list', 'validate', 'generate', 'diff', 'sync', 'apply', 'configs', 'runs']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('exits 2 on a usage or config error, with the reason on stderr', async () => {
    const usage = run(['sync', '--no-such-option'], work);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option '--no-such-option'/);
    const missing = run(['validate', '--config-file', 'nowhere.yml'], work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\.yml/);
    await writeFile(join(work, 'bad.yml'), 'name: bad\nsource: { name: file, settings: { path: . } }\ndestination: { name: file, settings: { path: . } }\ndiffsync_flags: [NOPE]\nschema_mapping: []\n');
    const bad = run(['validate', '--config-file', 'bad.yml'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yml:4:\d+: diffsync_flags\[0\]/);
  });

  it('runs a file-to-file sync, then finds nothing left to do', async () => {
    const demo = join(work, 'file-demo');
    await cp(join(ROOT, 'configs/file-demo'), demo, { recursive: true });
    const sync = run(['sync', '--config-file', 'config.yml', '--format', 'json', '--no-show-progress'], demo);
    expect(sync.stderr).toBe(`sync succeeded: created 13, updated 0, deleted 0, failed 0, skipped 0 (run ${JSON.parse(sync.stdout).runId})\nverify: converged (13 record(s) read back)\n`);
    expect(sync.code).toBe(0);
    const doc = JSON.parse(sync.stdout) as { summary: Record<string, number>; report: { applied: Record<string, number> } };
    expect(doc.summary).toMatchObject({ create: 13, update: 0, delete: 0 });
    expect(doc.report.applied.create).toBe(13);
    const devices = JSON.parse(await readFile(join(demo, 'destination/InfraDevice.json'), 'utf8')) as { name: string }[];
    expect(devices.map((d) => d.name).sort()).toEqual(['ber-edge1', 'par-core1', 'par-edge1']);

    const again = run(['diff', '--config-file', 'config.yml', '--format', 'json', '--no-show-progress'], demo);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ summary: { create: 0, update: 0, delete: 0, 'no-change': 13 }, changes: [] });
    const runs = run(['runs', 'list', '--format', 'json'], demo);
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBe(2);
  });
});

describe('the checkout', () => {
  it('runs the compiled CLI through bin/, as `npx infrahub-sync` does', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/infrahub-sync.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('says how to build when dist/ is missing (installed with --ignore-scripts)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihs-nodist-'));
    try {
      await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
      await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const r = spawnSync(process.execPath, [join(dir, 'bin/infrahub-sync.js'), '--version'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/dist\/ is missing .*npm run build/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
