// What a first-time user ran into (issue 13), each fixed: a demo folder in the checkout, a
// verbose mode that said nothing, errors said twice, test fixtures listed as configs, sides
// labelled by adapter, a 10,000-line demo, a refusal that did not say why.
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../shared/cli/io.js';
import { runDemo } from '../../demo/run-demo.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { startNautobotStandin, type NautobotStandin } from '../../standins/nautobot/server.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const ROOT = join(import.meta.dirname, '../../..');
const config = (name: string, source = 'netbox') => `name: ${name}\nsource: {name: ${source}}\ndestination: {name: infrahub}\nschema_mapping: []\n`;

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ihs-tree-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}

describe('the file demo and the checkout', () => {
  it("tests copy only the demo's config and source: a destination/ or .runs/ left by a user changes nothing", async () => {
    // A checkout where someone ran `npx infrahub-sync sync --name file-demo`.
    const checkout = await mkdtemp(join(tmpdir(), 'ihs-checkout-'));
    await cp(join(ROOT, 'configs/file-demo/config.yml'), join(checkout, 'config.yml'));
    await cp(join(ROOT, 'configs/file-demo/source'), join(checkout, 'source'), { recursive: true });
    await mkdir(join(checkout, 'destination'));
    await writeFile(join(checkout, 'destination/InfraDevice.json'), JSON.stringify([{ id: 'x', name: 'left-over' }]));
    await mkdir(join(checkout, '.runs'));
    const dir = await fileDemoCopy(checkout);
    const r = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ create: 13, delete: 0 });
  });

  it('what the demo writes in the checkout is git-ignored', async () => {
    const ignore = (await readFile(join(ROOT, '.gitignore'), 'utf8')).split('\n');
    expect(ignore).toContain('configs/file-demo/destination/');
    expect(ignore).toContain('.runs/');
  });
});

describe('--verbose says what was loaded and why anything was retried', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('a source that answers 500 now and then: each retry names the system, path, attempt and reason', async () => {
    const token = 'friction-token';
    const nautobot: NautobotStandin = await startNautobotStandin({
      dataset: generateDataset({ size: 'tiny', seed: 3 }),
      token,
      faultRate: 0.2,
      faultKinds: ['error500'],
      faultSeed: 5,
    });
    const infrahub: InfrahubStandin = await startInfrahubStandin({ schema: join(ROOT, 'configs/schemas'), token });
    stop = async () => {
      await Promise.allSettled([nautobot.stop(), infrahub.stop()]);
    };
    const env = { NAUTOBOT_ADDRESS: nautobot.url, NAUTOBOT_TOKEN: token, INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: token };
    const work = await mkdtemp(join(tmpdir(), 'ihs-verbose-'));
    const r = await runCli(['-v', 'diff', '--config-file', join(ROOT, 'configs/nautobot-to-infrahub/config.yml'), '--format', 'json'], { cwd: work, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warn: nautobot: retrying a request \(host=127\.0\.0\.1:\d+, path=\/api\/[a-z/_-]+, attempt=1, delayMs=\d+, reason=[^)]*500[^)]*\)$/m);
    // Every load: side, model, entries (with their counts when several feed a model), records, time.
    expect(r.stderr).toMatch(/^info: loaded source InfraDevice: \d+ record\(s\) from dcim\.devices in \d+ ms$/m);
    expect(r.stderr).toMatch(/^info: loaded source OrganizationGeneric: \d+ record\(s\) from [a-z.]+ \d+, [a-z.]+ \d+.* in \d+ ms$/m);
    expect(r.stderr).toMatch(/^info: loaded destination InfraDevice: 0 record\(s\) from InfraDevice in \d+ ms$/m);
    expect(r.stderr).not.toMatch(/^info: loaded$/m);
  });
});

describe('config errors', () => {
  it('are printed once each', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('operation: "!="', 'operation: "equals"'));
    const one = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
    expect(one.code).toBe(2);
    expect(one.stderr.match(/but got "equals"/g)).toHaveLength(1);
    expect(one.stderr).toMatch(/^error: .*config\.yml:\d+:\d+: schema_mapping\[2\]\.filters\[0\]\.operation/);

    await writeFile(file, text.replace('name: file-demo', 'name: file-demo\nfoo: 1\nsource_x: 2'));
    const many = await runCli(['validate', '--config-file', 'config.yml', '--strict'], { cwd: dir });
    expect(many.code).toBe(2);
    expect(many.stderr.match(/unknown key `foo`/g)).toHaveLength(1);
    expect(many.stderr.match(/unknown key `source_x`/g)).toHaveLength(1);
    expect(many.stderr.split('\n').filter(Boolean).every((l) => l.startsWith('error: '))).toBe(true);

    // One that only a run finds (an unset variable), with --verbose logging the run: still once.
    await writeFile(file, text.replace('path: ./source', 'path: ${FRICTION_UNSET_DIR}'));
    const run = await runCli(['-v', 'diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.match(/FRICTION_UNSET_DIR/g)).toHaveLength(1);
  });
});

