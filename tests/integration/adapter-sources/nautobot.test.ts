// The Nautobot source against the Nautobot stand-in (a local server speaking Nautobot 2.x REST).
// A recording proxy in front of the stand-in shows the query each request carried.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNautobotAdapter } from '../../../shared/adapters/nautobot/index.js';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { AdapterError } from '../../../shared/errors.js';
import { generateDataset } from '../../standins/dataset/generate.js';
import type { Dataset } from '../../standins/dataset/types.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { allLogText, testContext } from './helpers/context.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';

type Standin = Awaited<ReturnType<typeof startNautobotStandin>>;

const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
let dataset: Dataset;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  dataset = generateDataset({ size: 'small', seed: 11 });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function standin(opts: Partial<Parameters<typeof startNautobotStandin>[0]> = {}): Promise<Standin> {
  const s = await startNautobotStandin({ dataset, token: TOKEN, ...opts });
  cleanups.push(() => s.stop());
  return s;
}

async function proxied(opts: Partial<Parameters<typeof startNautobotStandin>[0]> = {}): Promise<{ s: Standin; p: RecordingProxy }> {
  const s = await standin(opts);
  const p = await startRecordingProxy(s.url);
  cleanups.push(() => p.close());
  return { s, p };
}

function nautobot(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const ctx = testContext(env);
  const a: Adapter = createNautobotAdapter({ name: 'nautobot', settings: { retry_base_ms: 5, ...settings } }, ctx);
  cleanups.push(() => a.close?.());
  return { a, ctx };
}

const field = (path: string, reference?: string) => ({ name: path.replace(/\./g, '_'), path, reference });
const req = (path: string, fields = [field('name')], ids?: string[]): LoadRequest => ({
  side: 'source',
  model: 'X',
  path,
  fields,
  scope: ids ? { ids } : undefined,
});
const ids = (rs: RawRecord[]): string[] => rs.map((r) => String(r.id)).sort();
const rowIds = (s: Standin, table: string): string[] => (s.dataset.tables[table] ?? []).map((r) => String(r.id)).sort();
const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), o);
const withoutOrigin = (rs: RawRecord[], origin: string): unknown => JSON.parse(JSON.stringify(rs).split(origin).join(''));

describe('Nautobot source: endpoints and completeness', () => {
  it('maps dotted paths with underscores to dashed endpoints', async () => {
    const s = await standin();
    const { a } = nautobot({ url: s.url, token: TOKEN });
    const types = await a.load(req('dcim.device_types', [field('model')]));
    await a.load(req('tenancy.tenant-groups'));
    expect(s.counters.byPath['/api/dcim/device-types/']).toBe(1);
    expect(s.counters.byPath['/api/tenancy/tenant-groups/']).toBe(1);
    expect(ids(types)).toEqual(rowIds(s, 'dcim.device-types'));
  });

  it('reads every table completely', async () => {
    const s = await standin();
    const { a } = nautobot({ url: s.url, token: TOKEN, page_size: 100 });
    for (const table of Object.keys(s.dataset.tables)) {
      expect(ids(await a.load(req(table))), table).toEqual(rowIds(s, table));
    }
  });

  it('follows a MAX_PAGE_SIZE below page_size', async () => {
    const s = await standin({ maxPageSize: 9, defaultPageSize: 5 });
    const { a } = nautobot({ url: s.url, token: TOKEN, page_size: 500, concurrency: 3 });
    const n = s.dataset.tables['dcim.interfaces']?.length ?? 0;
    expect(ids(await a.load(req('dcim.interfaces')))).toEqual(rowIds(s, 'dcim.interfaces'));
    expect(s.counters.byPath['/api/dcim/interfaces/']).toBe(Math.ceil(n / 9));
  });

  it('keeps at most `concurrency` requests in flight, and uses them all', async () => {
    const s = await standin({ maxPageSize: 10, latencyMs: 20 });
    const { a } = nautobot({ url: s.url, token: TOKEN, page_size: 10, concurrency: 4 });
    expect(ids(await a.load(req('dcim.interfaces')))).toEqual(rowIds(s, 'dcim.interfaces'));
    expect(s.counters.byPath['/api/dcim/interfaces/']).toBeGreaterThan(8);
    expect(s.counters.peakInFlight).toBe(4);
  });
});

