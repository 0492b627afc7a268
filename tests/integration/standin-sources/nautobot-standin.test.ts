// Nautobot stand-in over HTTP: 2.x shapes (recorded fixtures' keys), ?depth, exclude_m2m,
// version negotiation, strict filters, auth, pagination.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../standins/dataset/generate.js';
import { renderNautobot } from '../../standins/dataset/render-nautobot.js';
import { startNautobotStandin, type NautobotStandin } from '../../standins/nautobot/server.js';

type Obj = Record<string, unknown>;
interface Page { count: number; next: string | null; previous: string | null; results: Obj[] }

const TOKEN = 'nautobot-test-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const fixture = (name: string): Obj =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/nautobot/${name}`, import.meta.url)), 'utf8')) as Obj;

describe('Nautobot stand-in', () => {
  let nau: NautobotStandin;
  const get = async (path: string, headers: Record<string, string> = { Authorization: `Token ${TOKEN}` }) => {
    const res = await fetch(path.startsWith('http') ? path : `${nau.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };
  const page = async (path: string): Promise<Page> => {
    const r = await get(path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Page;
  };

  beforeAll(async () => {
    nau = await startNautobotStandin({ dataset: generateDataset({ size: 'small', seed: 5 }), token: TOKEN, maxPageSize: 100 });
  });
  afterAll(async () => nau.stop());

  it('serves namespaces with every key of the recorded 2.x namespace, plus object_type and natural_slug', async () => {
    const recorded = fixture('pynautobot.ipam.namespace.json');
    const ns = (await page('/api/ipam/namespaces/')).results[0] as Obj;
    expect(Object.keys(ns)).toEqual(expect.arrayContaining(Object.keys(recorded)));
    expect(ns.id).toMatch(UUID);
    expect(ns.url).toBe(`${nau.url}/api/ipam/namespaces/${String(ns.id)}/`);
    expect(ns.notes_url).toBe(`${ns.url as string}notes/`);
  });

  it('orders the leading keys like the recorded 2.x dynamic group', async () => {
    const lead = Object.keys(fixture('pynautobot.extras.dynamic_group.json')).slice(0, 5);
    const dev = (await page('/api/dcim/devices/?limit=1')).results[0] as Obj;
    expect(Object.keys(dev).slice(0, 5)).toEqual(lead);
    expect(Object.keys(dev).slice(-2)).toEqual(['notes_url', 'custom_fields']);
  });

  it('renders relations as {id, object_type, url} at depth 0 and inlines them with ?depth', async () => {
    const d0 = (await page('/api/dcim/devices/?limit=1')).results[0] as Obj;
    expect(Object.keys(d0.status as Obj)).toEqual(['id', 'object_type', 'url']);
    expect((d0.status as Obj).object_type).toBe('extras.status');
    expect(Object.keys((d0.tags as Obj[])[0] ?? { id: 0, object_type: 0, url: 0 })).toEqual(['id', 'object_type', 'url']);

    const d1 = (await page('/api/dcim/devices/?limit=1&depth=1')).results[0] as Obj;
    expect(d1.status).toMatchObject({ name: expect.any(String), display: expect.any(String), color: expect.any(String) });
    const loc1 = d1.location as Obj;
    expect(Object.keys(loc1.location_type as Obj)).toEqual(['id', 'object_type', 'url']);
    expect(loc1).not.toHaveProperty('tags');
    expect(loc1).not.toHaveProperty('device_count');

    const d2 = (await page('/api/dcim/devices/?limit=1&depth=2')).results[0] as Obj;
    expect(((d2.location as Obj).location_type as Obj).name).toBe('Site');
    // Nautobot asserts the range and answers 500 (tests/fixtures/nautobot-real/errors.json).
    expect((await get('/api/dcim/devices/?depth=11')).status).toBe(500);
  });

  it('includes many-to-many fields unless exclude_m2m is true', async () => {
    const withM2m = (await page('/api/dcim/interfaces/?limit=1')).results[0] as Obj;
    expect(withM2m).toHaveProperty('tagged_vlans');
    expect(withM2m).toHaveProperty('tags');
    const without = (await page('/api/dcim/interfaces/?limit=1&exclude_m2m=true')).results[0] as Obj;
    expect(without).not.toHaveProperty('tagged_vlans');
    expect(without).not.toHaveProperty('tags');
  });

  it('maps IPAM through namespaces, and status/role to extras objects', async () => {
    const prefixes = await page('/api/ipam/prefixes/?limit=100&depth=1');
    const namespaces = new Set(prefixes.results.map((p) => (p.namespace as Obj).name));
    expect(namespaces).toEqual(new Set(['Global', 'Customer-A']));
    const ip = (await page('/api/ipam/ip-addresses/?limit=1&depth=1')).results[0] as Obj;
    expect((ip.parent as Obj).prefix).toEqual(expect.stringMatching(/\/24$/));
    expect((ip.interfaces as Obj[])[0]).toMatchObject({ object_type: 'dcim.interface' });
    expect((ip.role as Obj).name).toBe('Management');
  });

  it('negotiates the API version from Accept and rejects unknown versions with 406', async () => {
    const ok = await get('/api/dcim/devices/?limit=1', { Authorization: `Token ${TOKEN}`, Accept: 'application/json; version=2.1' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('api-version')).toBe('2.1');
    const bad = await get('/api/dcim/devices/', { Authorization: `Token ${TOKEN}`, Accept: 'application/json; version=9.9' });
    expect(bad.status).toBe(406);
  });

  it('rejects bad tokens with the Nautobot body', async () => {
    expect(await get('/api/dcim/devices/', { Authorization: 'Token nope' })).toMatchObject({ status: 403, body: { detail: 'Invalid token' } });
    expect((await get('/api/dcim/devices/', {})).status).toBe(403);
  });

  it('answers auth, version, depth and filter errors as a real Nautobot 2.4.44 did (recorded)', async () => {
    interface Case { request: string; headers: Record<string, string>; status: number; apiVersionHeader: string | null; body: unknown }
    const recorded = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../fixtures/nautobot-real/errors.json', import.meta.url)), 'utf8'),
    ) as { cases: Record<string, Case> };
    for (const [name, c] of Object.entries(recorded.cases)) {
      const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, v.replace('<token>', TOKEN)]));
      const got = await get(c.request.replace(/^GET /, ''), headers);
      expect({ status: got.status, body: got.body }, name).toEqual({ status: c.status, body: c.body });
      expect(got.headers.get('api-version'), name).toBe(c.apiVersionHeader);
    }
  });

  it('serves interfaces and VRFs with the keys a real Nautobot 2.4.44 list has, counts and many-to-many included', async () => {
    const real = (file: string): Obj => {
      const rec = JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/nautobot-real/${file}`, import.meta.url)), 'utf8')) as { body: Page };
      return rec.body.results[0] as Obj;
    };
    const keys = (o: Obj): string[] => Object.keys(o).sort();
    expect(keys((await page('/api/dcim/interfaces/?depth=0&limit=1')).results[0] as Obj)).toEqual(keys(real('interfaces-depth0.json')));
    const vrf = (await page('/api/ipam/vrfs/?depth=0&limit=1')).results[0] as Obj;
    expect(keys(vrf)).toEqual(keys(real('vrfs-depth0.json')));
    expect(Array.isArray(vrf.prefixes)).toBe(true);
    const lean = (await page('/api/ipam/vrfs/?exclude_m2m=true&limit=1')).results[0] as Obj;
    for (const k of ['devices', 'virtual_machines', 'virtual_device_contexts', 'prefixes']) expect(lean, k).not.toHaveProperty(k);
  });

  it('adds config_context, computed_fields and relationships only when ?include names them', async () => {
    const plain = (await page('/api/dcim/devices/?limit=1')).results[0] as Obj;
    for (const k of ['config_context', 'computed_fields', 'relationships']) expect(plain, k).not.toHaveProperty(k);
    const both = (await page('/api/dcim/devices/?include=config_context,computed_fields&include=relationships&limit=1')).results[0] as Obj;
    expect(both).toMatchObject({ config_context: {}, computed_fields: {}, relationships: {} });
    // A non-integer depth is ignored (depth 0), not refused.
    const odd = (await page('/api/dcim/devices/?depth=abc&limit=1')).results[0] as Obj;
    expect(Object.keys(odd.status as Obj).sort()).toEqual(['id', 'object_type', 'url']);
  });

  it('filters by repeated id, by relation name or id, and rejects unknown filters (strict filtering)', async () => {
    const all = await page('/api/dcim/devices/?limit=100');
    const [a, b] = all.results as [Obj, Obj];
    const byId = await page(`/api/dcim/devices/?id=${String(a.id)}&id=${String(b.id)}`);
    expect(byId.results.map((r) => r.id)).toEqual([a.id, b.id]);
    const locId = (a.location as Obj).id as string;
    const byLoc = await page(`/api/dcim/devices/?location=${locId}&limit=100`);
    expect(byLoc.count).toBe(all.results.filter((d) => (d.location as Obj).id === locId).length);
    const byLocId = await page(`/api/dcim/devices/?location_id=${locId}&limit=100`);
    expect(byLocId.count).toBe(byLoc.count);
    const active = await page('/api/dcim/devices/?status=Active&limit=100');
    expect(active.count).toBeGreaterThan(0);
    expect(active.count).toBeLessThanOrEqual(all.count);
    const strict = await get('/api/dcim/devices/?no_such_filter=1');
    expect(strict).toMatchObject({ status: 400, body: { no_such_filter: ['Unknown filter field'] } });
  });

  it('caps a given limit at MAX_PAGE_SIZE but serves PAGINATE_COUNT as set, as Nautobot does', async () => {
    const s = await startNautobotStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: TOKEN, maxPageSize: 3, defaultPageSize: 5 });
    try {
      const n = async (q: string) => ((await (await fetch(`${s.url}/api/dcim/interfaces/${q}`, { headers: { Authorization: `Token ${TOKEN}` } })).json()) as Page).results.length;
      expect(await n('?limit=4')).toBe(3);
      expect(await n('?limit=0')).toBe(3);
      expect(await n('?limit=2')).toBe(2);
      expect(await n('')).toBe(5);
    } finally {
      await s.stop();
    }
  });

  it('serves changes made through its dataset after the objects were rendered and cached', async () => {
    const dev = nau.dataset.tables['dcim.devices']?.[0];
    expect(dev).toBeDefined();
    if (!dev) return;
    const ifacePath = `/api/dcim/interfaces/?device=${String(dev.id)}&limit=1&depth=1`;
    const before = { name: dev.name ?? null, cf: dev.custom_fields ?? {} };
    expect(((await page(ifacePath)).results[0]?.device as Obj).name).toBe(before.name);
    try {
      dev.name = 'renamed-by-test';
      expect(((await page(ifacePath)).results[0]?.device as Obj).name).toBe('renamed-by-test');
      dev.custom_fields = { owner: 'a' };
      await get(`/api/dcim/devices/${String(dev.id)}/`);
      (dev.custom_fields as Record<string, string>).owner = 'b';
      expect((await get(`/api/dcim/devices/${String(dev.id)}/`)).body).toMatchObject({ custom_fields: { owner: 'b' } });
    } finally {
      dev.name = before.name;
      dev.custom_fields = before.cf;
    }
    const tags = nau.dataset.tables['extras.tags'] ?? [];
    const count = (await page('/api/extras/tags/')).count;
    const template = tags[0];
    if (!template) return;
    tags.push({ ...template, id: '00000000-0000-4000-8000-000000000001', name: 'pushed-by-test' });
    try {
      expect((await page('/api/extras/tags/')).count).toBe(count + 1);
    } finally {
      tags.pop();
    }
    expect((await page('/api/extras/tags/')).count).toBe(count);
  });

  it('drops cached JSON on invalidate() after a directly passed dataset was changed', async () => {
    const source = renderNautobot(generateDataset({ size: 'tiny', seed: 2 }));
    const s = await startNautobotStandin({ dataset: source, token: TOKEN });
    try {
      const row = source.tables['dcim.manufacturers']?.[0];
      if (!row) throw new Error('no manufacturer');
      const url = `${s.url}/api/dcim/manufacturers/${String(row.id)}/`;
      const name = async () => ((await (await fetch(url, { headers: { Authorization: `Token ${TOKEN}` } })).json()) as Obj).name;
      expect(await name()).toBe(row.name);
      row.name = 'changed-behind-its-back';
      s.invalidate();
      expect(await name()).toBe('changed-behind-its-back');
    } finally {
      await s.stop();
    }
  });

  it('paginates with MAX_PAGE_SIZE capping and limit=0', async () => {
    const capped = await page('/api/dcim/interfaces/?limit=500');
    expect(capped.results).toHaveLength(100);
    expect(capped.next).toBe(`${nau.url}/api/dcim/interfaces/?limit=100&offset=100`);
    expect((await page('/api/dcim/interfaces/?limit=0')).results).toHaveLength(100);
    const last = await page(`/api/dcim/interfaces/?limit=100&offset=${capped.count - 10}`);
    expect(last.results).toHaveLength(10);
    expect(last.next).toBeNull();
  });
});
