// Situations the stand-ins do not stage: a list that changes during the read, Nautobot 3's
// exclusion of many-to-many fields, and servers older than that parameter. Small local servers
// answer in the {count, next, previous, results} envelope of Nautobot/NetBox.
import { afterEach, describe, expect, it } from 'vitest';
import { createNautobotAdapter } from '../../../shared/adapters/nautobot/index.js';
import { createNetboxAdapter } from '../../../shared/adapters/netbox/index.js';
import type { Adapter, LoadRequest } from '../../../shared/adapters/types.js';
import { testContext } from './helpers/context.js';
import { sendJson, startLocalServer, type Handler, type LocalServer } from './helpers/local-server.js';

const servers: LocalServer[] = [];
const adapters: Adapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close?.()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<LocalServer> {
  const s = await startLocalServer(handler);
  servers.push(s);
  return s;
}

function page(url: URL, all: Record<string, unknown>[], max = 10, count = all.length) {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? max) || max, max);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const results = all.slice(offset, offset + limit);
  return { count, next: offset + limit < count ? `${url.pathname}?limit=${limit}&offset=${offset + limit}` : null, previous: null, results };
}

const req = (path: string, fields: LoadRequest['fields'] = [{ name: 'name', path: 'name' }]): LoadRequest => ({
  side: 'source',
  model: 'X',
  path,
  fields,
});

describe('offset paging against a changing list', () => {
  it('reads again when objects are created during the read, and returns each object once', async () => {
    const all = Array.from({ length: 25 }, (_, i) => ({ id: i + 100, name: `n${i}` }));
    let firstPageServed = 0;
    const s = await serve((_q, res, url) => {
      const offset = Number(url.searchParams.get('offset'));
      if (offset === 0) firstPageServed++;
      // After the first page of the first read, an object is inserted at the front: offsets shift.
      if (offset !== 0 && firstPageServed === 1 && all.length === 25) all.unshift({ id: 1, name: 'new' });
      sendJson(res, 200, page(url, all));
    });
    const ctx = testContext();
    const a = createNetboxAdapter({ name: 'netbox', settings: { url: s.url, token: 't'.repeat(40), page_size: 10 } }, ctx);
    adapters.push(a);
    const out = await a.load(req('dcim.sites'));
    expect(out).toHaveLength(26);
    expect(new Set(out.map((r) => r.id)).size).toBe(26);
    expect(firstPageServed).toBe(2);
    expect(ctx.logger.entries.some((e) => e.message.includes('changed while it was read'))).toBe(true);
  });

  it('warns when the count never matches, keeping distinct objects', async () => {
    const all = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `n${i}` }));
    const s = await serve((_q, res, url) => sendJson(res, 200, page(url, all, 5, 13)));
    const ctx = testContext();
    const a = createNetboxAdapter({ name: 'netbox', settings: { url: s.url, token: 't'.repeat(40) } }, ctx);
    adapters.push(a);
    expect(await a.load(req('dcim.sites'))).toHaveLength(12);
    expect(ctx.logger.entries.some((e) => e.level === 'warn' && e.message.includes('counted 13'))).toBe(true);
  });

  it('accepts a bare JSON list (unpaginated plugin endpoints)', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, [{ id: 'a' }, { id: 'b' }]));
    const a = createNautobotAdapter({ name: 'nautobot', settings: { url: s.url, token: 'tok' } }, testContext());
    adapters.push(a);
    expect(await a.load(req('plugins.thing.items'))).toHaveLength(2);
    expect(s.seen[0]?.url.pathname).toBe('/api/plugins/thing/items/');
  });
});

describe('Nautobot many-to-many fields', () => {
  const objs = [{ id: 'u1', name: 'a', tags: [{ id: 't1', object_type: 'extras.tag', url: '/api/extras/tags/t1/' }] }];
  const tagsReq = req('dcim.locations', [
    { name: 'name', path: 'name' },
    { name: 'tags', path: 'tags', reference: 'BuiltinTag' },
  ]);

  it('asks again with exclude_m2m=false when a mapped reference is missing (Nautobot 3 default)', async () => {
    const s = await serve((_q, res, url) => {
      const include = url.searchParams.get('exclude_m2m') === 'false';
      sendJson(res, 200, page(url, objs.map((o) => (include ? o : { id: o.id, name: o.name }))));
    });
    const a = createNautobotAdapter({ name: 'nautobot', settings: { url: s.url, token: 'tok' } }, testContext());
    adapters.push(a);
    const out = await a.load(tagsReq);
    expect(out[0]?.tags).toEqual(objs[0]?.tags);
    expect(s.seen.map((r) => r.url.searchParams.get('exclude_m2m'))).toEqual([null, 'false']);
    // Learned: the next model asks for them at once.
    await a.load(tagsReq);
    expect(s.seen).toHaveLength(3);
    expect(s.seen[2]?.url.searchParams.get('exclude_m2m')).toBe('false');
  });

  it('keeps the first read when the server rejects exclude_m2m (before 2.4, strict filtering)', async () => {
    const s = await serve((_q, res, url) => {
      if (url.searchParams.has('exclude_m2m')) return sendJson(res, 400, { exclude_m2m: ['Unknown filter field'] });
      sendJson(res, 200, page(url, [{ id: 'u1', name: 'a' }]));
    });
    const ctx = testContext();
    const a = createNautobotAdapter({ name: 'nautobot', settings: { url: s.url, token: 'tok' } }, ctx);
    adapters.push(a);
    expect(await a.load(tagsReq)).toEqual([{ id: 'u1', name: 'a' }]);
    expect(ctx.logger.entries.some((e) => e.level === 'warn' && e.message.includes('does not return tags'))).toBe(true);
  });

  it('sends exclude_m2m as configured and never second-guesses it', async () => {
    const s = await serve((_q, res, url) => sendJson(res, 200, page(url, [{ id: 'u1', name: 'a' }])));
    const a = createNautobotAdapter({ name: 'nautobot', settings: { url: s.url, token: 'tok', exclude_m2m: true } }, testContext());
    adapters.push(a);
    await a.load(tagsReq);
    expect(s.seen.map((r) => r.url.searchParams.get('exclude_m2m'))).toEqual(['true']);
  });
});
