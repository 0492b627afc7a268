// infrahub-sync's commands and options (1.0 to 2.0.1), as its users' scripts and cron lines give
// them, each doing what the README's table says.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { withContinueOnFailure } from '../../../shared/cli/commands/run.js';
import type { CliIO } from '../../../shared/cli/io.js';
import { buildProgram } from '../../../shared/cli/main.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { runLocal, startLocalRuntime } from '../../../shared/runtime/local/index.js';
import { startRun } from '../../../shared/runtime/run/start.js';
import type { RunEvent } from '../../../shared/runtime/run/types.js';
import { destinationState, fileDemo, writeDestination } from '../../helpers/file-demo.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const UPSTREAM = JSON.parse(
  await readFile(join(import.meta.dirname, '../../fixtures/infrahub-sync-cli/options.json'), 'utf8'),
) as { global: string[]; commands: Record<string, string[]> };
const README = await readFile(join(import.meta.dirname, '../../../README.md'), 'utf8');

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { summary: Record<string, number>; runId: string };
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>[];

async function editConfig(dir: string, from: string, to: string): Promise<void> {
  const file = join(dir, 'config.yml');
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`config has no ${from}`);
  await writeFile(file, text.replace(from, to));
}

describe("infrahub-sync's command line", () => {
  it('every command and option of infrahub-sync 1.x and 2.0 is one of ours, and the README table maps it', () => {
    const io: CliIO = { out: () => {}, err: () => {}, isTTY: false, env: {}, cwd: tmpdir() };
    const program = buildProgram(io, () => {});
    const flags = (options: readonly { long?: string; short?: string }[]) => new Set(options.flatMap((o) => [o.long, o.short]));
    const global = flags(program.options);
    global.add('--help');
    const table = README.slice(README.indexOf("### infrahub-sync's commands and options here"), README.indexOf('### Output'));
    const missing: string[] = [];
    for (const flag of UPSTREAM.global) {
      if (!global.has(flag)) missing.push(`global ${flag}`);
      if (flag !== '--help' && !table.includes(`\`${flag}`) && !table.includes(` ${flag}`)) missing.push(`README: ${flag}`);
    }
    for (const [name, options] of Object.entries(UPSTREAM.commands)) {
      const cmd = program.commands.find((c) => c.name() === name);
      if (!cmd) {
        missing.push(`command ${name}`);
        continue;
      }
      if (!table.includes(`| \`${name}\``)) missing.push(`README: command ${name}`);
      const own = flags(cmd.options);
      for (const flag of options) {
        if (flag !== '--help' && !own.has(flag) && !global.has(flag)) missing.push(`${name} ${flag}`);
        if (flag !== '--help' && !table.includes(flag)) missing.push(`README: ${name} ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('generate validates the config and says there is nothing to generate (exit 0); a broken config is exit 2', async () => {
    const dir = await fileDemoCopy();
    const ok = await runCli(['generate', '--config-file', 'config.yml', '--branch', 'main', '--adapter-path', 'adapters'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/config "file-demo" is valid/);
    expect(ok.stderr).toMatch(/nothing to generate/);
    expect(ok.stderr).toMatch(/--adapter-path adapters: Python adapters cannot run/);
    await editConfig(dir, 'operation: "!="', 'operation: "equals"');
    const bad = await runCli(['generate', '--config-file', 'config.yml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/operation: expected one of/);
  });

  it('diff --run-id R, then apply --run-id R applies that plan; the next run finds nothing to do', async () => {
    const dir = await fileDemoCopy();
    const diff = await runCli(['diff', '--config-file', 'config.yml', '--run-id', 'review-1'], { cwd: dir });
    expect(diff.code).toBe(0);
    expect(diff.stderr).toMatch(/run review-1: apply exactly this plan with `infrahub-sync apply --run-id review-1`/);
    const again = await runCli(['diff', '--config-file', 'config.yml', '--run-id', 'review-1'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/run review-1 of file-demo is in the run history already/);
    expect((await runCli(['diff', '--config-file', 'config.yml', '--run-id', '../up'], { cwd: dir })).code).toBe(2);

    const apply = await runCli(['apply', '--config-file', 'config.yml', '--run-id', 'review-1'], { cwd: dir });
    expect(apply.stderr).toMatch(/sync succeeded: created 13, updated 0, deleted 0/);
    expect(apply.code).toBe(0);
    // As infrahub-sync's apply, no diff: the counts per model only.
    expect(apply.stdout).not.toMatch(/MISSING/);
    expect(apply.stdout).toMatch(/^InfraDevice\s+3\s+0\s+0\s+0\s+0$/m);
    expect((await readJson(join(dir, 'destination/InfraDevice.json'))).map((d) => d.name).sort()).toEqual(['ber-edge1', 'par-core1', 'par-edge1']);

    const second = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(json(second.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 13 });
    expect((await readJson(join(dir, 'destination/InfraDevice.json'))).length).toBe(3);

    const unknown = await runCli(['apply', '--config-file', 'config.yml', '--run-id', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run nope of file-demo/);
    expect((await runCli(['apply', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(2);
  });

  it('sync prints every difference by default (--diff), only the counts per model with --no-diff', async () => {
    const dir = await fileDemoCopy();
    const first = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ {2}InfraDevice: par-edge1 MISSING in destination$/m);
    expect(first.stdout).toMatch(/^ {4}serial {4}source\(abc123x\)$/m);
    expect(first.stdout).toMatch(/^create=13 update=0 delete=0 no-change=0 skip=0$/m);

    const dir2 = await fileDemoCopy();
    const quiet = await runCli(['sync', '--config-file', 'config.yml', '--no-diff'], { cwd: dir2 });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/MISSING|source\(/);
    expect(quiet.stdout.trimEnd().split('\n')).toEqual([
      'model               create  update  delete  no-change  skip',
      'BuiltinTag               3       0       0          0     0',
      'LocationGeneric          3       0       0          0     0',
      'InfraDevice              3       0       0          0     0',
      'InfraInterfaceL2L3       4       0       0          0     0',
      'create=13 update=0 delete=0 no-change=0 skip=0',
    ]);
    const second = await runCli(['sync', '--config-file', 'config.yml', '--no-diff'], { cwd: dir2 });
    expect(second.stdout).toMatch(/^create=0 update=0 delete=0 no-change=13 skip=0$/m);
  });

  it('--continue-on-error sets CONTINUE_ON_FAILURE for the run, and an empty flag list still means no deletes', async () => {
    const dir = await fileDemoCopy();
    await editConfig(dir, 'diffsync_flags: ["NONE"]', 'diffsync_flags: []');
    await mkdir(join(dir, 'destination'));
    await writeFile(join(dir, 'destination/BuiltinTag.json'), JSON.stringify([{ id: 'x', name: 'stale', description: '' }]));
    const r = await runCli(['sync', '--config-file', 'config.yml', '--continue-on-error', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc.summary).toMatchObject({ create: 13, delete: 0, skip: 1 });
    const stored = JSON.parse(await readFile(join(dir, '.runs/runs/file-demo', doc.runId, 'config.json'), 'utf8'));
    expect(stored.config.diffsync_flags).toEqual(['SKIP_UNMATCHED_DST', 'CONTINUE_ON_FAILURE']);
    expect((await readJson(join(dir, 'destination/BuiltinTag.json'))).map((t) => t.name)).toContain('stale');

    const plain = await runCli(['sync', '--config-file', 'config.yml', '--no-continue-on-error', '--format', 'json'], { cwd: dir });
    const storedPlain = JSON.parse(await readFile(join(dir, '.runs/runs/file-demo', json(plain.stdout).runId, 'config.json'), 'utf8'));
    expect(storedPlain.config.diffsync_flags).toEqual([]);
  });

  it('with --continue-on-error a failed change stops only what depends on it', async () => {
    // paris exists with another type: the plan updates it; the file vanishes once the plan is
    // made, and the file adapter fails an update of a record it cannot find.
    const outcomes: Record<string, number> = {};
    for (const cont of [false, true]) {
      const demo = await fileDemo();
      await writeDestination(demo.destination, 'LocationGeneric', [{ id: 'ghost', name: 'paris', type: 'Old', parent: 'europe' }]);
      const loaded = cont ? withContinueOnFailure(demo.loaded) : demo.loaded;
      const r = await runLocal({
        loaded,
        mode: 'sync',
        store: await mkdtemp(join(tmpdir(), 'runs-')),
        env: demo.env,
        onEvent: (e) => {
          if (e.type === 'planned') rmSync(join(demo.destination, 'LocationGeneric.json'));
        },
      });
      expect(r.report.failures).toEqual([expect.objectContaining({ model: 'LocationGeneric', key: 'paris', action: 'update' })]);
      outcomes[String(cont)] = r.report.applied.create;
    }
    // Without the flag the run stops after the failed stage; with it, the creates go on.
    expect(outcomes.true).toBeGreaterThan(outcomes.false as number);
  });

  it('--adapter-path (repeatable) is accepted and said to be unused; --no-full-extract is said to read everything', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(
      ['diff', '--config-file', 'config.yml', '--adapter-path', 'a', '--adapter-path', 'b', '--no-full-extract', '--format', 'json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --adapter-path a, b: Python adapters cannot run in this tool.*built-in file and file adapters/);
    expect(r.stderr).toMatch(/warning: --no-full-extract: incremental extraction is not available in this tool; this run reads every record/);
    expect(json(r.stdout).warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^--adapter-path a, b/)]));
    expect(json(r.stdout).summary.create).toBe(13);
  });

  it('--parallel, --no-parallel, --full-extract, --concurrent-load and --no-concurrent-load are accepted', async () => {
    const dir = await fileDemoCopy();
    for (const opt of ['--parallel', '--no-parallel', '--full-extract', '--concurrent-load', '--no-concurrent-load']) {
      const cmd = opt.includes('parallel') ? 'sync' : 'diff';
      const r = await runCli([cmd, '--config-file', 'config.yml', opt, '--dry-run'].filter((a) => cmd === 'sync' || a !== '--dry-run'), { cwd: dir });
      expect(r.stderr).not.toMatch(/unknown option|warning/);
      expect(r.code).toBe(0);
    }
  });

  it('--no-concurrent-load loads one (side, model) at a time; the default several', async () => {
    const inFlight: Record<string, number> = {};
    for (const loadWorkers of [1, undefined]) {
      const demo = await fileDemo();
      let now = 0;
      let most = 0;
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      const rt = startLocalRuntime({
        store: new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'runs-'))),
        env: demo.env,
        loadWorkers,
        onEvent: (e: RunEvent) => {
          if (e.type === 'finished') done();
        },
        wrap: (kind, handler) => async (event: SQSEvent): Promise<SQSBatchResponse | void> => {
          if (kind !== 'load') return handler(event);
          most = Math.max(most, ++now);
          // Long enough for the other workers to pick up their messages meanwhile.
          await new Promise((r) => setTimeout(r, 30));
          try {
            return await handler(event);
          } finally {
            now--;
          }
        },
      });
      try {
        await startRun(rt.deps, { loaded: demo.loaded, mode: 'diff', trigger: { kind: 'cli' } });
        await finished;
      } finally {
        await rt.stop();
      }
      inFlight[String(loadWorkers)] = most;
    }
    expect(inFlight['1']).toBe(1);
    expect(inFlight.undefined).toBeGreaterThan(1);
  });

  it('--allow-rowcount-drop is --force: the refused plan is applied; --no-allow-rowcount-drop keeps the guardrail', async () => {
    const dir = await fileDemoCopy();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'source/dcim.interfaces.json'), '[]');
    const kept = await runCli(['sync', '--config-file', 'config.yml', '--no-allow-rowcount-drop'], { cwd: dir });
    expect(kept.code).toBe(1);
    expect((await readJson(join(dir, 'destination/InfraInterfaceL2L3.json'))).length).toBe(4);
    const dropped = await runCli(['sync', '--config-file', 'config.yml', '--allow-rowcount-drop', '--format', 'json'], { cwd: dir });
    expect(dropped.code).toBe(0);
    expect(json(dropped.stdout).summary.delete).toBe(4);
    expect(await readJson(join(dir, 'destination/InfraInterfaceL2L3.json'))).toEqual([]);
  });

  it('-v and --verbose before or after the command, and --verbosity verbose, say what was loaded', async () => {
    const dir = await fileDemoCopy();
    for (const args of [['-v', 'diff'], ['diff', '--verbose'], ['--verbosity', 'verbose', 'diff'], ['diff', '-v']]) {
      const r = await runCli([...args, '--config-file', 'config.yml'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^info: loaded source InfraDevice: 4 record\(s\) from dcim\.devices in \d+ ms$/m);
      expect(r.stderr).toMatch(/^info: loaded destination InfraDevice: 0 record\(s\) from InfraDevice in \d+ ms$/m);
    }
    const plain = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(plain.stderr).not.toMatch(/^info:/m);
  });

  it('-q and --verbosity quiet: no progress, no result line, but warnings; stdout unchanged', async () => {
    const dir = await fileDemoCopy();
    const loud = await runCli(['sync', '--config-file', 'config.yml', '--adapter-path', 'x'], { cwd: dir });
    for (const args of [['-q'], ['--verbosity', 'quiet'], ['--quiet']]) {
      const dir2 = await fileDemoCopy();
      const r = await runCli([...args, 'sync', '--config-file', 'config.yml', '--adapter-path', 'x'], { cwd: dir2 });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/^loaded |sync succeeded|apply exactly/m);
      expect(r.stderr).toMatch(/^warning: --adapter-path x/m);
      expect(r.stdout).toBe(loud.stdout);
    }
    expect(loud.stderr).toMatch(/sync succeeded/);
  });

  it('--install-completion and --show-completion are accepted (exit 0, saying so); no command prints the help', async () => {
    for (const opt of ['--install-completion', '--show-completion']) {
      const r = await runCli([opt], { cwd: tmpdir() });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/shell completion is not provided/);
    }
    const bare = await runCli([], { cwd: tmpdir() });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: infrahub-sync \[options\] \[command\]/);
    const typo = await runCli(['snyc'], { cwd: tmpdir() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'snyc' \(did you mean 'sync'\?\)/);
  });

  it('a relative --config-file is inside --directory, as infrahub-sync takes it', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(['diff', '--directory', dir, '--config-file', 'config.yml', '--format', 'json'], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(json(r.stdout).summary.create).toBe(13);
  });

  it('list shows name, source >> destination and file, as infrahub-sync', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(['list', '--directory', dir], { cwd: tmpdir() });
    expect(r.stdout).toBe(`file-demo  file >> file  ${join(dir, 'config.yml')}\n`);
  });

  it('a second run of every command path leaves no duplicates in the destination', async () => {
    const dir = await fileDemoCopy();
    await runCli(['sync', '--config-file', 'config.yml', '--continue-on-error'], { cwd: dir });
    await runCli(['sync', '--config-file', 'config.yml', '--continue-on-error'], { cwd: dir });
    const state = await destinationState(join(dir, 'destination'));
    for (const [kind, records] of Object.entries(state)) {
      const keys = records.map((r) => JSON.stringify([r.name, r.device]));
      expect(new Set(keys).size, kind).toBe(keys.length);
    }
    expect(state.InfraInterfaceL2L3).toHaveLength(4);
  });
});
