// NetBox stand-in over HTTP: shapes (NetBox 4.1 serializer fields, recorded fixtures' keys),
// pagination, auth, filters, faults, counters and live mutation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateDataset } from '../../standins/dataset/generate.js';
import { startNetboxStandin, type Standin } from '../../standins/netbox/server.js';
import { shapesAt } from '../../peers/netbox/shapes.js';

type Obj = Record<string, unknown>;
interface Page { count: number; next: string | null; previous: string | null; results: Obj[] }

const TOKEN = 'nb-test-token';
const fixture = (name: string): Obj =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/netbox/${name}`, import.meta.url)), 'utf8')) as Obj;

/** NetBox v4.1.11 DeviceWithConfigContextSerializer fields (dcim/api/serializers_/devices.py). */
const DEVICE_FIELDS = [
  'id', 'url', 'display_url', 'display', 'name', 'device_type', 'role', 'tenant', 'platform', 'serial',
  'asset_tag', 'site', 'location', 'rack', 'position', 'face', 'latitude', 'longitude', 'parent_device',
  'status', 'airflow', 'primary_ip', 'primary_ip4', 'primary_ip6', 'oob_ip', 'cluster', 'virtual_chassis',
  'vc_position', 'vc_priority', 'description', 'comments', 'config_template', 'config_context', 'local_context_data', 'tags',
  'custom_fields', 'created', 'last_updated', 'console_port_count', 'console_server_port_count',
  'power_port_count', 'power_outlet_count', 'interface_count', 'front_port_count', 'rear_port_count',
  'device_bay_count', 'module_bay_count', 'inventory_item_count',
];

describe('NetBox stand-in', () => {
  let nb: Standin;
  const get = async (path: string, token: string | null = TOKEN, scheme = 'Token'): Promise<{ status: number; body: unknown; headers: Headers }> => {
    const res = await fetch(path.startsWith('http') ? path : `${nb.url}${path}`, {
      headers: token === null ? {} : { Authorization: `${scheme} ${token}` },
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const page = async (path: string): Promise<Page> => {
    const r = await get(path);
    expect(r.status).toBe(200);
    return r.body as Page;
  };

  beforeAll(async () => {
    nb = await startNetboxStandin({ dataset: generateDataset({ size: 'small', seed: 3 }), token: TOKEN, maxPageSize: 200 });
  });
  afterAll(async () => nb.stop());

  it('serves devices with exactly the NetBox 4.1 device fields and brief nested objects', async () => {
    const p = await page('/api/dcim/devices/?limit=1');
    const dev = p.results[0] as Obj;
    expect(Object.keys(dev)).toEqual(DEVICE_FIELDS);
    expect(Object.keys(dev.site as Obj)).toEqual(['id', 'url', 'display', 'name', 'description', 'slug']);
    expect(Object.keys(dev.device_type as Obj)).toEqual(['id', 'url', 'display', 'manufacturer', 'model', 'slug', 'description', 'device_count']);
    expect((dev.status as Obj).value).toMatch(/^[a-z]+$/);
    expect(typeof dev.id).toBe('number');
    expect(dev.url).toBe(`${nb.url}/api/dcim/devices/${String(dev.id)}/`);
  });

  it('keeps every nested key the recorded pynetbox device fixture has (except 2.x display_name)', async () => {
    const recorded = fixture('pynetbox.dcim.device.json');
    const dev = (await page('/api/dcim/devices/?limit=1')).results[0] as Obj;
    for (const key of ['device_type', 'role', 'platform', 'site', 'rack', 'face', 'status', 'primary_ip4']) {
      const want = Object.keys(recorded[key] as Obj).filter((k) => k !== 'display_name');
      expect(Object.keys(dev[key] as Obj), key).toEqual(expect.arrayContaining(want));
    }
  });

  it('pages like the recorded interface list: envelope keys and limit/offset next link', async () => {
    const recorded = fixture('pynetbox.dcim.interfaces_1.json');
    const p = await page('/api/dcim/interfaces/');
    expect(Object.keys(p)).toEqual(Object.keys(recorded));
    expect(p.results).toHaveLength(50);
    expect(p.next).toBe(`${nb.url}/api/dcim/interfaces/?limit=50&offset=50`);
    expect(p.previous).toBeNull();
  });

  it('walks every page to exactly count unique objects, with previous links back', async () => {
    let next: string | null = `${nb.url}/api/dcim/interfaces/?limit=170`;
    const ids = new Set<unknown>();
    let count = 0;
    let pages = 0;
    while (next) {
      const p = await page(next);
      count = p.count;
      if (pages > 0) expect(p.previous).not.toBeNull();
      p.results.forEach((r) => ids.add(r.id));
      next = p.next;
      pages += 1;
    }
    expect(count).toBe(600);
    expect(ids.size).toBe(600);
    expect(pages).toBe(Math.ceil(600 / 170));
    const second = await page('/api/dcim/interfaces/?limit=170&offset=170');
    expect(second.previous).toBe(`${nb.url}/api/dcim/interfaces/?limit=170`);
  });

  it('caps limit at MAX_PAGE_SIZE and treats limit=0 as MAX_PAGE_SIZE', async () => {
    const capped = await page('/api/dcim/interfaces/?limit=5000');
    expect(capped.results).toHaveLength(200);
    expect(capped.next).toContain('limit=200');
    const zero = await page('/api/dcim/interfaces/?limit=0');
    expect(zero.results).toHaveLength(200);
  });

  it('rejects a wrong or missing token with 403 and NetBox 4.5 bodies', async () => {
    expect(await get('/api/dcim/devices/', 'wrong')).toMatchObject({ status: 403, body: { detail: 'Invalid v1 token' } });
    expect(await get('/api/dcim/devices/', null)).toMatchObject({ status: 403, body: { detail: 'Authentication credentials were not provided.' } });
    expect(await get('/api/dcim/devices/', TOKEN, 'Basic')).toMatchObject({ status: 403, body: { detail: 'Authentication credentials were not provided.' } });
    expect((await get('/api/dcim/devices/', `${TOKEN} extra`)).status).toBe(403);
    // A v1 token is never a v2 one, whatever its secret part.
    expect(await get('/api/dcim/devices/', `nbt_abc123.${TOKEN}`, 'Bearer')).toMatchObject({ status: 403, body: { detail: 'Invalid v2 token' } });
    // NetBox 4.5 takes the version from the value, so either keyword carries either version.
    expect((await get('/api/dcim/devices/', TOKEN, 'Bearer')).status).toBe(200);
  });

  it('authenticates v2 tokens by key and secret, under Bearer or Token, as NetBox 4.5 does', async () => {
    const v2 = 'nbt_k3y.s3cr3t0123456789';
    const s = await startNetboxStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: v2 });
    try {
      const status = async (auth: string) => (await fetch(`${s.url}/api/dcim/sites/`, { headers: { Authorization: auth } })).status;
      expect(await status(`Bearer ${v2}`)).toBe(200);
      expect(await status(`Token ${v2}`)).toBe(200);
      expect(await status('Bearer nbt_k3y.wrong')).toBe(403);
      expect(await status('Bearer nbt_other.s3cr3t0123456789')).toBe(403);
      expect(await status('Bearer s3cr3t0123456789')).toBe(403);
      const noKey = await fetch(`${s.url}/api/dcim/sites/`, { headers: { Authorization: 'Bearer nbt_nodot' } });
      expect(noKey.status).toBe(403);
      expect(((await noKey.json()) as Obj).detail).toMatch(/Could not parse key from v2 token/);
    } finally {
      await s.stop();
    }
  });

  it('caps every limit at MAX_PAGE_SIZE, also PAGINATE_COUNT when it is larger', async () => {
    const s = await startNetboxStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: TOKEN, maxPageSize: 3, defaultPageSize: 5 });
    try {
      const n = async (q: string) => ((await (await fetch(`${s.url}/api/dcim/interfaces/${q}`, { headers: { Authorization: `Token ${TOKEN}` } })).json()) as Page).results.length;
      expect(await n('')).toBe(3);
      expect(await n('?limit=4')).toBe(3);
      expect(await n('?limit=0')).toBe(3);
      expect(await n('?limit=2')).toBe(2);
    } finally {
      await s.stop();
    }
  });

  it('filters by repeated id, name, <fk>_id, q and tag; ignores unknown keys', async () => {
    const ids = await page('/api/dcim/devices/?id=3&id=7&id=9999');
    expect(ids.results.map((r) => r.id)).toEqual([3, 7]);
    const all = await page('/api/dcim/devices/?limit=1000');
    const target = all.results[4] as Obj;
    const byName = await page(`/api/dcim/devices/?name=${encodeURIComponent(String(target.name))}`);
    expect(byName.results.map((r) => r.id)).toEqual([target.id]);
    const siteId = (target.site as Obj).id as number;
    const bySite = await page(`/api/dcim/devices/?site_id=${siteId}&limit=1000`);
    expect(bySite.count).toBe(all.results.filter((d) => (d.site as Obj).id === siteId).length);
    expect(bySite.results.every((d) => (d.site as Obj).id === siteId)).toBe(true);
    const q = await page('/api/dcim/devices/?q=PDU&limit=1000');
    expect(q.count).toBeGreaterThan(0);
    expect(q.results.every((d) => String(d.name).toLowerCase().includes('pdu'))).toBe(true);
    const ifaces = await page(`/api/dcim/interfaces/?device_id=${String(target.id)}&limit=1000`);
    expect(ifaces.results.every((i) => (i.device as Obj).id === target.id)).toBe(true);
    expect(ifaces.count).toBe(target.interface_count);
    const unknown = await page('/api/dcim/devices/?no_such_filter=1');
    expect(unknown.count).toBe(all.count);
  });

  it('supports exclude=config_context, omit= (NetBox 4.5+), brief=true, detail and 404', async () => {
    const ex = await page('/api/dcim/devices/?limit=1&exclude=config_context');
    expect(ex.results[0]).not.toHaveProperty('config_context');
    const om = (await page('/api/dcim/devices/?limit=1&omit=config_context,comments')).results[0] as Obj;
    expect(om).not.toHaveProperty('config_context');
    expect(om).not.toHaveProperty('comments');
    expect(om).toHaveProperty('name');
    const brief = await page('/api/dcim/devices/?limit=1&brief=true');
    expect(Object.keys(brief.results[0] as Obj)).toEqual(['id', 'url', 'display', 'name', 'description']);
    const detail = await get('/api/ipam/vlans/2/');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: 2, display: expect.stringMatching(/\(\d+\)$/) });
    expect((await get('/api/ipam/vlans/99999/')).status).toBe(404);
    expect((await get('/api/dcim/nope/')).status).toBe(404);
  });

  it('answers /api/status/ with the NetBox version', async () => {
    const s = await get('/api/status/');
    expect(s.body).toMatchObject({ 'netbox-version': '4.1.11' });
  });

  it('serves what a test changed in the dataset, also inside nested objects', async () => {
    const dev = nb.dataset.tables['dcim.devices']?.find((r) => r.id === 1);
    expect(dev).toBeDefined();
    if (!dev) return;
    const before = dev.name ?? null;
    dev.name = 'renamed-by-test';
    try {
      expect(((await get('/api/dcim/devices/1/')).body as Obj).name).toBe('renamed-by-test');
      const iface = (await page('/api/dcim/interfaces/?device_id=1&limit=1')).results[0] as Obj;
      expect((iface.device as Obj).name).toBe('renamed-by-test');
    } finally {
      dev.name = before;
    }
  });

  // Seen on a real NetBox 4.7.3 (tests/fixtures/netbox-real/), and so since 3.x: Rack.__str__ adds
  // the facility id, Device.__str__ the asset tag, and an unnamed device is "<manufacturer> <model> (<asset tag or id>)".
  it('displays racks and devices as NetBox does, at the top level and nested', async () => {
    const dev = nb.dataset.tables['dcim.devices']?.find((r) => r.id === 1);
    const rack = nb.dataset.tables['dcim.racks']?.find((r) => r.id === dev?.rack);
    expect(dev && rack).toBeTruthy();
    if (!dev || !rack) return;
    const saved = { name: dev.name ?? null, asset_tag: dev.asset_tag ?? null, facility_id: rack.facility_id ?? null };
    const type = nb.dataset.tables['dcim.device-types']?.find((r) => r.id === dev.device_type);
    const maker = nb.dataset.tables['dcim.manufacturers']?.find((r) => r.id === type?.manufacturer);
    const shown = async (): Promise<[unknown, unknown, unknown]> => {
      const d = (await get('/api/dcim/devices/1/')).body as Obj;
      const iface = (await page('/api/dcim/interfaces/?device_id=1&limit=1')).results[0] as Obj;
      return [d.display, (iface.device as Obj).display, (d.rack as Obj).display];
    };
    try {
      Object.assign(dev, { name: 'edge-1', asset_tag: 'AT-9' });
      rack.facility_id = 'R.1';
      expect(await shown()).toEqual(['edge-1 (AT-9)', 'edge-1 (AT-9)', `${String(rack.name)} (R.1)`]);
      Object.assign(dev, { name: null });
      rack.facility_id = null;
      expect(await shown()).toEqual([`${String(maker?.name)} ${String(type?.model)} (AT-9)`, expect.any(String), String(rack.name)]);
      Object.assign(dev, { asset_tag: null });
      expect((await shown())[0]).toBe(`${String(maker?.name)} ${String(type?.model)} (1)`);
    } finally {
      Object.assign(dev, { name: saved.name, asset_tag: saved.asset_tag });
      rack.facility_id = saved.facility_id;
    }
  });

  // tests/fixtures/netbox-real: first pages recorded from a real NetBox 4.7.3 (the stand-in is 4.1).
  it('serves every path the NetBox example config reads in a shape a real NetBox served it', async () => {
    const config = parse(readFileSync(fileURLToPath(new URL('../../fixtures/netbox/infrahub-sync.netbox_to_infrahub.config.yml', import.meta.url)), 'utf8')) as {
      schema_mapping: { mapping: string; fields: { mapping?: string }[] }[];
    };
    /** NetBox 4.2 moved Prefix.site into scope/scope_type/scope_id; 4.1 (the stand-in) still has site. */
    const versionChanges = new Set(['ipam.prefixes site']);
    const problems: string[] = [];
    for (const entry of config.schema_mapping) {
      const table = entry.mapping.replace(/_/g, '-');
      const real = (JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/netbox-real/${table}.limit2.json`, import.meta.url)), 'utf8')) as Page).results;
      const served = (await page(`/api/${table.replace('.', '/')}/?limit=1000`)).results;
      for (const path of ['id', 'url', 'display', ...entry.fields.flatMap((f) => (f.mapping ? [f.mapping] : []))]) {
        if (versionChanges.has(`${table} ${path}`)) continue;
        const mine = new Set(shapesAt(served, path));
        const missing = shapesAt(real, path).filter((sh) => sh !== 'null' && sh !== 'list(empty)' && !mine.has(sh));
        if (missing.length) problems.push(`${table} ${path}: real ${missing.join('|')}, stand-in ${[...mine].join('|')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('counts requests per path and resets', async () => {
    nb.resetCounters();
    await get('/api/dcim/sites/');
    await get('/api/dcim/sites/');
    await get('/api/status/');
    expect(nb.counters.requests).toBe(3);
    expect(nb.counters.byPath).toEqual({ '/api/dcim/sites/': 2, '/api/status/': 1 });
    // The same numbers over HTTP, for a stand-in in another process; asking is not counted.
    const remote = (await (await fetch(`${nb.url}/_standin/counters`)).json()) as Obj;
    expect(remote).toEqual({ requests: 3, byPath: { '/api/dcim/sites/': 2, '/api/status/': 1 }, faults: 0, bytes: expect.any(Number), peakInFlight: 1 });
    expect(remote.bytes).toBe(nb.counters.bytes);
    expect(nb.counters.bytes).toBeGreaterThan(0);
    expect(nb.counters.requests).toBe(3);
    nb.resetCounters();
    expect(nb.counters.requests).toBe(0);
    expect(nb.counters.bytes).toBe(0);
  });
});
