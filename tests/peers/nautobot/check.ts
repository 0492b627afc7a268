// Runs the Nautobot source adapter against the REAL Nautobot (seeded by seed.ts) and against
// the stand-in serving the same dataset, for every schema_mapping entry of infrahub-sync's
// nautobot-v2 example, and reports every difference: the queries sent, the shape and value at
// every mapped path, pagination, and auth errors. Exits 1 on a difference not listed in
// KNOWN below. Run: npm run peer:nautobot (after up.sh and seed.ts).
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createNautobotAdapter } from '../../../shared/adapters/nautobot/index.js';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { loadConfigFile } from '../../../shared/config/index.js';
import { AdapterError } from '../../../shared/errors.js';
import { MemoryLogger } from '../../../shared/log.js';
import { buildLoadRequests } from '../../../shared/mapping/index.js';
import { startRecordingProxy, type RecordingProxy } from '../../integration/adapter-sources/helpers/recording-proxy.js';
import { generateDataset } from '../../standins/dataset/generate.js';
import type { DatasetSize } from '../../standins/dataset/types.js';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { call, isObject, listAll, peerFromEnv, type Peer } from './peer-env.js';
import { compareShapes, shapesOver, valueAt } from './shape.js';

const CONFIG = fileURLToPath(new URL('../../fixtures/config/examples/nautobot-v2_to_infrahub/config.yml', import.meta.url));
const STANDIN_TOKEN = 'standin-token-0123456789abcdef0123456789';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const OUR_CONFIG = join(REPO, 'configs/nautobot-to-infrahub/config.yml');

/** Differences that are understood and accepted, with the reason. Keys: `<kind> <endpoint> <detail>`. */
const KNOWN: Record<string, string> = {
  'count /api/extras/statuses/': 'a fresh Nautobot ships 22 statuses; the dataset has 12 of them',
  'count /api/extras/roles/': 'a fresh Nautobot ships 12 roles; the dataset has 12 of its own (1 shared: Loopback)',
  'error /api/plugins/bgp/autonomous-systems/': 'the BGP app is not installed on either server: both answer 404',
  'cli only-real RoleGeneric': 'the 11 roles a fresh Nautobot ships besides the dataset',
  'cli only-real StatusGeneric': 'the 10 statuses a fresh Nautobot ships besides the dataset',
};

interface Finding { key: string; text: string }
const findings: Finding[] = [];
/** Values compared record by record, so that "no value differs" cannot hide "nothing compared". */
let valuesCompared = 0;
const notes: string[] = [];
function report(key: string, text: string): void {
  findings.push({ key, text });
}

interface Side {
  name: 'real' | 'standin';
  url: string;
  token: string;
  proxy: RecordingProxy;
}

function adapter(side: Side, settings: Record<string, unknown> = {}): { a: Adapter; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const a = createNautobotAdapter(
    { name: 'nautobot', settings: { url: side.proxy.url, token: side.token, retries: 0, ...settings } },
    { configDir: process.cwd(), env: {}, logger },
  );
  return { a, logger };
}

/** Query of each request to `pathname` since `from`, offset left out, as sorted `k=v&...`. */
function queriesSince(proxy: RecordingProxy, from: number, pathname: string): string[] {
  return proxy.urls.slice(from).filter((u) => u.pathname === pathname).map((u) => {
    const q = new URLSearchParams([...u.searchParams].filter(([k]) => k !== 'offset').sort(([a], [b]) => a.localeCompare(b)));
    return q.toString();
  });
}

interface Loaded { records: RawRecord[]; queries: string[]; error?: string; logs: string[] }

async function load(side: Side, req: LoadRequest, pathname: string, settings: Record<string, unknown> = {}): Promise<Loaded> {
  const { a, logger } = adapter(side, settings);
  const from = side.proxy.urls.length;
  try {
    const records = await a.load(req);
    return { records, queries: queriesSince(side.proxy, from, pathname), logs: logger.entries.filter((e) => e.level !== 'debug').map((e) => e.message) };
  } catch (error) {
    const msg = error instanceof AdapterError ? `AdapterError(${String(error.status)}): ${error.message}` : String(error);
    return { records: [], queries: queriesSince(side.proxy, from, pathname), error: msg.split(side.proxy.url).join('<url>').split(new URL(side.proxy.url).host).join('<host>'), logs: [] };
  } finally {
    await a.close?.();
  }
}

