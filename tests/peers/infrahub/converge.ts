// The convergence check against a real Infrahub (test tooling, not npm test): one sync with a
// config, then a diff that must find nothing to do, then every synced model read back with ids
// replaced by keys: no two nodes may share a key, and no change may have failed.
//
// Usage: npx tsx tests/peers/infrahub/converge.ts [--config configs/nautobot-to-infrahub/config.yml]
//          [--source standin --size small --seed 3 | --source real] [--account] [--branch B] [--out dir]
// --source standin serves a generated dataset from the config's source adapter stand-in;
// --source real reads the source from NAUTOBOT_ADDRESS/NAUTOBOT_TOKEN or NETBOX_ADDRESS/NETBOX_TOKEN
// (e.g. the NetBox peer with the demo data). The destination is the Infrahub of peer-env.ts.
// --account creates the CoreAccount named after the source adapter first (lineage source/owner),
// and the check then requires every mapped field the sync wrote to carry that account as source
// and owner with is_protected (read back from the server).
// --branch B syncs into branch B (created when missing), so runs do not see each other's data.
// --force is passed to the first sync(s) (a refusal of keys that cannot round-trip must hold).
// --lose-responses R puts lossy-proxy.ts between the syncs and Infrahub: a share R of mutation
// responses is lost after the server applied the write; syncs repeat (at most --max-syncs, 8)
// until one succeeds with its read-back converged. After the first sync (or the first that
// succeeded), a diff and a second sync, both direct, must find nothing to do.
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
import { compareDumps, configIdentifiers, dumpInfrahub, type Dump } from '../infrahub-sync/dump.js';
import { startLossyProxy, type LossyProxy } from './lossy-proxy.js';
import { graphql, peerFromEnv } from './peer-env.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function opt(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Config {
  source: { name: string };
  order?: string[];
  schema_mapping?: { name: string; identifiers?: string[]; fields?: { name: string }[] }[];
}

interface LineageCheck {
  expected: string;
  fieldsWithLineage: number;
  without: { model: string; field: string; lineage: string; count: number }[];
}

/** Every mapped field a node holds (attributes, and relationships that have a peer) must carry
 *  `expected` (`<source label>/<owner label>/true`); fields no mapping writes are not counted.
 *  Where several entries fill one model (OrganizationGeneric from tenants, manufacturers and
 *  providers), a field only some of them map is not required: the dump cannot tell which entry
 *  wrote a node. */
