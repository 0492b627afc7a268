// Runs our NetBox adapter against the REAL NetBox (tests/peers/netbox/up.sh, seeded with
// seed.ts) and against the stand-in serving the same generated network, for every
// schema_mapping entry of infrahub-sync's NetBox example config, and compares what matters:
// the requests sent, the shape (and plain values) at every path the mapping reads, the
// reference urls, pagination and auth failures. Prints one line per finding; exits 1 when a
// difference is not in KNOWN (a NetBox 4.1 -> 4.7 change the stand-in keeps on purpose).
//
//   set -a; . .peers/netbox/root/peer.env; set +a      (or $PEERS_DIR/netbox/...)
//   npx tsx tests/peers/netbox/check.ts [--size tiny] [--seed 1] [--record tests/fixtures/netbox-real]
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createNetboxAdapter } from '../../../shared/adapters/netbox/index.js';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { parseConfig } from '../../../shared/config/index.js';
import { AdapterError } from '../../../shared/errors.js';
import { MemoryLogger } from '../../../shared/log.js';
import { buildLoadRequests } from '../../../shared/mapping/index.js';
import { startRecordingProxy, type RecordingProxy } from '../../integration/adapter-sources/helpers/recording-proxy.js';
import { generateDataset } from '../../standins/dataset/generate.js';
import type { DatasetSize } from '../../standins/dataset/types.js';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { peerDir } from '../peer-dir.js';
import { PeerClient, peerEnv } from './peer-client.js';
import { badReferenceUrls, shapesAt, valuesAt } from './shapes.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const EXAMPLE = here('../../fixtures/netbox/infrahub-sync.netbox_to_infrahub.config.yml');
const STANDIN_TOKEN = 'nbt_standinkey.standinsecretstandinsecret0123';
const PEER_DIR = peerDir('netbox', process.env.NETBOX_PEER_DIR);

/**
 * Differences between real NetBox 4.7 and the stand-in (NetBox 4.1) that are version changes,
 * not imitation errors: `<mapping> <path>` -> why. Checked to still be there, so a stale entry
 * shows up too.
 */