/** Built-in rows the seed adopted keep the server's ids: stand-in id -> real id, by name. */
async function idTranslation(real: Peer, standin: Peer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of ['/api/extras/statuses/', '/api/extras/roles/', '/api/ipam/namespaces/']) {
    const r = new Map((await listAll(real, path)).map((x) => [String(x.name), String(x.id)]));
    for (const s of await listAll(standin, path)) {
      const id = r.get(String(s.name));
      if (id !== undefined) out.set(String(s.id), id);
    }
  }
  return out;
}

function translate(v: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => translate(x, ids)).map(String).sort();
  return typeof v === 'string' ? (ids.get(v) ?? v) : v;
}

async function checkEntries(real: Side, standin: Side, ids: Map<string, string>): Promise<void> {
  const { config } = await loadConfigFile(CONFIG);
  const models = [...new Set(config.schema_mapping.map((e) => e.name))];
  for (const model of models) {
    for (const req of buildLoadRequests(config, model, 'source')) {
      const pathname = `/api/${req.path.replace(/^plugin\./, 'plugins.').split('.').join('/')}/`;
      const [r, s] = [await load(real, req, pathname), await load(standin, req, pathname)];
      const where = `${model} <- ${req.path}`;
      if (r.error || s.error) {
        if (r.error !== s.error) report(`error ${pathname}`, `${where}: real ${r.error ?? 'ok'} | stand-in ${s.error ?? 'ok'}`);
        else report(`error ${pathname}`, `${where}: both fail the same way: ${r.error ?? ''}`);
        continue;
      }
      if (r.queries.join(' ; ') !== s.queries.join(' ; ')) {
        report(`query ${pathname}`, `${where}: real sent [${r.queries.join(' ; ')}] | stand-in [${s.queries.join(' ; ')}]`);
      }
      if (r.logs.join('\n') !== s.logs.join('\n')) {
        report(`log ${pathname}`, `${where}: real logged ${JSON.stringify(r.logs)} | stand-in ${JSON.stringify(s.logs)}`);
      }
      if (r.records.length !== s.records.length) {
        report(`count ${pathname}`, `${where}: real ${r.records.length} records | stand-in ${s.records.length}`);
      }
      const realById = new Map(r.records.map((x) => [translate(String(x.id), ids) as string, x]));
      for (const f of req.fields) {
        const rs = shapesOver(r.records, f.path);
        const ss = shapesOver(s.records, f.path);
        const cmp = compareShapes(rs, ss);
        if (cmp !== 'same') {
          report(`shape${cmp === 'soft' ? '-soft' : ''} ${pathname} ${f.path}`, `${where} ${f.path}: real {${[...rs].join(',')}} | stand-in {${[...ss].join(',')}}`);
        }
        let diffs = 0;
        let example = '';
        for (const sr of s.records) {
          const rr = realById.get(translate(String(sr.id), ids) as string);
          if (!rr) continue;
          valuesCompared += 1;
          const rv = JSON.stringify(valueAt(rr, f.path));
          const sv = JSON.stringify(translate(valueAt(sr, f.path), ids));
          if (rv !== sv) {
            diffs += 1;
            example ||= `${String(sr.id)}: real ${rv} | stand-in ${sv}`;
          }
        }
        if (diffs > 0) report(`value ${pathname} ${f.path}`, `${where} ${f.path}: ${diffs} of ${s.records.length} differ, e.g. ${example}`);
      }
      const rk = new Set(r.records.flatMap((x) => Object.keys(x)));
      const sk = new Set(s.records.flatMap((x) => Object.keys(x)));
      const onlyReal = [...rk].filter((k) => !sk.has(k));
      const onlyStandin = [...sk].filter((k) => !rk.has(k));
      if (onlyReal.length || onlyStandin.length) {
        notes.push(`${pathname} top-level keys only on real: [${onlyReal.join(', ')}]; only on stand-in: [${onlyStandin.join(', ')}]`);
      }
    }
  }
}