describe('list and --name', () => {
  it('leave configs under test folders out, and say how to see them', async () => {
    const root = await tree({
      'configs/netbox/config.yml': config('netbox-to-infrahub'),
      'tests/fixtures/a/config.yml': config('from-netbox'),
      'tests/fixtures/b/config.yml': config('from-netbox'),
      'fixtures/broken/config.yml': 'name: [oops\n',
    });
    const list = await runCli(['list'], { cwd: root });
    expect(list.stdout).toBe(`netbox-to-infrahub  netbox >> infrahub  ${join(root, 'configs/netbox/config.yml')}\n`);
    expect(list.stderr).toBe('(2 more under test folders, such as tests/ and fixtures/: --include-tests lists them)\n');
    const all = await runCli(['list', '--include-tests'], { cwd: root });
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(all.stderr).toMatch(/warning: .*fixtures\/broken\/config\.yml: invalid YAML/);
    // Searching from inside a test folder lists what is there.
    const inside = await runCli(['list', '--directory', 'tests/fixtures'], { cwd: root });
    expect(inside.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('an ambiguous --name lists the candidates, one per line', async () => {
    const root = await tree({
      'tests/fixtures/a/config.yml': config('from-netbox'),
      'tests/fixtures/b/config.yml': config('from-netbox'),
    });
    const fromRoot = await runCli(['diff', '--name', 'from-netbox'], { cwd: root });
    expect(fromRoot.code).toBe(2);
    expect(fromRoot.stderr).toBe(
      `error: no sync config named "from-netbox" under ${root} outside test folders; 2 are in test folders (pick one with --config-file, or search there with --directory):\n` +
        `  ${join(root, 'tests/fixtures/a/config.yml')}\n  ${join(root, 'tests/fixtures/b/config.yml')}\n`,
    );
    const there = await runCli(['diff', '--name', 'from-netbox', '--directory', 'tests/fixtures'], { cwd: root });
    expect(there.code).toBe(2);
    expect(there.stderr).toBe(
      `error: several sync configs are named "from-netbox" under ${join(root, 'tests/fixtures')}; pick one with --config-file, or a --directory holding only one:\n` +
        `  ${join(root, 'tests/fixtures/a/config.yml')}\n  ${join(root, 'tests/fixtures/b/config.yml')}\n`,
    );
  });

  it("at this repository's root, lists no test fixture and no name twice", async () => {
    const r = await runCli(['list'], { cwd: ROOT });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.some((l) => l.includes(`${sep}tests${sep}`))).toBe(false);
    const names = lines.map((l) => l.split(/\s+/)[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['file-demo', 'nautobot-to-infrahub', 'netbox-to-infrahub']));
    expect(lines.every((l) => !relative(ROOT, l.split(/\s+/).at(-1) as string).startsWith('..'))).toBe(true);
  });
});

describe('runs show', () => {
  it('labels the sides as diff does', async () => {
    const dir = await fileDemoCopy();
    const diff = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(diff.stdout).toMatch(/^ {2}InfraDevice: par-edge1 MISSING in destination$/m);
    expect(diff.stdout).toMatch(/^ {4}serial {4}source\(abc123x\)$/m);
    const runId = /^run (\S+):/m.exec(diff.stderr)?.[1] as string;
    const shown = await runCli(['runs', 'show', runId], { cwd: dir });
    expect(shown.stdout).toMatch(/^ {2}InfraDevice: par-edge1 MISSING in destination$/m);
    expect(shown.stdout).toMatch(/^ {4}serial {4}source\(abc123x\)$/m);
    expect(shown.stdout).not.toMatch(/MISSING in file|file\(/);
  });
});

describe('the demo', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    const io: CliIO = { out: (t) => (out.stdout += t), err: (t) => (out.stderr += t), isTTY: false, env: {}, cwd: '' };
    return { out, io };
  };

  it('prints the counts per model by default and every difference with --diff', async () => {
    const quiet = capture();
    quiet.io.cwd = await mkdtemp(join(tmpdir(), 'ihs-demo-'));
    expect(await runDemo({ size: 'tiny', fullDiff: false, io: quiet.io })).toBe(0);
    expect(quiet.out.stderr).toMatch(/== infrahub-sync sync --no-diff/);
    expect(quiet.out.stdout).not.toMatch(/MISSING in/);
    expect(quiet.out.stdout).toMatch(/^InfraDevice +5 +0 +0 +0 +0$/m);
    // The second run (a diff) finds nothing: no change lines either.
    expect(quiet.out.stdout).toMatch(/^create=0 update=0 delete=0 no-change=150 skip=0$/m);
    expect(quiet.out.stdout.split('\n').length).toBeLessThan(80);

    const full = capture();
    full.io.cwd = await mkdtemp(join(tmpdir(), 'ihs-demo-'));
    expect(await runDemo({ size: 'tiny', fullDiff: true, io: full.io })).toBe(0);
    expect(full.out.stdout).toMatch(/^ {2}InfraDevice: \S+ MISSING in infrahub$/m);
    expect(full.out.stdout.split('\n').length).toBeGreaterThan(500);
  });
});
