// The convergence check against a real Infrahub (test tooling, not npm test): one sync with a
// config, then a diff that must find nothing to do, then every synced model read back with ids
// replaced by keys: no two nodes may share a key, and no change may have failed.
//
// Usage: npx tsx tests/peers/infrahub/converge.ts [--config configs/nautobot-to-infrahub/config.yml]
//          [--source standin --size small --seed 3 | --source real] [--account] [--branch B] [--out dir]
// --source standin serves a generated dataset from the config's source adapter stand-in;
// --source real reads the source from NAUTOBOT_ADDRESS/NAUTOBOT_TOKEN or NETBOX_ADDRESS/NETBOX_TOKEN
// (e.g. the NetBox peer with the demo data). The destination is the Infrahub of peer-env.ts.
// --account creates the CoreAccount named after the source adapter first (lineage source/owner).
// --branch B syncs into branch B (created when missing), so runs do not see each other's data.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CliIO } from '../../../shared/cli/io.js';
import { main as ourCli } from '../../../shared/cli/main.js';
import { generateDataset, type DatasetSize } from '../../standins/dataset/index.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { compareDumps, configIdentifiers, dumpInfrahub } from '../infrahub-sync/dump.js';
import { graphql, peerFromEnv } from './peer-env.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function opt(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Config {
  source: { name: string };
  order?: string[];
  schema_mapping?: { name: string; identifiers?: string[] }[];
}

async function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; doc: Record<string, unknown>; stderr: string; seconds: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => (stdout += t), err: (t) => (stderr += t), isTTY: false, env, cwd };
  const started = Date.now();
  const code = await ourCli(['node', 'infrahub-sync', ...args, '--format', 'json', '--no-show-progress', '--store', join(cwd, 'runs')], io);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    doc = { unparsed: stdout.slice(0, 2000) };
  }
  return { code, doc, stderr, seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const configFile = resolve(opt('config', join(ROOT, 'configs/nautobot-to-infrahub/config.yml')) as string);
  const sourceMode = opt('source', 'standin');
  const out = resolve(opt('out') ?? mkdtempSync(join(tmpdir(), 'converge-')));
  mkdirSync(out, { recursive: true });
  const config = parse(readFileSync(configFile, 'utf8')) as Config;
  const system = config.source.name;
  const upper = system.toUpperCase();
  const peer = peerFromEnv();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', INFRAHUB_ADDRESS: peer.url, INFRAHUB_API_TOKEN: peer.token };
  let stop = async (): Promise<void> => {};
  if (sourceMode === 'standin') {
    const dataset = generateDataset({ size: (opt('size', 'small') as DatasetSize) ?? 'small', seed: Number(opt('seed', '3')) });
    const token = 'converge-token';
    const source = system === 'nautobot' ? await startNautobotStandin({ dataset, token }) : await startNetboxStandin({ dataset, token });
    env[`${upper}_ADDRESS`] = source.url;
    env[`${upper}_TOKEN`] = token;
    stop = () => source.stop();
  } else {
    for (const k of [`${upper}_ADDRESS`, `${upper}_TOKEN`]) {
      if (!process.env[k]) throw new Error(`--source real needs ${k}`);
      env[k] = process.env[k];
    }
  }
  try {
    if (process.argv.includes('--account')) {
      const r = await graphql(peer, 'mutation($n: String!) { CoreAccountUpsert(data: {name: {value: $n}, password: {value: "unused-converge"}, account_type: {value: "Script"}}) { ok } }', { n: system });
      if (JSON.stringify(r.body).includes('"errors"')) console.error(`account ${system}: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    const branch = opt('branch');
    if (branch) {
      const r = await graphql(peer, 'mutation($n: String!) { BranchCreate(data: {name: $n}) { ok } }', { n: branch });
      if (JSON.stringify(r.body).includes('"errors"') && !JSON.stringify(r.body).includes('already exist')) throw new Error(`branch ${branch}: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    const onBranch = branch ? ['--branch', branch] : [];
    const sync = await cli(['sync', '--config-file', configFile, ...onBranch], env, out);
    writeFileSync(join(out, 'sync.json'), JSON.stringify(sync.doc, null, 1));
    writeFileSync(join(out, 'sync.stderr'), sync.stderr);
    const diff = await cli(['diff', '--config-file', configFile, ...onBranch], env, out);
    writeFileSync(join(out, 'diff.json'), JSON.stringify(diff.doc, null, 1));
    writeFileSync(join(out, 'diff.stderr'), diff.stderr);
    const models = [...new Set(config.order ?? [])];
    const dump = await dumpInfrahub(peer, models, configIdentifiers(config), branch ?? 'main');
    writeFileSync(join(out, 'dump.json'), JSON.stringify(dump, null, 1));
    const duplicates = compareDumps(dump, {}).filter((d) => d.what === 'duplicate');
    const report = sync.doc.report as { failures?: { model: string; key: string; message: string }[]; applied?: Record<string, number>; status?: string } | undefined;
    const summary = {
      config: configFile,
      source: sourceMode,
      branch: branch ?? 'main',
      sync: { exit: sync.code, seconds: sync.seconds, summary: sync.doc.summary ?? null, status: report?.status ?? null, failures: report?.failures?.length ?? null },
      diffAfter: {
        exit: diff.code,
        seconds: diff.seconds,
        summary: diff.doc.summary ?? null,
        changes: ((diff.doc.changes as unknown[] | undefined) ?? []).length,
        error: /^error: .*$/m.exec(diff.stderr)?.[0]?.slice(0, 500) ?? null,
      },
      nodes: Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length])),
      duplicates,
    };
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 1));
    console.log(JSON.stringify(summary, null, 1));
    const failures = (report?.failures ?? []).slice(0, 10).map((f) => `  ${f.model} ${f.key}: ${f.message}`);
    if (failures.length > 0) console.log(`first failures:\n${failures.join('\n')}`);
    const converged = sync.code === 0 && diff.code === 0 && summary.diffAfter.changes === 0 && duplicates.length === 0;
    console.log(converged ? 'CONVERGED: second run finds nothing to do, no duplicate keys' : 'NOT CONVERGED');
    process.exitCode = converged ? 0 : 1;
  } finally {
    await stop();
  }
}

await main();