describe('Nautobot source: depth', () => {
  it('asks for depth 0 for plain fields and references, and gets the peer ids', async () => {
    const { s, p } = await proxied();
    const { a } = nautobot({ url: p.url, token: TOKEN });
    const racks = await a.load(req('dcim.racks', [field('name'), field('location', 'LocationGeneric'), field('tags', 'BuiltinTag')]));
    expect(p.urls.map((u) => u.searchParams.get('depth'))).toEqual(['0']);
    const row = s.dataset.tables['dcim.racks']?.[0];
    const rack = racks.find((r) => r.id === row?.id);
    expect(get(rack, 'location.id')).toBe(row?.location);
    expect(Array.isArray(rack?.tags)).toBe(true);
    expect(p.urls[0]?.searchParams.has('exclude_m2m')).toBe(false);
  });

  it('asks for depth 1 for status.name and depth 2 for device_type.manufacturer.name, and the names resolve', async () => {
    const { s, p } = await proxied();
    const { a } = nautobot({ url: p.url, token: TOKEN });
    const locations = await a.load(req('dcim.locations', [field('name'), field('status.name')]));
    const devices = await a.load(req('dcim.devices', [field('name'), field('device_type.manufacturer.name')]));
    expect(p.urls.map((u) => `${u.pathname} ${u.searchParams.get('depth')}`)).toEqual([
      '/api/dcim/locations/ 1',
      '/api/dcim/devices/ 2',
    ]);
    const statusNames = new Set((s.dataset.tables['extras.statuses'] ?? []).map((r) => r.name));
    expect(locations.every((l) => statusNames.has(get(l, 'status.name') as string))).toBe(true);
    const manufacturers = new Map((s.dataset.tables['dcim.manufacturers'] ?? []).map((r) => [r.id, r.name]));
    const types = new Map((s.dataset.tables['dcim.device-types'] ?? []).map((r) => [r.id, r.manufacturer]));
    const row = s.dataset.tables['dcim.devices']?.[0];
    const device = devices.find((d) => d.id === row?.id);
    expect(get(device, 'device_type.manufacturer.name')).toBe(manufacturers.get(types.get(row?.device_type as string) as string));
  });

  it('reads choice labels (type.label, mode.label) at depth 0 in one pass', async () => {
    const { p } = await proxied();
    const { a } = nautobot({ url: p.url, token: TOKEN });
    const fields = [field('name'), field('type.label'), field('mode.label'), field('device', 'InfraDevice')];
    const out = await a.load(req('dcim.interfaces', fields));
    expect(new Set(p.urls.map((u) => u.searchParams.get('depth')))).toEqual(new Set(['0']));
    expect(out.every((i) => typeof get(i, 'type.label') === 'string')).toBe(true);
  });

  it('reads again at depth 1 when a .label path lands on a related object', async () => {
    const { p } = await proxied();
    const { a, ctx } = nautobot({ url: p.url, token: TOKEN });
    const out = await a.load(req('dcim.front-ports', [field('name'), field('rear_port.label')]));
    const depths = p.urls.map((u) => u.searchParams.get('depth'));
    expect(depths[0]).toBe('0');
    expect(depths[depths.length - 1]).toBe('1');
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((fp) => typeof get(fp, 'rear_port.name') === 'string')).toBe(true);
    expect(ctx.logger.entries.some((e) => e.message.includes('related objects, not choices'))).toBe(true);
  });

  it('a depth setting overrides the derived one', async () => {
    const { p } = await proxied();
    const { a } = nautobot({ url: p.url, token: TOKEN, depth: 3 });
    await a.load(req('dcim.locations'));
    expect(p.urls[0]?.searchParams.get('depth')).toBe('3');
  });
});

describe('Nautobot source: headers, scope, env', () => {
  it('sends Token auth, and the API version only when configured', async () => {
    const { p } = await proxied();
    await nautobot({ url: p.url, token: TOKEN }).a.load(req('extras.tags'));
    await nautobot({ url: p.url, token: TOKEN, api_version: '2.1' }).a.load(req('extras.tags'));
    expect(p.headers.map((h) => [h.authorization, h.accept])).toEqual([
      [`Token ${TOKEN}`, 'application/json'],
      [`Token ${TOKEN}`, 'application/json; version=2.1'],
    ]);
  });

  it('an unsupported API version is an AdapterError from the server', async () => {
    const s = await standin();
    const { a } = nautobot({ url: s.url, token: TOKEN, api_version: '9.9' });
    await expect(a.load(req('extras.tags'))).rejects.toBeInstanceOf(AdapterError);
  });

  it('scope ids read only those objects', async () => {
    const { s, p } = await proxied();
    const { a } = nautobot({ url: p.url, token: TOKEN });
    const want = rowIds(s, 'dcim.interfaces').slice(10, 14);
    expect(ids(await a.load(req('dcim.interfaces', [field('name')], want)))).toEqual(want);
    expect(p.urls[0]?.searchParams.getAll('id').sort()).toEqual(want);
  });

  it('NAUTOBOT_ADDRESS and NAUTOBOT_TOKEN win over settings', async () => {
    const s = await standin();
    const { a } = nautobot({ url: 'http://localhost:8000', token: 'x' }, { NAUTOBOT_ADDRESS: s.url, NAUTOBOT_TOKEN: TOKEN });
    expect((await a.load(req('extras.tags'))).length).toBeGreaterThan(0);
  });
});

describe('Nautobot source: failures', () => {
  it('a rejected token is an AdapterError naming nautobot and the host, never the token', async () => {
    const s = await standin();
    const wrong = '0000000000000000000000000000000000000bad';
    const { a, ctx } = nautobot({ url: s.url, token: wrong });
    const err = await a.load(req('extras.tags')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^nautobot: authentication failed at 127\.0\.0\.1:\d+ .*token/);
    expect(msg).not.toContain(wrong);
    expect(allLogText(ctx.logger)).not.toContain(wrong);
    await expect(a.open?.()).rejects.toBeInstanceOf(AdapterError);
  });

  it('10% injected faults give the same result', async () => {
    const clean = await standin();
    const faulty = await standin({ faultRate: 0.1, faultSeed: 5, retryAfterSeconds: 0, maxPageSize: 40, defaultPageSize: 40 });
    const { a: good } = nautobot({ url: clean.url, token: TOKEN });
    const { a: bad } = nautobot({ url: faulty.url, token: TOKEN, retries: 8 });
    const fields = [field('name'), field('status.name'), field('device', 'InfraDevice')];
    for (const table of ['dcim.interfaces', 'ipam.ip-addresses']) {
      const expected = await good.load(req(table, fields));
      expect(withoutOrigin(await bad.load(req(table, fields)), faulty.url), table).toEqual(withoutOrigin(expected, clean.url));
    }
    expect(faulty.counters.faults).toBeGreaterThan(0);
  });
});
