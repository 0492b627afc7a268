// genericrestapi against the Device42, LibreNMS, Observium and PeeringDB stand-ins, beyond what
// the examples exercise: each system's paging through the adapter's `pagination` setting,
// PeeringDB's throttling, and the errors a wrong credential gives.
import { afterEach, describe, expect, it } from 'vitest';
import { createRestAdapter } from '../../../shared/adapters/rest/index.js';
import type { Adapter, LoadRequest } from '../../../shared/adapters/types.js';
import { AdapterError } from '../../../shared/errors.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startDevice42Standin } from '../../standins/device42/server.js';
import { startLibrenmsStandin } from '../../standins/librenms/server.js';
import { startObserviumStandin } from '../../standins/observium/server.js';
import { startPeeringdbStandin } from '../../standins/peeringdb/server.js';
import { allLogText, testContext } from './helpers/context.js';

const TOKEN = 'rest-systems-secret-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
async function up<T extends { stop(): Promise<void> }>(p: Promise<T>): Promise<T> {
  const s = await p;
  cleanups.push(() => s.stop());
  return s;
}
function rest(settings: Record<string, unknown>) {
  const ctx = testContext();
  const a: Adapter = createRestAdapter({ name: 'genericrestapi', settings: { retry_base_ms: 1, ...settings } }, ctx);
  cleanups.push(async () => a.close?.());
  return { a, ctx };
}
const req = (path: string): LoadRequest => ({ side: 'source', model: 'X', path, fields: [{ name: 'name', path: 'name' }] });
const dataset = () => generateDataset({ size: 'small', seed: 5 });

describe('genericrestapi against the systems of the examples', () => {
  it('Device42: pages by limit/offset with total_count, the slash redirect followed', async () => {
    const s = await up(startDevice42Standin({ dataset: dataset(), token: `admin:${TOKEN}` }));
    const { a } = rest({
      url: s.url, api_endpoint: '/api/1.0', auth_method: 'basic', username: 'admin', password: TOKEN,
      pagination: { type: 'offset', count_key: 'total_count', page_size: 2 },
    });
    const out = await a.load(req('buildings'));
    expect(out.map((b) => b.name)).toEqual(s.dataset.tables.buildings?.map((b) => b.name));
    expect(out.map((b) => b.id)).toEqual(out.map((b) => String(b.building_id)));
    expect(s.counters.requests).toBeGreaterThanOrEqual(2 * Math.ceil(out.length / 2));
  });

  it('PeeringDB: pages by limit/skip, and waits out its throttling (429, Retry-After)', async () => {
    const s = await up(startPeeringdbStandin({ dataset: dataset(), anonymousLimit: 3, windowMs: 1000 }));
    const { a, ctx } = rest({
      url: s.url, api_endpoint: 'api', auth_method: 'none', response_key_pattern: 'data',
      pagination: { type: 'offset', offset_param: 'skip', page_size: 2 },
    });
    const started = Date.now();
    const out = await a.load(req('net'));
    expect(out.map((n) => n.asn)).toEqual(s.dataset.tables.net?.map((n) => n.asn));
    expect(ctx.logger.entries.some((e) => e.message.includes('retrying') && JSON.stringify(e).includes('"delayMs":1000'))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('LibreNMS and Observium: a wrong credential is an error naming the system, without the secret', async () => {
    const l = await up(startLibrenmsStandin({ dataset: dataset(), token: TOKEN }));
    const o = await up(startObserviumStandin({ dataset: dataset(), token: TOKEN }));
    const lib = rest({ url: l.url, api_endpoint: 'api/v0', auth_method: 'x-auth-token', token: 'wrong-token-0123456789' });
    const obs = rest({ url: o.url, api_endpoint: 'api/v0', auth_method: 'basic', username: 'admin', password: 'wrong-password-123' });
    for (const [{ a, ctx }, path] of [[lib, 'devices'], [obs, 'devices']] as const) {
      const err = await a.load(req(path)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdapterError);
      expect((err as Error).message).toMatch(/^genericrestapi: authentication failed .*HTTP 401/);
      expect((err as Error).message + allLogText(ctx.logger)).not.toMatch(/wrong-(token|password)/);
    }
  });

  it('Observium: entities keyed by id come back as a list with their device_id as id', async () => {
    const s = await up(startObserviumStandin({ dataset: dataset(), token: TOKEN }));
    const { a } = rest({ url: s.url, api_endpoint: 'api/v0', auth_method: 'basic', username: 'admin', password: TOKEN });
    const out = await a.load(req('devices'));
    expect(out.length).toBe(s.dataset.tables.devices?.length);
    for (const d of out) expect(d.id).toBe(d.device_id);
  });
});
