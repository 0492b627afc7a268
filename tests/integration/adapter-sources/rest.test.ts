// The genericrestapi source against small local servers speaking each pagination style.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestAdapter } from '../../../shared/adapters/rest/index.js';
import type { Adapter, LoadRequest } from '../../../shared/adapters/types.js';
import { AdapterError, ConfigError } from '../../../shared/errors.js';
import { allLogText, testContext } from './helpers/context.js';
import { sendJson, startLocalServer, type Handler, type LocalServer } from './helpers/local-server.js';

const TOKEN = 'rest-secret-token-0123456789';
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

function rest(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const ctx = testContext(env);
  const a = createRestAdapter({ name: 'genericrestapi', settings: { retry_base_ms: 1, ...settings } }, ctx);
  adapters.push(a);
  return { a, ctx };
}

function req(path: string, ids?: string[]): LoadRequest {
  return { side: 'source', model: 'InfraDevice', path, fields: [{ name: 'name', path: 'name' }], scope: ids ? { ids } : undefined };
}

const items = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: from + i + 1, name: `dev-${from + i + 1}` }));

describe('genericrestapi: URLs, params and auth', () => {
  it('appends the endpoint to url + api_endpoint, sends params, and reads the default key', async () => {
    const s = await serve((_q, res, url) => sendJson(res, 200, { status: 'ok', devices: url.pathname === '/api/v0/devices' ? items(3) : [] }));
    const { a } = rest({ url: s.url, token: TOKEN, params: { columns: 'name', tag: ['a', 'b'] } });
    const out = await a.load(req('devices'));
    expect(out.map((r) => r.name)).toEqual(['dev-1', 'dev-2', 'dev-3']);
    expect(s.seen[0]?.url.pathname).toBe('/api/v0/devices');
    expect(s.seen[0]?.url.searchParams.get('columns')).toBe('name');
    expect(s.seen[0]?.url.searchParams.getAll('tag')).toEqual(['a', 'b']);
  });

  it.each([
    ['token', { token: TOKEN }, 'authorization', `Token ${TOKEN}`],
    ['x-auth-token', { token: TOKEN }, 'x-auth-token', TOKEN],
    ['api-key', { token: TOKEN }, 'authorization', `Api-Key ${TOKEN}`],
    ['key', { token: TOKEN }, 'authorization', `Key ${TOKEN}`],
    ['bearer', { token: TOKEN }, 'authorization', `Bearer ${TOKEN}`],
    ['basic', { username: 'admin', password: 'pw-secret' }, 'authorization', `Basic ${Buffer.from('admin:pw-secret').toString('base64')}`],
  ])('auth_method %s sends the reference header', async (method, creds, header, value) => {
    const s = await serve((_q, res) => sendJson(res, 200, []));
    const { a } = rest({ url: s.url, api_endpoint: '', auth_method: method, ...creds });
    await a.load(req('things'));
    expect(s.seen[0]?.headers[header]).toBe(value);
  });

  it('auth_method none sends no Authorization header', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, []));
    const { a } = rest({ url: s.url, auth_method: 'none' });
    await a.load(req('things'));
    expect(s.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('a token method without a token is a ConfigError', () => {
    expect(() => rest({ url: 'http://127.0.0.1:1', auth_method: 'api-key' })).toThrow(ConfigError);
    expect(() => rest({ url: 'http://127.0.0.1:1', auth_method: 'basic', username: 'x' })).toThrow(ConfigError);
  });

  it('environment variables win over settings, as in the reference', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, { things: [{ id: 1 }] }));
    const { a } = rest({ url: 'http://127.0.0.1:1', token: 'from-settings' }, { ADDRESS: s.url, TOKEN: 'from-env' });
    await a.load(req('things'));
    expect(s.seen[0]?.headers.authorization).toBe('Token from-env');
  });
});