const KNOWN: Record<string, string> = {
  'ipam.prefixes site':
    'NetBox 4.2 replaced Prefix.site by scope_type/scope_id/scope (a site, region, site group or location); ' +
    'the upstream example still maps `site`, which 4.2+ no longer serves, so the location is left unset',
  'ipam.prefixes site.display': 'as ipam.prefixes site',
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

type Verdict = 'OK' | 'DIFF' | 'KNOWN' | 'INFO';
const findings: { verdict: Verdict; what: string; detail?: string }[] = [];
const seenKnown = new Set<string>();
function report(verdict: Verdict, what: string, detail?: string): void {
  findings.push({ verdict, what, detail });
  process.stdout.write(`${verdict.padEnd(5)} ${what}${detail ? `\n      ${detail}` : ''}\n`);
}
function compare(what: string, real: unknown, standin: unknown, knownKey?: string): void {
  const a = JSON.stringify(real);
  const b = JSON.stringify(standin);
  if (a === b) return;
  const known = knownKey !== undefined ? KNOWN[knownKey] : undefined;
  if (known !== undefined) seenKnown.add(knownKey as string);
  report(known ? 'KNOWN' : 'DIFF', what, `real ${a.slice(0, 400)}\n      stand-in ${b.slice(0, 400)}${known ? `\n      (${known})` : ''}`);
}

interface Side {
  name: 'real' | 'standin';
  proxy: RecordingProxy;
  token: string;
}

function adapter(side: Side, settings: Record<string, unknown> = {}, token = side.token): Adapter {
  return createNetboxAdapter(
    { name: 'netbox', settings: { url: side.proxy.url, token, retries: 0, ...settings } },
    { configDir: process.cwd(), env: {}, logger: new MemoryLogger() },
  );
}

/** Each request as `path?sorted query`, offset and limit included. */
function requests(p: RecordingProxy): string[] {
  return p.urls.map((u) => {
    const q = [...u.searchParams].map(([k, v]) => `${k}=${v}`).sort().join('&');
    return `${u.pathname}${q ? `?${q}` : ''}`;
  });
}

async function loadBoth(sides: Side[], req: LoadRequest, settings: Record<string, unknown> = {}): Promise<{ records: RawRecord[]; urls: string[] }[]> {
  const out: { records: RawRecord[]; urls: string[] }[] = [];
  for (const side of sides) {
    side.proxy.urls.length = 0;
    const a = adapter(side, settings);
    try {
      out.push({ records: await a.load(req), urls: requests(side.proxy) });
    } finally {
      await a.close?.();
    }
  }
  return out;
}

/** Keys only one side serves (top level, or of the nested objects at `path`): information only,
 *  since no mapping reads them, but where the stand-in's 4.1 shape and 4.7 part ways. */
function fieldSets(where: string, path: string, real: RawRecord[], standin: RawRecord[]): void {
  const keys = (rs: RawRecord[]): Set<string> => {
    const out = new Set<string>();
    for (const r of rs) {
      let v: unknown = r;
      for (const p of path ? path.split('.') : []) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
      for (const o of Array.isArray(v) ? v : [v]) {
        if (o !== null && typeof o === 'object') for (const k of Object.keys(o)) out.add(k);
      }
    }
    return out;
  };
  const a = keys(real);
  const b = keys(standin);
  if (a.size === 0 || b.size === 0) return;
  const onlyReal = [...a].filter((k) => !b.has(k));
  const onlyStandin = [...b].filter((k) => !a.has(k));
  if (onlyReal.length || onlyStandin.length) {
    report('INFO', `${where}: ${path ? `keys of ${path}` : 'record keys'} differ`,
      `only real: ${onlyReal.join(', ') || '-'}; only stand-in: ${onlyStandin.join(', ') || '-'}`);
  }
}

async function checkEntries(sides: Side[]): Promise<void> {
  const loaded = parseConfig(await readFile(EXAMPLE, 'utf8'), EXAMPLE);
  const config = loaded.config;
  const models = [...new Set(config.schema_mapping.map((e) => e.name))];
  for (const model of models) {
    for (const req of buildLoadRequests(config, model, 'source')) {
      const where = `${model} <- ${req.path}`;
      let real: { records: RawRecord[]; urls: string[] };
      let standin: { records: RawRecord[]; urls: string[] };
      try {
        [real, standin] = (await loadBoth(sides, req)) as [typeof real, typeof standin];
      } catch (e) {
        report('DIFF', `${where}: load failed`, e instanceof Error ? e.message : String(e));
        continue;
      }
      const before = findings.length;
      compare(`${where}: requests`, real.urls, standin.urls);
      compare(`${where}: record count`, real.records.length, standin.records.length);
      if (real.records.length === 0) report('DIFF', `${where}: the real server returned nothing (not seeded?)`);
      compare(`${where}: id`, shapesAt(real.records, 'id'), shapesAt(standin.records, 'id'));
      if (req.path === 'dcim.devices') {
        // Rendering config contexts is costly; the adapter asks the server to leave them out.
        compare(`${where}: config_context left out`, shapesAt(real.records, 'config_context'), ['absent']);
      }
      // No mapping of the example reads `display`, but configs may (it is in every object).
      compare(`${where}: values of display`, valuesAt(real.records, 'display'), valuesAt(standin.records, 'display'));
      for (const f of req.fields) {
        const key = `${req.path} ${f.path}`;
        compare(`${where}: shape of ${f.path}`, shapesAt(real.records, f.path), shapesAt(standin.records, f.path), key);
        if (f.reference) {
          compare(`${where}: values of ${f.path}.display`, valuesAt(real.records, `${f.path}.display`),
            valuesAt(standin.records, `${f.path}.display`), `${key}.display`);
          const bad = badReferenceUrls(real.records, f.path);
          if (bad.length) report('DIFF', `${where}: ${f.path} nested urls do not name /api/<app>/<endpoint>/<id>/`, bad.slice(0, 3).join('; '));
        } else {
          compare(`${where}: values of ${f.path}`, valuesAt(real.records, f.path), valuesAt(standin.records, f.path), key);
        }
      }
      const verdicts = findings.slice(before).map((f) => f.verdict);
      if (!verdicts.includes('DIFF') && !verdicts.includes('KNOWN')) {
        report('OK', `${where} (${real.records.length} records, ${req.fields.length} paths)`);
      }
      fieldSets(where, '', real.records, standin.records);
      for (const f of req.fields.filter((x) => x.reference)) fieldSets(where, f.path, real.records, standin.records);
    }
  }
}

async function checkPagination(sides: Side[], client: PeerClient, standinUrl: string): Promise<void> {
  for (const path of ['dcim.interfaces', 'ipam.ip-addresses']) {
    const req: LoadRequest = { side: 'source', model: 'X', path, fields: [{ name: 'name', path: 'name' }] };
    const [full] = await loadBoth(sides.slice(0, 1), req);
    const paged = await loadBoth(sides, req, { page_size: 3, concurrency: 2 });
    const n = full?.records.length ?? 0;
    const ids = (rs: RawRecord[] | undefined): string[] => (rs ?? []).map((r) => String(r.id)).sort();
    const before = findings.length;
    compare(`pagination ${path}: page_size 3 reads every object once`, ids(paged[0]?.records), ids(full?.records));
    compare(`pagination ${path}: requests real vs stand-in`, paged[0]?.urls, paged[1]?.urls);
    compare(`pagination ${path}: ceil(count / 3) requests`, paged[0]?.urls.length, Math.ceil(n / 3));
    // The envelope of one page, origins taken out.
    const strip = (body: unknown, origin: string): unknown => JSON.parse(JSON.stringify(body).split(origin).join('<origin>'));
    const envelope = (b: unknown): unknown => {
      const { results, ...rest } = b as { results: unknown[] };
      return { ...rest, results: results.length };
    };
    const tail = `?limit=3&offset=3`;
    const r = await client.request('GET', `${client.endpoint(path)}${tail}`);
    const s = await fetch(`${standinUrl}/api/${path.replace('.', '/')}/${tail}`, { headers: { authorization: `Bearer ${STANDIN_TOKEN}` } });
    const realOrigin = new URL(client.endpoint(path)).origin;
    compare(`pagination ${path}: page envelope`, envelope(strip(r.body, realOrigin)), envelope(strip(await s.json(), standinUrl)));
    if (findings.length === before) report('OK', `pagination ${path} (${n} objects, ${paged[0]?.urls.length} pages of 3)`);
  }
}

/** Runs Python in the peer's NetBox (Django shell); for settings the REST API cannot change. */
async function netboxShell(code: string): Promise<string> {
  const r = await promisify(execFile)(join(PEER_DIR, 'venv/bin/netbox'), ['shell', '--no-imports', '-c', code], {
    cwd: join(PEER_DIR, 'root'),
    env: { ...process.env, NETBOX_ROOT: join(PEER_DIR, 'root') },
  });
  return r.stdout.trim();
}

/** MAX_PAGE_SIZE below page_size: NetBox caps `limit` silently; the adapter must take the
 *  first page's length as its stride. Set through a config revision and restored after. */
async function checkServerCap(sides: Side[]): Promise<void> {
  const cap = 7;
  const previous = await netboxShell(
    'import json; from django.core.cache import cache; print(json.dumps(cache.get("config") or {}))',
  );
  const setConfig = (data: string): Promise<string> =>
    netboxShell(`import json; from core.models import ConfigRevision; ConfigRevision(data=json.loads(${JSON.stringify(data)}), comment="peer-check").save()`);
  const capped = await startNetboxStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: STANDIN_TOKEN, maxPageSize: cap });
  const cappedSide: Side = { name: 'standin', proxy: await startRecordingProxy(capped.url), token: STANDIN_TOKEN };
  try {
    await setConfig(JSON.stringify({ ...(JSON.parse(previous) as Record<string, unknown>), MAX_PAGE_SIZE: cap }));
    const req: LoadRequest = { side: 'source', model: 'X', path: 'dcim.interfaces', fields: [{ name: 'name', path: 'name' }] };
    const [real, standin] = await loadBoth([sides[0] as Side, cappedSide], req, { page_size: 1000 });
    const before = findings.length;
    const n = standin?.records.length ?? 0;
    compare(`MAX_PAGE_SIZE ${cap} < page_size 1000: requests`, real?.urls, standin?.urls);
    compare(`MAX_PAGE_SIZE ${cap} < page_size 1000: objects`, real?.records.length, n);
    const raw = await fetch(`${sides[0]?.proxy.url ?? ''}/api/dcim/interfaces/?limit=1000`, {
      headers: { authorization: `Bearer ${sides[0]?.token ?? ''}` },
    });
    const page = (await raw.json()) as { results: unknown[]; next: string | null };
    compare(`MAX_PAGE_SIZE ${cap}: ?limit=1000 answers ${cap} and a next link with limit=${cap}`,
      [page.results.length, new URL(page.next ?? 'http://x/').searchParams.get('limit')], [cap, String(cap)]);
    if (findings.length === before) report('OK', `MAX_PAGE_SIZE ${cap}: ${real?.urls.length} requests for ${n} objects, as the stand-in`);
  } finally {
    await setConfig(previous);
    await cappedSide.proxy.close();
    await capped.stop();
  }
}