async function checkPaging(real: Side, standin: Side): Promise<void> {
  const req: LoadRequest = { side: 'source', model: 'InfraInterfaceL2L3', path: 'dcim.interfaces', fields: [{ name: 'name', path: 'name' }] };
  const pathname = '/api/dcim/interfaces/';
  for (const side of [real, standin]) {
    const from = side.proxy.urls.length;
    const got = await load(side, req, pathname, { page_size: 3 });
    const offsets = side.proxy.urls.slice(from).filter((u) => u.pathname === pathname).map((u) => u.searchParams.get('offset')).sort((a, b) => Number(a) - Number(b));
    const page = await call({ url: side.url, token: side.token }, 'GET', `${pathname}?limit=3&depth=0`);
    const body = isObject(page.body) ? page.body : {};
    const count = typeof body.count === 'number' ? body.count : -1;
    if (got.records.length !== count || new Set(got.records.map((x) => x.id)).size !== count) {
      report(`paging ${side.name}`, `${side.name}: page_size 3 read ${got.records.length} records, server counts ${count}`);
    }
    const want = Array.from({ length: Math.ceil(count / 3) }, (_, i) => String(i * 3));
    if (offsets.join(',') !== want.join(',')) report(`paging ${side.name} offsets`, `${side.name}: offsets ${offsets.join(',')}, expected ${want.join(',')}`);
    const next = typeof body.next === 'string' ? body.next.slice(new URL(body.next).origin.length) : String(body.next);
    notes.push(`${side.name} first page: keys [${Object.keys(body).join(', ')}], next ${next}, previous ${String(body.previous)}`);
    const second = await call({ url: side.url, token: side.token }, 'GET', next);
    const prev = isObject(second.body) && typeof second.body.previous === 'string' ? second.body.previous.slice(new URL(second.body.previous).origin.length) : '';
    notes.push(`${side.name} second page: previous ${prev}`);
  }
}

async function checkAuth(real: Side, standin: Side): Promise<void> {
  const outcome = async (side: Side, token: string | undefined, header?: string): Promise<string> => {
    const res = await fetch(`${side.url}/api/dcim/devices/`, {
      headers: { accept: 'application/json', ...(token === undefined ? {} : { authorization: header ?? `Token ${token}` }) },
    });
    return `${res.status} ${await res.text()}`;
  };
  const cases: [string, string | undefined, string?][] = [
    ['wrong token', 'ffffffffffffffffffffffffffffffffffffffff'],
    ['no token', undefined],
    ['Bearer scheme', 'x', 'Bearer ffffffffffffffffffffffffffffffffffffffff'],
  ];
  for (const [label, token, header] of cases) {
    const r = await outcome(real, token, header);
    const s = await outcome(standin, token, header);
    if (r !== s) report(`auth ${label}`, `${label}: real ${r} | stand-in ${s}`);
  }
  for (const side of [real, standin]) {
    const { a } = adapter({ ...side, token: 'ffffffffffffffffffffffffffffffffffffffff' });
    try {
      await a.open?.();
      report(`auth adapter ${side.name}`, `${side.name}: open() with a wrong token did not fail`);
    } catch (error) {
      const ok = error instanceof AdapterError && (error.status === 401 || error.status === 403) && /authentication failed/.test(error.message);
      if (!ok) report(`auth adapter ${side.name}`, `${side.name}: open() with a wrong token threw ${String(error)}`);
      else notes.push(`${side.name}: wrong token -> ${error.message.split(new URL(side.proxy.url).host).join('<host>')}`);
    } finally {
      await a.close?.();
    }
  }
}