describe('genericrestapi: response extraction', () => {
  it('response_key_pattern with {resource} and {default}', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, { result_devices: items(2), devices: [] }));
    const { a } = rest({ url: s.url, token: TOKEN, response_key_pattern: 'result_{default}' });
    expect(await a.load(req('inventory/devices'))).toHaveLength(2);
  });

  it('a dotted key walks nested objects; a literal dotted key wins', async () => {
    const s = await serve((_q, res, url) =>
      sendJson(res, 200, url.pathname.endsWith('/nested') ? { data: { nested: { items: items(4) } } } : { 'data.literal.items': items(1), data: { literal: { items: items(5) } } }),
    );
    const { a } = rest({ url: s.url, token: TOKEN, response_key_pattern: 'data.{resource}.items' });
    expect(await a.load(req('nested'))).toHaveLength(4);
    expect(await a.load(req('literal'))).toHaveLength(1);
  });

  it('a top-level array is the list; a dict of objects becomes its values', async () => {
    const s = await serve((_q, res, url) =>
      sendJson(res, 200, url.pathname.endsWith('/arr') ? items(3) : { dict: { a: { id: 'a' }, b: { id: 'b' } } }),
    );
    const { a } = rest({ url: s.url, token: TOKEN });
    expect(await a.load(req('arr'))).toHaveLength(3);
    expect((await a.load(req('dict'))).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('falls back to the endpoint as a key, derives id from *_id, and warns on a missing key', async () => {
    const s = await serve((_q, res, url) =>
      sendJson(res, 200, url.pathname.endsWith('/v1/ports') ? { 'v1/ports': [{ port_id: 7, name: 'p' }] } : { status: 'ok', count: 0 }),
    );
    const { a, ctx } = rest({ url: s.url, token: TOKEN, api_endpoint: '/' });
    const out = await a.load(req('v1/ports'));
    expect(out).toEqual([{ port_id: 7, name: 'p', id: '7' }]);
    expect(await a.load(req('missing'))).toEqual([]);
    expect(ctx.logger.entries.some((e) => e.level === 'warn' && e.message.includes('expected key'))).toBe(true);
  });

  it("reads a body's only list when the expected key is absent, and numbers objects that have no id", async () => {
    const s = await serve((_q, res, url) =>
      sendJson(res, 200, url.pathname.endsWith('/devicegroups')
        ? { status: 'ok', message: 'Found 2 device groups', count: 2, groups: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] }
        : { total_count: 2, tags: [{ name: 'Core' }, { name: 'Edge' }] }),
    );
    const { a, ctx } = rest({ url: s.url, token: TOKEN, response_key_pattern: 'objects' });
    expect((await a.load(req('devicegroups'))).map((r) => r.name)).toEqual(['a', 'b']);
    expect(await a.load(req('tags'))).toEqual([{ name: 'Core', id: 'tags#0' }, { name: 'Edge', id: 'tags#1' }]);
    expect(ctx.logger.entries.some((e) => e.message.includes('reading its only list, "groups"'))).toBe(true);
  });

  it('scope ids narrow the result', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, { devices: items(5) }));
    const { a } = rest({ url: s.url, token: TOKEN });
    expect((await a.load(req('devices', ['2', '4']))).map((r) => r.id)).toEqual([2, 4]);
  });
});

describe('genericrestapi: pagination styles', () => {
  const total = 23;
  const all = items(total);

  it('offset with count_key fetches every page, following a server cap below page_size', async () => {
    const s = await serve((_q, res, url) => {
      const limit = Math.min(Number(url.searchParams.get('limit')), 5);
      const offset = Number(url.searchParams.get('offset'));
      sendJson(res, 200, { meta: { total }, devices: all.slice(offset, offset + limit) });
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'offset', count_key: 'meta.total', page_size: 10 } });
    const out = await a.load(req('devices'));
    expect(out.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(s.seen.map((r) => r.url.searchParams.get('offset')).sort((x, y) => Number(x) - Number(y))).toEqual(['0', '5', '10', '15', '20']);
  });

  it('offset without a count walks until a short page', async () => {
    const s = await serve((_q, res, url) => {
      const limit = Math.min(Number(url.searchParams.get('max')), 7);
      const offset = Number(url.searchParams.get('skip'));
      sendJson(res, 200, all.slice(offset, offset + limit));
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'offset', limit_param: 'max', offset_param: 'skip', page_size: 50 } });
    expect(await a.load(req('devices'))).toHaveLength(total);
    expect(s.seen).toHaveLength(4);
  });

  it('page numbers with total_pages_key', async () => {
    const s = await serve((_q, res, url) => {
      const page = Number(url.searchParams.get('p'));
      const per = Number(url.searchParams.get('per_page'));
      sendJson(res, 200, { pages: Math.ceil(total / per), devices: all.slice((page - 1) * per, page * per) });
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'page', page_param: 'p', size_param: 'per_page', page_size: 6, total_pages_key: 'pages' } });
    expect((await a.load(req('devices'))).map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(s.seen).toHaveLength(4);
  });

  it('page numbers without a total walk until an empty page', async () => {
    const s = await serve((_q, res, url) => {
      const page = Number(url.searchParams.get('page'));
      sendJson(res, 200, { devices: all.slice(page * 10, page * 10 + 10) });
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'page', start: 0 } });
    expect(await a.load(req('devices'))).toHaveLength(total);
  });

  it('next URL in the body (relative and absolute)', async () => {
    let base = '';
    const s = await serve((_q, res, url) => {
      const page = Number(url.searchParams.get('page') ?? '0');
      const next = page === 0 ? '/api/v0/devices?page=1' : page === 1 ? `${base}/api/v0/devices?page=2` : null;
      sendJson(res, 200, { links: { next }, devices: all.slice(page * 10, page * 10 + 10) });
    });
    base = s.url;
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'next', next_key: 'links.next' } });
    expect(await a.load(req('devices'))).toHaveLength(total);
    expect(s.seen).toHaveLength(3);
  });

  it('cursor in the body', async () => {
    const s = await serve((_q, res, url) => {
      const at = Number(url.searchParams.get('after') ?? '0');
      sendJson(res, 200, { devices: all.slice(at, at + 9), cursor: at + 9 < total ? at + 9 : null });
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'next', next_key: 'cursor', cursor_param: 'after' } });
    expect((await a.load(req('devices'))).map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('Link header rel="next"', async () => {
    const s = await serve((_q, res, url) => {
      const page = Number(url.searchParams.get('page') ?? '1');
      const headers: Record<string, string> = {};
      if (page < 3) headers.link = `<${s.url}/api/v0/devices?page=${page + 1}>; rel="next", <${s.url}/api/v0/devices?page=3>; rel="last"`;
      sendJson(res, 200, all.slice((page - 1) * 10, page * 10), headers);
    });
    const { a } = rest({ url: s.url, token: TOKEN, pagination: { type: 'link' } });
    expect(await a.load(req('devices'))).toHaveLength(total);
  });
});