/** Webhook-scoped runs read only some ids (`?id=a&id=b`). */
async function checkScopedIds(sides: Side[]): Promise<void> {
  const all = await loadBoth(sides, { side: 'source', model: 'X', path: 'dcim.interfaces', fields: [{ name: 'name', path: 'name' }] });
  const want = (all[0]?.records ?? []).slice(2, 5).map((r) => String(r.id));
  // Interface names repeat across devices; device name + interface name is unique.
  const label = (r: RawRecord): string => `${String((r.device as { name?: unknown } | null)?.name)}/${String(r.name)}`;
  const names = (rs: RawRecord[] | undefined): string[] => (rs ?? []).map(label).sort();
  const wantNames = names((all[0]?.records ?? []).slice(2, 5));
  const standinIds = (all[1]?.records ?? []).filter((r) => wantNames.includes(label(r))).map((r) => String(r.id));
  const [real] = await loadBoth(sides.slice(0, 1), { side: 'source', model: 'X', path: 'dcim.interfaces', fields: [{ name: 'name', path: 'name' }], scope: { ids: [...want, '999999'] } });
  const [, standin] = await loadBoth(sides, { side: 'source', model: 'X', path: 'dcim.interfaces', fields: [{ name: 'name', path: 'name' }], scope: { ids: [...standinIds, '999999'] } });
  const before = findings.length;
  compare('scoped ids: the objects asked for (an unknown id is just absent)', names(real?.records), wantNames);
  compare('scoped ids: same objects from the stand-in', names(standin?.records), wantNames);
  if (findings.length === before) report('OK', `scoped ids: ${want.length} of ${all[0]?.records.length ?? 0} interfaces by ?id=`);
}