async function checkVersions(real: Side, standin: Side): Promise<void> {
  for (const accept of ['application/json', 'application/json; version=2.0', 'application/json; version=2.4', 'application/json; version=9.9']) {
    const get = async (side: Side): Promise<string> => {
      const res = await fetch(`${side.url}/api/dcim/manufacturers/?limit=1`, { headers: { accept, authorization: `Token ${side.token}` } });
      const text = await res.text();
      return `${res.status} API-Version=${res.headers.get('api-version') ?? '-'}${res.status === 200 ? '' : ` ${text.slice(0, 160)}`}`;
    };
    const [r, s] = [await get(real), await get(standin)];
    if (r !== s) report(`version ${accept}`, `Accept "${accept}": real ${r} | stand-in ${s}`);
  }
}

/** Edge requests the adapter can meet, compared as status + body with the origin taken out
 *  (bodies of 200 answers: only the envelope and the first object's keys). */
const RAW_REQUESTS = [
  '/api/dcim/devices/?bogus_filter=1',
  '/api/dcim/devices/?depth=11',
  '/api/dcim/devices/?depth=abc',
  '/api/dcim/devices/?limit=0',
  '/api/dcim/devices/?limit=abc',
  '/api/dcim/devices/?offset=1000',
  '/api/dcim/devices/?id=00000000-0000-4000-8000-000000000000',
  '/api/dcim/devices/?id=not-a-uuid',
  '/api/dcim/devices/?include=config_context&limit=1',
  '/api/dcim/interfaces/?exclude_m2m=true&limit=1',
  '/api/dcim/interfaces/?exclude_m2m=false&limit=1',
  '/api/ipam/vrfs/?exclude_m2m=true&limit=1',
  '/api/dcim/no-such-endpoint/',
  '/api/',
];

function rawSummary(status: number, body: unknown, origin: string): string {
  const strip = (s: string): string => s.split(origin).join('');
  if (status !== 200 || !isObject(body) || !Array.isArray(body.results)) return `${status} ${strip(JSON.stringify(body)).slice(0, 300)}`;
  const first = body.results[0];
  const keys = isObject(first) ? Object.keys(first).sort().join(',') : '-';
  return `${status} count=${String(body.count)} n=${body.results.length} next=${strip(String(body.next))} previous=${strip(String(body.previous))} keys=${keys}`;
}

async function checkRaw(real: Side, standin: Side): Promise<void> {
  for (const path of RAW_REQUESTS) {
    const [r, s] = await Promise.all(
      [real, standin].map(async (side) => {
        const res = await call({ url: side.url, token: side.token }, 'GET', path);
        return rawSummary(res.status, res.body, side.url);
      }),
    );
    if (path === '/api/') {
      // Apps differ (the stand-in serves only what it imitates); the answer is an object of URLs on both.
      if (!r?.startsWith('200') || !s?.startsWith('200')) report(`raw ${path}`, `${path}: real ${r} | stand-in ${s}`);
      continue;
    }
    if (r !== s) report(`raw ${path}`, `${path}:\n      real     ${r}\n      stand-in ${s}`);
  }
}

interface DiffChange { action: string; model: string; key: string; attrs: Record<string, unknown> }

/** `infrahub-sync diff` with our own config, once against each side, into one Infrahub stand-in:
 *  the changes must be the same. */
