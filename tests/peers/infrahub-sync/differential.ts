// Differential check against the reference tool (test tooling, not npm test): infrahub-sync
// 2.0.1 (Python, installed by setup.sh) and this project's CLI run the same config from the same
// source stand-in, each into a fresh Infrahub stand-in loaded with configs/schemas; both final
// states are dumped with ids replaced by keys and every difference is listed.
//
// Usage: npx tsx tests/peers/infrahub-sync/differential.ts --config <config.yml>
//          [--preset nautobot-v2-full] [--size tiny|small] [--seed 7] [--no-account] [--out dir]
// The config's source adapter (nautobot | netbox) picks the source stand-in. infrahub-sync runs
// a second time too, and the changes it then attempts are counted (does it converge?); the dump
// is taken after that second run, ours after its first (our second run is a diff). Each tool writes
// lineage to the CoreAccount named after the source adapter, created in both stand-ins unless
// --no-account. Exit 0 when the two states are identical, 1 when they differ, 2 on a tool error.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { CliIO } from '../../../shared/cli/io.js';
import { main as ourCli } from '../../../shared/cli/main.js';
import { generateDataset, type DatasetSize } from '../../standins/dataset/index.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { graphql } from '../infrahub/peer-env.js';
import { peerDir } from '../peer-dir.js';
import { compareDumps, configIdentifiers, dumpInfrahub, type DumpDifference } from './dump.js';
import { PRESETS } from './presets.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'differential-token';
const VENV = process.env.INFRAHUB_SYNC_VENV ?? join(peerDir('infrahub-sync', undefined), 'venv');

interface Args {
  config: string;
  preset?: string;
  size: DatasetSize;
  seed: number;
  account: boolean;
  out: string;
}

function args(): Args {
  const a = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const config = get('config');
  if (!config) {
    console.error('usage: differential.ts --config <config.yml> [--preset name] [--size tiny|small] [--seed n] [--no-account] [--out dir]');
    process.exit(2);
  }
  return {
    config: resolve(config),
    preset: get('preset'),
    size: (get('size') ?? 'tiny') as DatasetSize,
    seed: Number(get('seed') ?? 7),
    account: !a.includes('--no-account'),
    out: resolve(get('out') ?? mkdtempSync(join(tmpdir(), 'differential-'))),
  };
}

interface Config {
  name: string;
  source: { name: string; settings?: Record<string, unknown> };
  destination: { name: string; settings?: Record<string, unknown> };
  order?: string[];
  schema_mapping?: { name: string; identifiers?: string[] }[];
}

/** The config text with the preset's edits (each must match once), then addresses and tokens set. */
function configFor(text: string, preset: string | undefined, sourceUrl: string, infrahubUrl: string): { text: string; config: Config } {
  let t = text;
  for (const [from, to] of preset ? (PRESETS[preset] ?? []) : []) {
    const at = t.indexOf(from);
    if (at < 0 || t.indexOf(from, at + 1) >= 0) throw new Error(`preset ${preset}: edit must match exactly once: ${from}`);
    t = t.replace(from, to);
  }
  const config = parse(t) as Config;
  config.source.settings = { ...config.source.settings, url: sourceUrl, token: TOKEN };
  config.destination.settings = { ...config.destination.settings, url: infrahubUrl, token: TOKEN };
  return { text: stringify(config), config };
}

async function createAccount(infrahub: InfrahubStandin, name: string): Promise<void> {
  const r = await graphql({ url: infrahub.url, token: TOKEN }, 'mutation($n: String!) { CoreAccountCreate(data: {name: {value: $n}, password: {value: "unused-x"}}) { ok } }', { n: name });
  if (JSON.stringify(r.body).includes('errors')) throw new Error(`creating account ${name}: ${JSON.stringify(r.body)}`);
}

/** One process, asynchronously: the stand-ins it talks to run in this process's event loop. */
function exec(bin: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; log: string }> {
  return new Promise((done, fail) => {
    const child = spawn(bin, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 2, log }));
  });
}