async function checkAuth(sides: Side[], client: PeerClient, realToken: string, v1?: string): Promise<void> {
  const req: LoadRequest = { side: 'source', model: 'X', path: 'dcim.sites', fields: [{ name: 'name', path: 'name' }] };
  const wrong = {
    'wrong v1 token': 'ffffffffffffffffffffffffffffffffffffffff',
    'wrong v2 token': 'nbt_wrongkey0000.wrongsecretwrongsecretwrongsecret00',
    'v2 key with a wrong secret': `${realToken.split('.')[0] ?? ''}.wrongsecretwrongsecretwrongsecret00`,
  };
  for (const [label, token] of Object.entries(wrong)) {
    const outcome: string[] = [];
    for (const side of sides) {
      const a = adapter(side, {}, token);
      const err = await a.load(req).then(() => undefined, (e: unknown) => e);
      await a.close?.();
      if (!(err instanceof AdapterError)) outcome.push(`no AdapterError (${String(err)})`);
      else if (err.message.includes(token)) outcome.push('the message contains the token');
      else outcome.push(`${String(err.status)} ${err.message.replace(/127\.0\.0\.1:\d+/, '<host>')}`);
    }
    const before = findings.length;
    compare(`auth ${label}: adapter error`, outcome[0], outcome[1]);
    if (!/^40[13] netbox: authentication failed at <host>/.test(outcome[0] ?? '')) report('DIFF', `auth ${label}: real error is not our clear 401/403`, outcome[0]);
    const rawReal = await client.request('GET', client.endpoint('dcim.sites'), undefined, token);
    const rawStandin = await fetch(`${sides[1]?.proxy.url ?? ''}/api/dcim/sites/`, {
      headers: { authorization: token.startsWith('nbt_') ? `Bearer ${token}` : `Token ${token}` },
    });
    compare(`auth ${label}: raw answer`, [rawReal.status, rawReal.body], [rawStandin.status, await rawStandin.json()]);
    if (findings.length === before) report('OK', `auth ${label}: ${outcome[0] ?? ''}`);
  }
  const none = await client.request('GET', client.endpoint('dcim.sites'), undefined, '');
  const noneStandin = await fetch(`${sides[1]?.proxy.url ?? ''}/api/dcim/sites/`);
  compare('auth no Authorization header: raw answer', [none.status, none.body], [noneStandin.status, await noneStandin.json()]);
  if (v1) {
    const a = adapter(sides[0] as Side, {}, v1);
    sides[0]?.proxy.headers.splice(0);
    const n = (await a.load(req)).length;
    await a.close?.();
    const scheme = String(sides[0]?.proxy.headers[0]?.authorization ?? '').split(' ')[0];
    report(n > 0 && scheme === 'Token' ? 'OK' : 'DIFF', `auth valid v1 token: ${n} sites with the ${scheme} scheme`);
  }
  for (const side of sides) {
    const a = adapter(side);
    const err = await a.open?.().then(() => undefined, (e: unknown) => e);
    await a.close?.();
    report(err ? 'DIFF' : 'OK', `open() on the ${side.name} server`, err ? String(err) : undefined);
  }
}

