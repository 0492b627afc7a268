// The NetBox source against the NetBox stand-in (a local server speaking NetBox's REST API).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNetboxAdapter } from '../../../shared/adapters/netbox/index.js';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { AdapterError } from '../../../shared/errors.js';
import { generateDataset } from '../../standins/dataset/generate.js';
import type { Dataset } from '../../standins/dataset/types.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { allLogText, testContext } from './helpers/context.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';

type Standin = Awaited<ReturnType<typeof startNetboxStandin>>;

const V1 = '0123456789abcdef0123456789abcdef01234567';
const V2 = 'nbt_k3y5tr1ng.s3cr3tP4rtOfTheV2Token0123456789';
let dataset: Dataset;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  dataset = generateDataset({ size: 'small', seed: 7 });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function standin(opts: Partial<Parameters<typeof startNetboxStandin>[0]> = {}): Promise<Standin> {
  const s = await startNetboxStandin({ dataset, token: V1, ...opts });
  cleanups.push(() => s.stop());
  return s;
}

async function proxy(target: string): Promise<RecordingProxy> {
  const p = await startRecordingProxy(target);
  cleanups.push(() => p.close());
  return p;
}

function netbox(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const ctx = testContext(env);
  const a: Adapter = createNetboxAdapter({ name: 'netbox', settings: { retry_base_ms: 5, ...settings } }, ctx);
  cleanups.push(() => a.close?.());
  return { a, ctx };
}

const fields = (...paths: string[]): LoadRequest['fields'] => paths.map((p) => ({ name: p.replace(/\./g, '_'), path: p }));
const req = (path: string, f = fields('name'), ids?: string[]): LoadRequest => ({
  side: 'source',
  model: 'X',
  path,
  fields: f,
  scope: ids ? { ids } : undefined,
});
/** Records as JSON with the server's own origin (in `url` fields) taken out. */
const withoutOrigin = (rs: RawRecord[], origin: string): unknown => JSON.parse(JSON.stringify(rs).split(origin).join(''));
const ids = (rs: RawRecord[]): string[] => rs.map((r) => String(r.id)).sort();

describe('NetBox source: endpoints and completeness', () => {
  it('maps dotted paths with underscores to dashed endpoints', async () => {
    const s = await standin();
    const { a } = netbox({ url: s.url, token: V1 });
    const roles = await a.load(req('dcim.device_roles'));
    await a.load(req('tenancy.tenant-groups'));
    expect(s.counters.byPath['/api/dcim/device-roles/']).toBe(1);
    expect(s.counters.byPath['/api/tenancy/tenant-groups/']).toBe(1);
    expect(roles).toHaveLength(s.dataset.tables['dcim.device-roles']?.length ?? -1);
  });

  it('reads every table completely (count and ids equal the stand-in data)', async () => {
    const s = await standin();
    const { a } = netbox({ url: s.url, token: V1, page_size: 100 });
    for (const [table, rows] of Object.entries(s.dataset.tables)) {
      const got = await a.load(req(table));
      expect(ids(got), table).toEqual(rows.map((r) => String(r.id)).sort());
    }
  });

  it('follows a MAX_PAGE_SIZE below page_size, fetching ceil(count / max) pages', async () => {
    const s = await standin({ maxPageSize: 7, defaultPageSize: 5 });
    const { a } = netbox({ url: s.url, token: V1, page_size: 1000, concurrency: 4 });
    const n = s.dataset.tables['dcim.interfaces']?.length ?? 0;
    const got = await a.load(req('dcim.interfaces'));
    expect(n).toBeGreaterThan(100);
    expect(ids(got)).toEqual((s.dataset.tables['dcim.interfaces'] ?? []).map((r) => String(r.id)).sort());
    expect(s.counters.byPath['/api/dcim/interfaces/']).toBe(Math.ceil(n / 7));
  });

  it('resolves nested brief objects and choice values by dotted path', async () => {
    const s = await standin();
    const { a } = netbox({ url: s.url, token: V1 });
    const devices = await a.load(req('dcim.devices', fields('name', 'site.name', 'status.value', 'role.slug')));
    const sites = new Map((s.dataset.tables['dcim.sites'] ?? []).map((r) => [r.id, r.name]));
    const row = s.dataset.tables['dcim.devices']?.[0];
    const d = devices.find((x) => x.id === row?.id) as { site: { name: string }; status: { value: string } } | undefined;
    expect(d?.site.name).toBe(sites.get(row?.site as number));
    expect(typeof d?.status.value).toBe('string');
  });
});