async function checkCli(real: Side, standin: Side): Promise<void> {
  const infrahubKey = 'peer-check-infrahub-key';
  const infrahub = await startInfrahubStandin({ schema: [join(REPO, 'configs/schemas')], token: infrahubKey });
  const dir = await mkdtemp(join(tmpdir(), 'nautobot-peer-cli-'));
  try {
    await copyFile(OUR_CONFIG, join(dir, 'config.yml'));
    const run = async (side: Side): Promise<DiffChange[]> => {
      const env = {
        ...process.env, NAUTOBOT_ADDRESS: side.url, NAUTOBOT_TOKEN: side.token,
        INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: infrahubKey,
      };
      const args = [join(REPO, 'bin/infrahub-sync.js'), 'diff', '--config-file', join(dir, 'config.yml'),
        '--store', join(dir, `runs-${side.name}`), '--format', 'json', '--no-show-progress'];
      try {
        const { stdout } = await promisify(execFile)(process.execPath, args, { env, cwd: dir, maxBuffer: 64 * 1024 * 1024 });
        return (JSON.parse(stdout) as { changes: DiffChange[] }).changes;
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        report(`cli failed ${side.name}`, `${side.name}: infrahub-sync diff failed: ${(e.stderr ?? e.message).split(side.token).join('***').slice(0, 500)}`);
        return [];
      }
    };
    const [r, s] = [await run(real), await run(standin)];
    const index = (cs: DiffChange[]) => new Map(cs.map((c) => [`${c.model} ${c.key}`, c]));
    const [ri, si] = [index(r), index(s)];
    const onlyReal = new Map<string, string[]>();
    for (const k of ri.keys()) if (!si.has(k)) onlyReal.set(k.split(' ')[0] ?? '', [...(onlyReal.get(k.split(' ')[0] ?? '') ?? []), k]);
    for (const [model, keys] of onlyReal) report(`cli only-real ${model}`, `CLI diff: ${keys.length} ${model} only from the real server: ${keys.map((k) => k.slice(model.length + 1)).join(', ')}`);
    const onlyStandin = [...si.keys()].filter((k) => !ri.has(k));
    if (onlyStandin.length) report('cli only-standin', `CLI diff: only from the stand-in: ${onlyStandin.join(', ')}`);
    let differ = 0;
    for (const [k, c] of si) {
      const other = ri.get(k);
      if (other && (other.action !== c.action || JSON.stringify(other.attrs) !== JSON.stringify(c.attrs))) {
        differ += 1;
        report(`cli change ${k}`, `CLI diff ${k}: real ${JSON.stringify(other.attrs)} | stand-in ${JSON.stringify(c.attrs)}`);
      }
    }
    notes.push(`CLI diff (configs/nautobot-to-infrahub): real ${r.length} changes, stand-in ${s.length}, ${[...si.keys()].filter((k) => ri.has(k)).length} in common, ${differ} of them differ`);
  } finally {
    await infrahub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'tiny' }, seed: { type: 'string', default: '1' } } });
  const peer = peerFromEnv();
  const status = await call(peer, 'GET', '/api/status/');
  const version = isObject(status.body) ? String(status.body['nautobot-version']) : `unreachable (HTTP ${status.status})`;
  const standinServer = await startNautobotStandin({
    dataset: generateDataset({ size: values.size as DatasetSize, seed: Number(values.seed) }),
    token: STANDIN_TOKEN,
  });
  const realProxy = await startRecordingProxy(peer.url);
  const standinProxy = await startRecordingProxy(standinServer.url);
  const real: Side = { name: 'real', url: peer.url, token: peer.token, proxy: realProxy };
  const standin: Side = { name: 'standin', url: standinServer.url, token: STANDIN_TOKEN, proxy: standinProxy };
  try {
    const ids = await idTranslation(peer, { url: standinServer.url, token: STANDIN_TOKEN });
    await checkEntries(real, standin, ids);
    await checkPaging(real, standin);
    await checkAuth(real, standin);
    await checkVersions(real, standin);
    await checkRaw(real, standin);
    await checkCli(real, standin);
  } finally {
    await realProxy.close();
    await standinProxy.close();
    await standinServer.stop();
  }
  process.stdout.write(`real Nautobot ${version} at ${peer.url} vs stand-in (dataset ${values.size}, seed ${values.seed})\n`);
  notes.push(`${valuesCompared} values compared at mapped paths, record by record`);
  for (const n of notes) process.stdout.write(`  note: ${n}\n`);
  let unknown = 0;
  for (const f of findings) {
    const known = KNOWN[f.key];
    if (known === undefined && !f.key.startsWith('shape-soft')) unknown += 1;
    process.stdout.write(`  ${known !== undefined ? 'KNOWN' : f.key.startsWith('shape-soft') ? 'soft ' : 'DIFF '} ${f.text}${known ? `  (${known})` : ''}\n`);
  }
  process.stdout.write(`${findings.length} differences, ${unknown} not known\n`);
  if (unknown > 0) process.exitCode = 1;
}

await main();