describe('genericrestapi: failures', () => {
  it('401 is an AdapterError naming the host and the token setting, without the token', async () => {
    const s = await serve((_q, res) => sendJson(res, 401, { detail: `Invalid token ${TOKEN}` }));
    const { a, ctx } = rest({ url: s.url, token: TOKEN });
    const err = await a.load(req('devices')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    const msg = (err as Error).message;
    expect(msg).toContain(new URL(s.url).host);
    expect(msg).toMatch(/token/);
    expect(msg).not.toContain(TOKEN);
    expect(allLogText(ctx.logger)).not.toContain(TOKEN);
    expect(s.seen).toHaveLength(1);
  });

  it('retries 429 (Retry-After), 503 and dropped connections, then succeeds', async () => {
    let n = 0;
    const s = await serve((q, res) => {
      n++;
      if (n === 1) return sendJson(res, 429, {}, { 'retry-after': '0' });
      if (n === 2) return sendJson(res, 503, {});
      if (n === 3) return void q.socket.destroy();
      sendJson(res, 200, { devices: items(2) });
    });
    const { a } = rest({ url: s.url, token: TOKEN });
    expect(await a.load(req('devices'))).toHaveLength(2);
    expect(n).toBe(4);
  });

  it('an unreachable source is an AdapterError', async () => {
    const s = await serve((_q, res) => sendJson(res, 200, []));
    const dead = s.url;
    await s.close();
    servers.pop();
    const { a } = rest({ url: dead, token: TOKEN, retries: 1 });
    await expect(a.load(req('devices'))).rejects.toThrow(/cannot reach 127\.0\.0\.1/);
  });

  it('a server error that echoes the token is reported without it', async () => {
    const s = await serve((_q, res) => sendJson(res, 500, { error: `backend rejected ${TOKEN}` }));
    const { a } = rest({ url: s.url, token: TOKEN, retries: 1 });
    const err = await a.load(req('devices')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HTTP 500: .*backend rejected \*\*\*/);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(s.seen).toHaveLength(2);
  });

  it('a 404 is not retried and names the path', async () => {
    const s = await serve((_q, res) => sendJson(res, 404, { detail: 'Not found.' }));
    const { a } = rest({ url: s.url, token: TOKEN });
    await expect(a.load(req('nope'))).rejects.toThrow(/\/api\/v0\/nope failed with HTTP 404/);
    expect(s.seen).toHaveLength(1);
  });
});

describe('genericrestapi: verify_ssl', () => {
  let dir = '';
  let tls: { key: string; cert: string } | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'selfsigned-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    tls = { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } catch {
    tls = undefined;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }

  it.skipIf(!tls)('false accepts a self-signed certificate; true refuses it', async () => {
    const s = await startLocalServer((_q, res) => sendJson(res, 200, { devices: items(1) }), tls);
    servers.push(s);
    const lenient = rest({ url: s.url, token: TOKEN, verify_ssl: false });
    expect(await lenient.a.load(req('devices'))).toHaveLength(1);
    const strict = rest({ url: s.url, token: TOKEN, verify_ssl: 'true', retries: 0 });
    await expect(strict.a.load(req('devices'))).rejects.toBeInstanceOf(AdapterError);
  });
});
