// Issue 11, case 5: webhook deliveries follow Standard Webhooks practice: a timestamp window,
// replay markers that outlive it, signatures bound to their config, and a status code (never a
// throw) for a bad or malformed secret. Every refusal starts no run and writes nothing.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/log.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import type { RunRecord, RunScope } from '../../../shared/runtime/run/types.js';
import { receiveWebhook, type WebhookDeps } from '../../../shared/runtime/webhook/receive.js';
import { deriveWebhookKey, webhookKey } from '../../../shared/runtime/webhook/secret.js';
import { signBody } from '../../../shared/runtime/webhook/signature.js';
import { fileDemo } from '../../helpers/file-demo.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const MIN = 60_000;

async function setup(opts: { secret?: string; key?: WebhookDeps['key']; tolerance?: number } = {}) {
  const demo = await fileDemo();
  const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'wh-hard-')));
  const started: { name: string; scope: RunScope }[] = [];
  const logger = new MemoryLogger();
  let now = T0;
  const deps: WebhookDeps = {
    store,
    logger,
    key: opts.key ?? (async (name) => webhookKey(opts.secret ?? 'shared-secret', name)),
    // Two configs with the same content: file-demo and other.
    loadConfig: async (name) => (name === 'file-demo' || name === 'other' ? { ...demo.loaded, config: { ...demo.loaded.config, name } } : undefined),
    startRun: async (loaded, scope) => {
      started.push({ name: loaded.config.name, scope });
      return { runId: `r${started.length}` } as RunRecord;
    },
    toleranceSeconds: opts.tolerance,
    now: () => now,
  };
  const body = (timestamp: string | undefined, id = 100) =>
    Buffer.from(JSON.stringify({ event: 'updated', timestamp, model: 'device', request_id: `req-${id}`, data: { id, url: `/api/dcim/devices/${id}/` } }));
  const deliver = (name: string, payload: Buffer, signingKey: string) =>
    receiveWebhook(deps, { name, headers: { 'X-Hook-Signature': signBody(payload, signingKey) }, body: payload });
  return {
    deps,
    store,
    started,
    logger,
    body,
    deliver,
    setNow: (t: number) => (now = t),
    stored: () => store.list(''),
  };
}

const shared = (name: string) => deriveWebhookKey('shared-secret', name);

describe('the delivery timestamp window', () => {
  it('a delivery from 2019, correctly signed, starts nothing and writes nothing', async () => {
    const t = await setup();
    const res = await t.deliver('file-demo', t.body('2019-06-01T08:00:00.000000+00:00'), shared('file-demo'));
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).message).toMatch(/timestamp missing or more than 300 s from now/);
    expect(t.started).toEqual([]);
    expect(await t.stored()).toEqual([]);
  });

  it.each([
    ['6 minutes old', T0 - 6 * MIN, 401],
    ['6 minutes ahead', T0 + 6 * MIN, 401],
    ['4 minutes old', T0 - 4 * MIN, 202],
    ['4 minutes ahead (sender clock skew)', T0 + 4 * MIN, 202],
  ])('%s', async (_what, at, status) => {
    const t = await setup();
    const res = await t.deliver('file-demo', t.body(new Date(at).toISOString()), shared('file-demo'));
    expect(res.statusCode).toBe(status);
    expect(t.started).toHaveLength(status === 202 ? 1 : 0);
    if (status !== 202) expect(await t.stored()).toEqual([]);
  });

  it("reads NetBox's and Nautobot's formats and refuses a missing, zone-less or malformed one", async () => {
    const t = await setup();
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '');
    expect((await t.deliver('file-demo', t.body(`${iso(T0 - MIN)}123+00:00`, 1), shared('file-demo'))).statusCode).toBe(202);
    expect((await t.deliver('file-demo', t.body(`${iso(T0 - MIN).replace('T', ' ')}456+00:00`, 2), shared('file-demo'))).statusCode).toBe(202);
    for (const bad of [undefined, iso(T0), 'yesterday', '2026-03-01T12:00:00+25:00x']) {
      expect((await t.deliver('file-demo', t.body(bad, 3), shared('file-demo'))).statusCode).toBe(401);
    }
    expect(t.started).toHaveLength(2);
  });

  it('the window is configurable, within bounds; out of bounds is a 500, not a throw', async () => {
    const wide = await setup({ tolerance: 3600 });
    expect((await wide.deliver('file-demo', wide.body(new Date(T0 - 30 * MIN).toISOString()), shared('file-demo'))).statusCode).toBe(202);
    for (const tolerance of [0, 7 * 3600, Number.NaN, 1.5]) {
      const t = await setup({ tolerance });
      const res = await t.deliver('file-demo', t.body(new Date(T0).toISOString()), shared('file-demo'));
      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ message: 'webhook misconfigured' });
      expect(t.started).toEqual([]);
    }
  });
});