/** The diff text split into one block per record (`  Kind: key ...` and its field lines). */
function diffBlocks(text: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^ {2}\S/.test(line)) {
      current = [];
      blocks.set(line.trim(), current);
    } else if (/^ {4}\S/.test(line) && current) current.push(line.trim());
    else current = undefined;
  }
  return blocks;
}

/** `infrahub-sync diff` with the project's NetBox config, source = the real server, then the
 *  stand-in, destination = an empty Infrahub stand-in: both diffs must be the same. */
async function checkCli(env: { url: string; token: string }, standinUrl: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'netbox-peer-cli-'));
  const infrahub = await startInfrahubStandin({ schema: [here('../../../configs/schemas')], token: 'peer-check-infrahub' });
  try {
    const config = join(dir, 'config.yml');
    await copyFile(here('../../../configs/netbox-to-infrahub/config.yml'), config);
    const run = async (url: string, token: string): Promise<string> => {
      const r = await promisify(execFile)('npx', ['--no-install', 'infrahub-sync', 'diff', '--config-file', config], {
        cwd: here('../../..'),
        env: { ...process.env, NETBOX_ADDRESS: url, NETBOX_TOKEN: token, INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'peer-check-infrahub' },
        maxBuffer: 64 * 1024 * 1024,
      });
      return `${r.stdout}${r.stderr}`;
    };
    const real = await run(env.url, env.token);
    const standin = await run(standinUrl, STANDIN_TOKEN);
    const summary = (t: string): string => /create=\d+ update=\d+ delete=\d+[^\n]*/.exec(t)?.[0] ?? '(no summary)';
    const before = findings.length;
    compare('cli diff: summary', summary(real), summary(standin));
    const a = diffBlocks(real);
    const b = diffBlocks(standin);
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const ra = a.get(key);
      const rb = b.get(key);
      if (!ra || !rb) {
        report('DIFF', `cli diff: ${key}`, ra ? 'only in the real run' : 'only in the stand-in run');
        continue;
      }
      const fieldsA = new Map(ra.map((l) => [l.split(/\s+/)[0] ?? '', l]));
      const fieldsB = new Map(rb.map((l) => [l.split(/\s+/)[0] ?? '', l]));
      for (const f of new Set([...fieldsA.keys(), ...fieldsB.keys()])) {
        const kind = key.split(':')[0] ?? '';
        compare(`cli diff: ${key} ${f}`, fieldsA.get(f) ?? null, fieldsB.get(f) ?? null, `cli ${kind} ${f}`);
      }
    }
    if (findings.length === before) report('OK', `cli diff: same plan from the real server and the stand-in (${summary(real)})`);
  } finally {
    await infrahub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Real first pages of every endpoint the example reads, and the auth failures, as fixtures. */
async function record(dir: string, client: PeerClient): Promise<void> {
  await mkdir(dir, { recursive: true });
  const loaded = parseConfig(await readFile(EXAMPLE, 'utf8'), EXAMPLE);
  const tables = [...new Set(loaded.config.schema_mapping.map((e) => e.mapping))];
  for (const t of tables) {
    const path = t.replace(/_/g, '-');
    const query = path === 'dcim.devices' ? '?limit=2&exclude=config_context' : '?limit=2';
    const res = await client.request('GET', `${client.endpoint(path)}${query}`);
    await writeFile(join(dir, `${path}.limit2.json`), `${JSON.stringify(res.body, null, 2)}\n`);
  }
  const auth: Record<string, unknown> = {};
  for (const [label, token] of [['no-header', ''], ['wrong-v1', 'f'.repeat(40)], ['wrong-v2', 'nbt_wrongkey0000.wrongsecret']]) {
    const res = await client.request('GET', client.endpoint('dcim.sites'), undefined, token);
    auth[label as string] = { status: res.status, body: res.body };
  }
  await writeFile(join(dir, 'auth-errors.json'), `${JSON.stringify(auth, null, 2)}\n`);
  const status = await client.request('GET', client.endpoint('status'));
  await writeFile(join(dir, 'status.json'), `${JSON.stringify(status.body, null, 2)}\n`);
  process.stdout.write(`recorded ${tables.length + 2} files into ${dir}\n`);
}

async function main(): Promise<void> {
  const env = peerEnv();
  const client = new PeerClient(env);
  const size = arg('size', 'tiny') as DatasetSize;
  const seed = Number(arg('seed', '1'));
  const standin = await startNetboxStandin({ dataset: generateDataset({ size, seed }), token: STANDIN_TOKEN });
  const sides: Side[] = [
    { name: 'real', proxy: await startRecordingProxy(env.url), token: env.token },
    { name: 'standin', proxy: await startRecordingProxy(standin.url), token: STANDIN_TOKEN },
  ];
  try {
    const status = await client.request('GET', `${env.url}/api/status/`);
    process.stdout.write(`real NetBox ${String((status.body as Record<string, unknown>)['netbox-version'])} at ${env.url}; stand-in ${standin.url}; dataset ${size} seed ${seed}\n`);
    await checkEntries(sides);
    await checkPagination(sides, client, standin.url);
    await checkScopedIds(sides);
    if (!process.argv.includes('--no-cap')) await checkServerCap(sides);
    await checkAuth(sides, client, env.token, env.tokenV1);
    await checkCli(env, standin.url);
    const recordDir = arg('record', '');
    if (recordDir) await record(recordDir, client);
  } finally {
    for (const s of sides) await s.proxy.close();
    await standin.stop();
  }
  for (const k of Object.keys(KNOWN)) if (!seenKnown.has(k)) report('DIFF', `KNOWN entry no longer differs: ${k}`);
  const count = (v: Verdict): number => findings.filter((f) => f.verdict === v).length;
  process.stdout.write(
    `\n${count('OK')} ok, ${count('KNOWN')} known differences, ${count('DIFF')} unexpected differences, ${count('INFO')} notes\n`,
  );
  process.exitCode = count('DIFF') > 0 ? 1 : 0;
}

await main();