/** Runs infrahub-sync generate + sync in `dir`; the env carries no address (the config has it). */
async function runInfrahubSync(dir: string): Promise<{ code: number; seconds: number; log: string }> {
  const bin = join(VENV, 'bin/infrahub-sync');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run tests/peers/infrahub-sync/setup.sh`);
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
  const started = Date.now();
  const gen = await exec(bin, ['generate', '--config-file', 'config.yml'], dir, env);
  if (gen.code !== 0) return { code: gen.code, seconds: (Date.now() - started) / 1000, log: gen.log };
  const sync = await exec(bin, ['sync', '--config-file', 'config.yml', '--no-diff', '--no-show-progress'], dir, env);
  return { code: sync.code, seconds: (Date.now() - started) / 1000, log: gen.log + sync.log };
}

async function runOurs(dir: string, mode: 'sync' | 'diff'): Promise<{ code: number; seconds: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => (stdout += t), err: (t) => (stderr += t), isTTY: false, env: { PATH: process.env.PATH ?? '' }, cwd: dir };
  const started = Date.now();
  const code = await ourCli(['node', 'infrahub-sync', mode, '--config-file', join(dir, 'config.yml'), '--format', 'json', '--no-show-progress', '--store', join(dir, 'runs')], io);
  return { code, seconds: (Date.now() - started) / 1000, stdout, stderr };
}

/** Differences grouped by model, kind of difference and field, with a count and up to 3 examples. */
function summarise(diffs: DumpDifference[]): { model: string; what: string; field?: string; count: number; examples: DumpDifference[] }[] {
  const groups = new Map<string, { model: string; what: string; field?: string; count: number; examples: DumpDifference[] }>();
  for (const d of diffs) {
    const id = `${d.model}|${d.what}|${d.field ?? ''}`;
    const g = groups.get(id) ?? { model: d.model, what: d.what, ...(d.field ? { field: d.field } : {}), count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(d);
    groups.set(id, g);
  }
  return [...groups.values()];
}

async function main(): Promise<void> {
  const a = args();
  mkdirSync(a.out, { recursive: true });
  const raw = readFileSync(a.config, 'utf8');
  const system = (parse(raw) as Config).source.name;
  if (system !== 'nautobot' && system !== 'netbox') throw new Error(`source adapter ${system}: only nautobot and netbox have stand-ins`);
  const dataset = generateDataset({ size: a.size, seed: a.seed });
  const source = system === 'nautobot' ? await startNautobotStandin({ dataset, token: TOKEN }) : await startNetboxStandin({ dataset, token: TOKEN });
  const schema = join(ROOT, 'configs/schemas');
  const theirs = await startInfrahubStandin({ schema, token: TOKEN });
  const ours = await startInfrahubStandin({ schema, token: TOKEN });
  try {
    if (a.account) for (const ih of [theirs, ours]) await createAccount(ih, system);
    const dirs = { theirs: join(a.out, 'infrahub-sync'), ours: join(a.out, 'ours') };
    const cfgTheirs = configFor(raw, a.preset, source.url, theirs.url);
    const cfgOurs = configFor(raw, a.preset, source.url, ours.url);
    for (const [dir, c] of [[dirs.theirs, cfgTheirs], [dirs.ours, cfgOurs]] as const) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.yml'), c.text);
    }
    const ref = await runInfrahubSync(dirs.theirs);
    writeFileSync(join(a.out, 'infrahub-sync.log'), ref.log);
    // Its second run, to see whether it converges: the changes it attempts, from its log.
    const refAgain = await exec(join(VENV, 'bin/infrahub-sync'), ['sync', '--config-file', 'config.yml', '--no-diff', '--no-show-progress'], dirs.theirs, {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
    });
    writeFileSync(join(a.out, 'infrahub-sync-second-run.log'), refAgain.log);
    const attempted = (action: string): number => refAgain.log.split(`Attempting model ${action}`).length - 1;
    const refError = /^ERROR \| .*$/m.exec(refAgain.log)?.[0] ?? null;
    const refSecond = { exit: refAgain.code, create: attempted('create'), update: attempted('update'), delete: attempted('delete'), error: refError };
    const mine = await runOurs(dirs.ours, 'sync');
    writeFileSync(join(a.out, 'ours.json'), mine.stdout);
    writeFileSync(join(a.out, 'ours.stderr'), mine.stderr);
    const again = await runOurs(dirs.ours, 'diff');
    const againDoc = JSON.parse(again.stdout || '{}') as { summary?: Record<string, number> };

    const models = [...new Set(cfgOurs.config.order ?? [])];
    const ids = configIdentifiers(cfgOurs.config);
    const dumpTheirs = await dumpInfrahub({ url: theirs.url, token: TOKEN }, models, ids);
    const dumpOurs = await dumpInfrahub({ url: ours.url, token: TOKEN }, models, ids);
    writeFileSync(join(a.out, 'dump-infrahub-sync.json'), JSON.stringify(dumpTheirs, null, 1));
    writeFileSync(join(a.out, 'dump-ours.json'), JSON.stringify(dumpOurs, null, 1));
    const diffs = compareDumps(dumpTheirs, dumpOurs);
    const summary = summarise(diffs);
    const report = {
      config: a.config,
      preset: a.preset ?? null,
      dataset: { size: a.size, seed: a.seed },
      infrahubSync: { exit: ref.code, seconds: ref.seconds, nodes: Object.fromEntries(Object.entries(dumpTheirs).map(([k, v]) => [k, v.length])), secondRun: refSecond },
      ours: { exit: mine.code, seconds: mine.seconds, nodes: Object.fromEntries(Object.entries(dumpOurs).map(([k, v]) => [k, v.length])), secondRun: againDoc.summary ?? null },
      differences: diffs.length,
      summary,
    };
    writeFileSync(join(a.out, 'differences.json'), JSON.stringify({ report, differences: diffs }, null, 1));
    console.log(`infrahub-sync 2.0.1: exit ${ref.code} in ${ref.seconds.toFixed(1)} s, second run attempts ${JSON.stringify(refSecond)}`);
    console.log(`ours: exit ${mine.code} in ${mine.seconds.toFixed(1)} s, second run ${JSON.stringify(againDoc.summary ?? null)}`);
    console.log(`nodes (a = infrahub-sync, b = ours):`);
    for (const m of models) console.log(`  ${m}: a=${dumpTheirs[m]?.length ?? 0} b=${dumpOurs[m]?.length ?? 0}`);
    console.log(`${diffs.length} differences in ${summary.length} groups:`);
    for (const g of summary) console.log(`  ${g.model} ${g.what}${g.field ? ` ${g.field}` : ''}: ${g.count}  e.g. ${JSON.stringify(g.examples[0]).slice(0, 300)}`);
    console.log(`details: ${a.out}`);
    process.exitCode = ref.code !== 0 || mine.code > 1 ? 2 : diffs.length === 0 ? 0 : 1;
  } finally {
    await Promise.allSettled([source.stop(), theirs.stop(), ours.stop()]);
  }
}

await main();