describe('replays', () => {
  it('inside the window the marker drops a replay; once markers expire, the timestamp refuses it', async () => {
    const t = await setup();
    const payload = t.body(new Date(T0 - 2 * MIN).toISOString());
    expect((await t.deliver('file-demo', payload, shared('file-demo'))).statusCode).toBe(202);
    t.setNow(T0 + 2 * MIN);
    const replay = await t.deliver('file-demo', payload, shared('file-demo'));
    expect(JSON.parse(replay.body)).toMatchObject({ duplicate: true });
    expect(t.started).toHaveLength(1);

    // A day later the bucket's lifecycle rule has removed the marker (webhooks/ expire after 1
    // day, and the tolerance is at most 6 h): the replay is still refused.
    for (const key of await t.store.list('webhooks/')) await t.store.delete(key);
    t.setNow(T0 + 24 * 60 * MIN);
    expect((await t.deliver('file-demo', payload, shared('file-demo'))).statusCode).toBe(401);
    expect(t.started).toHaveLength(1);
    expect(await t.stored()).toEqual([]);
  });
});

describe('signatures are bound to their config', () => {
  it('with one shared secret, a body signed for one config is refused by another, and by the raw secret', async () => {
    const t = await setup();
    const payload = t.body(new Date(T0).toISOString());
    expect((await t.deliver('other', payload, shared('file-demo'))).statusCode).toBe(401);
    expect((await t.deliver('file-demo', payload, 'shared-secret')).statusCode).toBe(401);
    expect(t.started).toEqual([]);
    expect(await t.stored()).toEqual([]);
    expect((await t.deliver('file-demo', payload, shared('file-demo'))).statusCode).toBe(202);
    expect((await t.deliver('other', payload, shared('other'))).statusCode).toBe(202);
    expect(t.started.map((s) => s.name)).toEqual(['file-demo', 'other']);
  });

  it('per-config secrets are used as they are; two configs sharing one entry are refused (500) for both', async () => {
    const own = await setup({ secret: JSON.stringify({ 'file-demo': 'secret-a', other: 'secret-b' }) });
    const payload = own.body(new Date(T0).toISOString());
    expect((await own.deliver('other', payload, 'secret-a')).statusCode).toBe(401);
    expect((await own.deliver('file-demo', payload, 'secret-a')).statusCode).toBe(202);

    const sharing = await setup({ secret: JSON.stringify({ 'file-demo': 'same', other: 'same' }) });
    for (const name of ['file-demo', 'other']) {
      const res = await sharing.deliver(name, payload, 'same');
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('same');
    }
    expect(sharing.logger.entries.some((e) => /shares its webhook secret with/.test(String(e.fields?.error)))).toBe(true);
    expect(sharing.started).toEqual([]);
    expect(await sharing.stored()).toEqual([]);
  });
});

describe('a bad or malformed secret is a status code, not a throw', () => {
  it.each([
    ['JSON that does not parse', '{"file-demo": "x"'],
    ['an entry that is not a string', '{"file-demo": ["x"]}'],
    ['an empty entry', '{"file-demo": ""}'],
  ])('%s: 500, nothing started, the secret not echoed', async (_what, secret) => {
    const t = await setup({ secret });
    const payload = t.body(new Date(T0).toISOString());
    const res = await t.deliver('file-demo', payload, 'x');
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ message: 'webhook misconfigured' });
    expect(JSON.stringify(t.logger.entries)).not.toContain(secret);
    expect(t.started).toEqual([]);
    expect(await t.stored()).toEqual([]);
  });

  it('no secret for the config: 401; the secret store failing: 500', async () => {
    const none = await setup({ secret: JSON.stringify({ unrelated: 'x' }) });
    const payload = none.body(new Date(T0).toISOString());
    expect((await none.deliver('file-demo', payload, 'x')).statusCode).toBe(401);
    const down = await setup({ key: async () => Promise.reject(new Error('Secrets Manager unreachable')) });
    const res = await down.deliver('file-demo', payload, 'x');
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ message: 'internal error' });
    expect([...none.started, ...down.started]).toEqual([]);
  });
});
