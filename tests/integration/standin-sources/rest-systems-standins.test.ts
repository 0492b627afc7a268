// The stand-ins of Peering Manager, Device42, LibreNMS, Observium and PeeringDB against what the
// real systems are known to send (recorded responses in tests/fixtures, serializer field lists,
// API documentation: see each stand-in's README): envelopes, fields, value types, each system's
// authentication and refusals, paging, and the `npm run` entry points.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataset } from '../../standins/dataset/index.js';
import { RENDERERS } from '../../standins/dataset/renderers.js';
import { startDevice42Standin } from '../../standins/device42/server.js';
import { startLibrenmsStandin } from '../../standins/librenms/server.js';
import { startObserviumStandin } from '../../standins/observium/server.js';
import { startPeeringdbStandin } from '../../standins/peeringdb/server.js';
import { PM_MODELS } from '../../standins/peeringmanager/models.js';
import { startPeeringManagerStandin } from '../../standins/peeringmanager/server.js';
import { writeSourceDataset } from '../../standins/rest-common/source-dataset.js';

const ROOT = join(import.meta.dirname, '../../..');
const fixture = (p: string): unknown => JSON.parse(readFileSync(join(ROOT, 'tests/fixtures', p), 'utf8'));
const TOKEN = 'standin-secret-0123456789';
const basic = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});
async function started<T extends { stop(): Promise<void> }>(p: Promise<T>): Promise<T> {
  const s = await p;
  stops.push(() => s.stop());
  return s;
}
const dataset = () => generateDataset({ size: 'small', seed: 3 });
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Same keys, and the same JSON type wherever both values are set. */
function sameShape(recorded: Record<string, unknown>, served: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(recorded)) if (!(k in served)) problems.push(`missing ${k}`);
  for (const k of Object.keys(served)) if (!(k in recorded)) problems.push(`extra ${k}`);
  for (const [k, v] of Object.entries(recorded)) {
    const w = served[k];
    if (v !== null && w !== null && w !== undefined && typeOf(v) !== typeOf(w)) problems.push(`${k}: ${typeOf(v)} recorded, ${typeOf(w)} served`);
  }
  return problems;
}