function checkLineage(dump: Dump, config: Config, expected: string, readOnly: Map<string, Set<string>>): LineageCheck {
  const mapped = new Map<string, Set<string>>();
  for (const e of config.schema_mapping ?? []) {
    // A read-only field (InfraIPAddress.ip_prefix) is the server's to fill; nothing writes lineage on it.
    const fields = new Set((e.fields ?? []).map((f) => f.name).filter((f) => !readOnly.get(e.name)?.has(f)));
    const before = mapped.get(e.name);
    mapped.set(e.name, before ? new Set([...before].filter((f) => fields.has(f))) : fields);
  }
  let fieldsWithLineage = 0;
  const without = new Map<string, { model: string; field: string; lineage: string; count: number }>();
  for (const [model, nodes] of Object.entries(dump)) {
    for (const node of nodes) {
      for (const [lineage, fields] of Object.entries(node.lineage)) {
        for (const f of fields) {
          const field = f.split('[')[0] ?? f;
          if (!mapped.get(model)?.has(field)) continue;
          // An IPAM node written without a namespace is put in the server's default one
          // (IpamNamespace "default"): that edge is the server's, so it has no lineage.
          if (String(node.fields[field]).startsWith('IpamNamespace:')) continue;
          if (lineage === expected) fieldsWithLineage++;
          else {
            const k = `${model}.${field}.${lineage}`;
            const hit = without.get(k) ?? { model, field, lineage, count: 0 };
            hit.count++;
            without.set(k, hit);
          }
        }
      }
    }
  }
  return { expected, fieldsWithLineage, without: [...without.values()] };
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
    const lostRate = Number(opt('lose-responses', '0'));
    let proxy: LossyProxy | undefined;
    if (lostRate > 0) proxy = await startLossyProxy(peer.url, lostRate, Number(opt('fault-seed', '5')));
    const attempts: Record<string, unknown>[] = [];
    let sync: Awaited<ReturnType<typeof cli>>;
    try {
      const maxSyncs = proxy ? Number(opt('max-syncs', '8')) : 1;
      for (let i = 1; ; i++) {
        sync = await cli(['sync', '--config-file', configFile, ...onBranch, ...(process.argv.includes('--force') ? ['--force'] : [])], proxy ? { ...env, INFRAHUB_ADDRESS: proxy.url } : env, out);
        writeFileSync(join(out, `sync-${i}.json`), JSON.stringify(sync.doc, null, 1));
        writeFileSync(join(out, `sync-${i}.stderr`), sync.stderr);
        const rep = sync.doc.report as { status?: string; applied?: unknown; failed?: number; verify?: { converged?: boolean } } | undefined;
        attempts.push({
          exit: sync.code,
          seconds: sync.seconds,
          status: rep?.status ?? null,
          summary: sync.doc.summary ?? null,
          applied: rep?.applied ?? null,
          failed: rep?.failed ?? null,
          verifyConverged: rep?.verify?.converged ?? null,
          error: rep ? null : (/^error: .*$/m.exec(sync.stderr)?.[0]?.slice(0, 300) ?? null),
          ...(proxy ? { lostSoFar: proxy.counters.lost, mutationsSoFar: proxy.counters.mutations } : {}),
        });
        if ((rep?.status === 'succeeded' && rep.verify?.converged !== false) || i >= maxSyncs) break;
      }
    } finally {
      await proxy?.stop();
    }
    const diff = await cli(['diff', '--config-file', configFile, ...onBranch], env, out);
    writeFileSync(join(out, 'diff.json'), JSON.stringify(diff.doc, null, 1));
    writeFileSync(join(out, 'diff.stderr'), diff.stderr);
    const resync = await cli(['sync', '--config-file', configFile, ...onBranch], env, out);
    writeFileSync(join(out, 'resync.json'), JSON.stringify(resync.doc, null, 1));
    writeFileSync(join(out, 'resync.stderr'), resync.stderr);
    const models = [...new Set(config.order ?? [])];
    const dump = await dumpInfrahub(peer, models, configIdentifiers(config), branch ?? 'main');
    writeFileSync(join(out, 'dump.json'), JSON.stringify(dump, null, 1));
    const duplicates = compareDumps(dump, {}).filter((d) => d.what === 'duplicate');
    const report = sync.doc.report as { failures?: { model: string; key: string; message: string }[]; applied?: Record<string, number>; status?: string } | undefined;
    let lineage: LineageCheck | null = null;
    if (process.argv.includes('--account')) {
      const r = await graphql(peer, 'query($n: String!) { CoreAccount(name__value: $n) { edges { node { display_label } } } }', { n: system }, branch);
      const label = (r.body as { data?: { CoreAccount?: { edges: { node: { display_label: string } }[] } } }).data?.CoreAccount?.edges[0]?.node.display_label ?? '?';
      const res = await fetch(`${peer.url}/api/schema?branch=${encodeURIComponent(branch ?? 'main')}`, { headers: { 'x-infrahub-key': peer.token } });
      const schema = (await res.json()) as { nodes: { kind: string; attributes: { name: string; read_only?: boolean }[]; relationships: { name: string; read_only?: boolean }[] }[] };
      const readOnly = new Map(schema.nodes.map((n) => [n.kind, new Set([...n.attributes, ...n.relationships].filter((f) => f.read_only).map((f) => f.name))]));
      lineage = checkLineage(dump, config, `${label}/${label}/true`, readOnly);
    }
    const summary = {
      config: configFile,
      source: sourceMode,
      branch: branch ?? 'main',
      ...(proxy ? { lostResponses: { rate: lostRate, ...proxy.counters } } : {}),
      syncs: attempts,
      sync: { exit: sync.code, seconds: sync.seconds, summary: sync.doc.summary ?? null, status: report?.status ?? null, failures: report?.failures?.length ?? null },
      diffAfter: {
        exit: diff.code,
        seconds: diff.seconds,
        summary: diff.doc.summary ?? null,
        changes: ((diff.doc.changes as unknown[] | undefined) ?? []).length,
        error: /^error: .*$/m.exec(diff.stderr)?.[0]?.slice(0, 500) ?? null,
      },
      resync: { exit: resync.code, seconds: resync.seconds, summary: resync.doc.summary ?? null, status: (resync.doc.report as { status?: string } | undefined)?.status ?? null },
      nodes: Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length])),
      duplicates,
      lineage,
    };
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 1));
    console.log(JSON.stringify(summary, null, 1));
    const failures = (report?.failures ?? []).slice(0, 10).map((f) => `  ${f.model} ${f.key}: ${f.message}`);
    if (failures.length > 0) console.log(`first failures:\n${failures.join('\n')}`);
    const resyncChanges = ['create', 'update', 'delete'].reduce((n, k) => n + Number((resync.doc.summary as Record<string, number> | undefined)?.[k] ?? 0), 0);
    const converged =
      sync.code === 0 && diff.code === 0 && summary.diffAfter.changes === 0 && resync.code === 0 && resyncChanges === 0 && duplicates.length === 0 && (lineage?.without.length ?? 0) === 0;
    console.log(converged ? 'CONVERGED: the diff and a second sync find nothing to do, no duplicate keys' + (lineage ? ', lineage on every written field' : '') : 'NOT CONVERGED');
    process.exitCode = converged ? 0 : 1;
  } finally {
    await stop();
  }
}

await main();