describe('NetBox source: request shape', () => {
  it('v1 tokens use "Token", v2 tokens (nbt_) use "Bearer"', async () => {
    for (const token of [V1, V2]) {
      const s = await standin({ token });
      const p = await proxy(s.url);
      const { a } = netbox({ url: p.url, token });
      expect((await a.load(req('dcim.sites'))).length).toBeGreaterThan(0);
      expect(p.headers[0]?.authorization).toBe(token === V2 ? `Bearer ${V2}` : `Token ${V1}`);
    }
  });

  // `exclude=config_context` up to NetBox 4.6 (4.7 ignores it), `omit=config_context` from 4.5 on
  // (4.7.3 was seen serving config_context with exclude alone); each version ignores the other.
  it('leaves config_context out on devices and virtual machines only (exclude and omit), unless the mapping reads it', async () => {
    const s = await standin();
    const p = await proxy(s.url);
    const { a } = netbox({ url: p.url, token: V1 });
    const devices = await a.load(req('dcim.devices'));
    await a.load(req('dcim.sites'));
    await a.load(req('dcim.devices', fields('name', 'config_context.ntp')));
    expect(p.urls.map((u) => `${u.pathname} ${u.searchParams.get('exclude')} ${u.searchParams.get('omit')}`)).toEqual([
      '/api/dcim/devices/ config_context config_context',
      '/api/dcim/sites/ null null',
      '/api/dcim/devices/ null null',
    ]);
    expect(devices.some((d) => 'config_context' in d)).toBe(false);
  });

  it('scope ids read only those objects, with ?id= filters', async () => {
    const s = await standin();
    const p = await proxy(s.url);
    const { a } = netbox({ url: p.url, token: V1 });
    const want = (s.dataset.tables['dcim.interfaces'] ?? []).slice(3, 6).map((r) => String(r.id));
    const got = await a.load(req('dcim.interfaces', fields('name'), want));
    expect(ids(got)).toEqual([...want].sort());
    expect(p.urls[0]?.searchParams.getAll('id').sort()).toEqual([...want].sort());
  });

  it('environment NETBOX_URL and NETBOX_TOKEN win over settings', async () => {
    const s = await standin();
    const { a } = netbox({ url: 'http://localhost:8000', token: 'wrong' }, { NETBOX_URL: s.url, NETBOX_TOKEN: V1 });
    expect((await a.load(req('dcim.sites'))).length).toBeGreaterThan(0);
  });
});

describe('NetBox source: failures', () => {
  it('a rejected token is an AdapterError naming netbox and the host, never the token', async () => {
    const s = await standin();
    const wrong = 'ffffffffffffffffffffffffffffffffffffffff';
    const { a, ctx } = netbox({ url: s.url, token: wrong });
    const err = await a.load(req('dcim.sites')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^netbox: authentication failed at 127\.0\.0\.1:\d+ .*token/);
    expect(msg).not.toContain(wrong);
    expect(allLogText(ctx.logger)).not.toContain(wrong);
    await expect(a.open?.()).rejects.toBeInstanceOf(AdapterError);
  });

  it('10% injected faults (500, 429, dropped connections) give the same result', async () => {
    const clean = await standin();
    const faulty = await standin({ faultRate: 0.1, faultSeed: 3, retryAfterSeconds: 0, maxPageSize: 25, defaultPageSize: 25 });
    const { a: good } = netbox({ url: clean.url, token: V1 });
    const { a: bad } = netbox({ url: faulty.url, token: V1, page_size: 25, retries: 8 });
    for (const table of ['dcim.interfaces', 'ipam.ip-addresses', 'dcim.devices']) {
      const expected = await good.load(req(table));
      const got = await bad.load(req(table));
      expect(withoutOrigin(got, faulty.url), table).toEqual(withoutOrigin(expected, clean.url));
    }
    expect(faulty.counters.faults).toBeGreaterThan(0);
  });

  it('an unreachable server is an AdapterError', async () => {
    const s = await standin();
    const url = s.url;
    await s.stop();
    cleanups.pop();
    const { a } = netbox({ url, token: V1, retries: 1 });
    await expect(a.load(req('dcim.sites'))).rejects.toThrow(/netbox: cannot reach 127\.0\.0\.1/);
  });
});