describe('Peering Manager stand-in', () => {
  const auth = { authorization: `Token ${TOKEN}` };

  it('serves every serializer field (v1.9.7 Meta.fields), nested forms with url, choices as {value, label}', async () => {
    const s = await started(startPeeringManagerStandin({ dataset: dataset(), token: TOKEN }));
    for (const m of PM_MODELS) {
      const body = (await (await fetch(`${s.url}/api/${m.path}/?limit=1`, { headers: auth })).json()) as { count: number; results: Record<string, unknown>[] };
      expect(body.count, m.path).toBeGreaterThan(0);
      expect(Object.keys(body.results[0] ?? {}), m.path).toEqual(m.fields);
    }
    const conn = ((await (await fetch(`${s.url}/api/net/connections/1/`, { headers: auth })).json()) as Record<string, unknown>);
    expect(conn.status).toEqual({ value: 'enabled', label: 'Enabled' });
    expect(Object.keys(conn.internet_exchange_point as object)).toEqual(['id', 'url', 'display', 'name', 'slug', 'status']);
    expect(conn.name).toBe(`${(conn.internet_exchange_point as { name: string }).name} on ${(conn.router as { name: string }).name} ${String(conn.interface)}`);
  });

  it('authenticates as DRF behind session auth does (403s), redirects to the slash, pages by limit/offset', async () => {
    const s = await started(startPeeringManagerStandin({ dataset: dataset(), token: TOKEN, maxPageSize: 3 }));
    expect((await fetch(`${s.url}/api/peering/communities/`, { headers: { authorization: 'Token nope' } })).status).toBe(403);
    // LOGIN_REQUIRED is off by default: anonymous reads, no anonymous writes.
    expect((await fetch(`${s.url}/api/peering/communities/`)).status).toBe(200);
    const w = await fetch(`${s.url}/api/peering/communities/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([w.status, await w.json()]).toEqual([403, { detail: 'Authentication credentials were not provided.' }]);
    const r = await fetch(`${s.url}/api/peering/communities?limit=2`, { headers: auth, redirect: 'manual' });
    expect([r.status, r.headers.get('location')]).toEqual([301, '/api/peering/communities/?limit=2']);
    const page = (await (await fetch(`${s.url}/api/peering/communities/?limit=50`, { headers: auth })).json()) as { results: unknown[]; next: string };
    expect(page.results).toHaveLength(3);
    expect(page.next).toBe(`${s.url}/api/peering/communities/?limit=3&offset=3`);
  });

  it("refuses writes with DRF's messages and applies on_delete", async () => {
    const s = await started(startPeeringManagerStandin({ dataset: dataset(), token: TOKEN }));
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${s.url}/api/${path}/`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    expect(await post('peering/autonomous-systems', { asn: 13335, name: 'Again' })).toEqual([400, { asn: ['autonomous system with this ASN already exists.'] }]);
    expect(await post('peering/autonomous-systems', { asn: 'x', name: 'X' })).toEqual([400, { asn: ['A valid integer is required.'] }]);
    expect(await post('peering/internet-exchanges', { name: 'New IX', slug: 'new ix', local_autonomous_system: 999 })).toEqual([400, {
      slug: ['Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.'],
      local_autonomous_system: ['Related object not found using the provided numeric ID: 999'],
    }]);
    expect(await post('net/connections', { internet_exchange_point: 1 })).toEqual([400, { router: ['This field is required.'] }]);
    const before = s.dataset.tables['net.connections']?.filter((c) => c.internet_exchange_point === 1).length ?? 0;
    expect(before).toBeGreaterThan(0);
    expect((await fetch(`${s.url}/api/peering/internet-exchanges/1/`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(s.dataset.tables['net.connections']?.filter((c) => c.internet_exchange_point === 1)).toEqual([]);
    expect((await fetch(`${s.url}/api/peering/internet-exchanges/1/`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('loses the answer to a write it has applied (lostResponse)', async () => {
    const s = await started(startPeeringManagerStandin({ dataset: dataset(), token: TOKEN, faultRate: 1, faultKinds: ['lostResponse'], faultMethods: ['POST'] }));
    const r = await fetch(`${s.url}/api/peering/communities/`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Lost', slug: 'lost', value: '1:1' }),
    }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(Error);
    expect(s.dataset.tables['peering.communities']?.some((c) => c.slug === 'lost')).toBe(true);
    expect((await fetch(`${s.url}/api/peering/communities/`, { headers: auth })).status).toBe(200);
  });
});

describe('LibreNMS stand-in', () => {
  it('serves devices and locations with the fields and types LibreNMS sends (nautobot-app-ssot recordings)', async () => {
    const s = await started(startLibrenmsStandin({ dataset: dataset(), token: TOKEN }));
    const h = { 'x-auth-token': TOKEN };
    const devices = (await (await fetch(`${s.url}/api/v0/devices`, { headers: h })).json()) as Record<string, unknown>;
    const rec = fixture('librenms/nautobot-app-ssot.get_librenms_devices.json') as { devices: Record<string, unknown>[] };
    expect(Object.keys(devices)).toEqual(Object.keys(rec));
    expect(sameShape(rec.devices[0] as Record<string, unknown>, (devices.devices as Record<string, unknown>[])[0] as Record<string, unknown>)).toEqual([]);
    const locs = (await (await fetch(`${s.url}/api/v0/resources/locations`, { headers: h })).json()) as { locations: Record<string, unknown>[] };
    const recLocs = fixture('librenms/nautobot-app-ssot.get_librenms_locations.json') as { locations: Record<string, unknown>[] };
    expect(sameShape(recLocs.locations[0] as Record<string, unknown>, locs.locations[0] as Record<string, unknown>)).toEqual([]);
  });

  it('lists device groups under "groups" (API docs), refuses a wrong token as Laravel does', async () => {
    const s = await started(startLibrenmsStandin({ dataset: dataset(), token: TOKEN }));
    const body = (await (await fetch(`${s.url}/api/v0/devicegroups`, { headers: { 'x-auth-token': TOKEN } })).json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['status', 'groups', 'message', 'count']);
    expect(Object.keys((body.groups as object[])[0] ?? {}).slice(0, 3)).toEqual(['id', 'name', 'desc']);
    const r = await fetch(`${s.url}/api/v0/devices`, { headers: { 'x-auth-token': 'wrong' } });
    expect([r.status, await r.json()]).toEqual([401, { message: 'Unauthenticated.' }]);
  });
});

describe('PeeringDB stand-in', () => {
  it('serves net and ix as PeeringDB does (peeringdb-py recordings): {data, meta}, the same fields', async () => {
    const s = await started(startPeeringdbStandin({ dataset: dataset(), token: TOKEN }));
    for (const tag of ['net', 'ix']) {
      const body = (await (await fetch(`${s.url}/api/${tag}`)).json()) as { data: Record<string, unknown>[]; meta: unknown };
      const rec = fixture(`peeringdb/peeringdb-py.${tag}-0.json`) as { data: Record<string, unknown>[]; meta: unknown };
      expect(Object.keys(body)).toEqual(['data', 'meta']);
      expect(sameShape(rec.data[0] as Record<string, unknown>, body.data[0] as Record<string, unknown>), tag).toEqual([]);
    }
  });

  it('takes Api-Key or nothing, throttles anonymous clients with Retry-After, pages by limit/skip, filters with __in', async () => {
    const s = await started(startPeeringdbStandin({ dataset: dataset(), token: TOKEN, anonymousLimit: 2 }));
    const key = { authorization: `Api-Key ${TOKEN}` };
    expect((await fetch(`${s.url}/api/net`, { headers: { authorization: 'Api-Key nope' } })).status).toBe(401);
    expect((await fetch(`${s.url}/api/net`)).status).toBe(200);
    expect((await fetch(`${s.url}/api/net`)).status).toBe(200);
    const throttled = await fetch(`${s.url}/api/net`);
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
    const page = (await (await fetch(`${s.url}/api/net?limit=2&skip=1`, { headers: key })).json()) as { data: { id: number }[] };
    expect(page.data.map((n) => n.id)).toEqual([2, 3]);
    const some = (await (await fetch(`${s.url}/api/net?asn__in=13335,15169&fields=asn,name`, { headers: key })).json()) as { data: unknown[] };
    expect(some.data).toEqual([{ asn: 13335, name: 'Cloudflare' }, { asn: 15169, name: 'Google' }]);
  });
});

describe('Device42 stand-in', () => {
  it('answers with basic auth only, each list under its own key (Customers capitalised), limit/offset with total_count', async () => {
    const s = await started(startDevice42Standin({ dataset: dataset(), token: `admin:${TOKEN}` }));
    const none = await fetch(`${s.url}/api/1.0/buildings/`);
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="api"']);
    expect((await fetch(`${s.url}/api/1.0/buildings/`, { headers: basic('admin', 'wrong') })).status).toBe(401);
    const h = basic('admin', TOKEN);
    const customers = (await (await fetch(`${s.url}/api/1.0/customers/`, { headers: h })).json()) as Record<string, unknown>;
    expect(Object.keys(customers)).toEqual(['total_count', 'Customers']);
    const page = (await (await fetch(`${s.url}/api/1.0/buildings/?limit=2&offset=1`, { headers: h })).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ total_count: 6, limit: 2, offset: 1 });
    const building = (page.buildings as Record<string, unknown>[])[0] as Record<string, unknown>;
    // The columns Device42's buildings endpoint offers (include_cols), tags as names.
    expect(Object.keys(building).sort()).toEqual(['address', 'building_id', 'contact_name', 'contact_phone', 'custom_fields', 'latitude', 'longitude', 'name', 'notes', 'tags']);
    const tags = (await (await fetch(`${s.url}/api/1.0/tags/`, { headers: h })).json()) as { tags: Record<string, unknown>[] };
    expect(Object.keys(tags.tags[0] ?? {})).toEqual(['name']);
  });
});

describe('Observium stand-in', () => {
  it('answers with basic auth, entities as an object keyed by id, every column a string, column filters', async () => {
    const s = await started(startObserviumStandin({ dataset: dataset(), token: TOKEN }));
    expect((await fetch(`${s.url}/api/v0/devices/`)).status).toBe(401);
    const h = basic('admin', TOKEN);
    const body = (await (await fetch(`${s.url}/api/v0/devices/?os=junos`, { headers: h })).json()) as { status: string; count: number; devices: Record<string, Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(['status', 'count', 'devices']);
    const entries = Object.entries(body.devices);
    expect(entries.length).toBe(body.count);
    for (const [id, d] of entries) {
      expect(d.device_id).toBe(id);
      expect(d.os).toBe('junos');
      for (const v of Object.values(d)) expect(v === null || typeof v === 'string').toBe(true);
    }
  });
});

describe('dataset rendering per system', () => {
  it('is deterministic for a seed, and the peering data follows the seed', () => {
    const a = generateDataset({ size: 'small', seed: 7 });
    const b = generateDataset({ size: 'small', seed: 7 });
    for (const [system, render] of Object.entries(RENDERERS)) expect(JSON.stringify(render(a)), system).toBe(JSON.stringify(render(b)));
    const c = generateDataset({ size: 'small', seed: 8 });
    expect(JSON.stringify(a.peering.connections)).not.toBe(JSON.stringify(c.peering.connections));
    // Every connection points at an exchange and a router that exist; the routers are the network's.
    for (const conn of a.peering.connections) {
      expect(a.peering.internetExchanges[conn.ixp]).toBeDefined();
      expect(a.devices[conn.router]?.hostname).toMatch(/^pe-\d{3}$/);
    }
  });
});

describe('standin:<system> command lines', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGTERM');
  });

  function cli(args: string[]): Promise<{ child: ChildProcess; line: string }> {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), ...args], { cwd: ROOT });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('listening on') || l.startsWith('wrote'));
        if (line) resolve({ child, line });
      });
      child.on('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
    });
  }

  it('serve the folder npm run dataset writes for their system, with the given token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'standin-cli-'));
    try {
      const ds = generateDataset({ size: 'tiny', seed: 1 });
      for (const render of Object.values(RENDERERS)) await writeSourceDataset(dir, render(ds));
      expect((await readdir(dir)).sort()).toEqual(Object.keys(RENDERERS).sort());
      const token = 'cli-token-0123456789';
      const probes: [string, string, Record<string, string>][] = [
        ['peeringmanager', '/api/peering/autonomous-systems/', { authorization: `Token ${token}` }],
        ['device42', '/api/1.0/buildings/', basic('admin', token)],
        ['librenms', '/api/v0/devices', { 'x-auth-token': token }],
        ['observium', '/api/v0/devices/', basic('admin', token)],
        ['peeringdb', '/api/net', { authorization: `Api-Key ${token}` }],
      ];
      await Promise.all(probes.map(async ([system, path, headers]) => {
        const { line } = await cli([`tests/standins/${system}/cli.ts`, '--port', '0', '--dataset', dir, '--token', token, '--latency-ms', '1']);
        const url = line.replace('listening on ', '').trim();
        expect((await fetch(`${url}${path}`, { headers })).status, system).toBe(200);
      }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
