// The peeringmanager adapter against the Peering Manager stand-in: reading (every page, the
// reference's environment variables, scoped reads, retries, auth errors) and writing (field
// paths, redelivery, refusals, a computed identifier, deletes of what is gone).
import { afterEach, describe, expect, it } from 'vitest';
import { createPeeringManagerAdapter, PeeringManagerAdapter } from '../../../shared/adapters/peeringmanager/index.js';
import type { ApplyContext, LoadRequest, ModelWriteSpec } from '../../../shared/adapters/types.js';
import type { Change } from '../../../shared/diff/types.js';
import { AdapterError, ConfigError } from '../../../shared/errors.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startPeeringManagerStandin, type PeeringManagerStandin, type PeeringManagerStandinOptions } from '../../standins/peeringmanager/server.js';
import { allLogText, testContext } from './helpers/context.js';

const TOKEN = 'pm-secret-token-0123456789abcdef';
let standin: PeeringManagerStandin | undefined;
const adapters: PeeringManagerAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await standin?.stop();
  standin = undefined;
});

async function start(o: Partial<PeeringManagerStandinOptions> = {}): Promise<PeeringManagerStandin> {
  standin = await startPeeringManagerStandin({ dataset: generateDataset({ size: 'small', seed: 2 }), token: TOKEN, ...o });
  return standin;
}

function adapter(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const ctx = testContext(env);
  const a = createPeeringManagerAdapter({ name: 'peeringmanager', settings: { retry_base_ms: 1, ...settings } }, ctx) as PeeringManagerAdapter;
  adapters.push(a);
  return { a, ctx };
}

const source = (path: string, ids?: string[]): LoadRequest => ({ side: 'source', model: 'X', path, fields: [{ name: 'name', path: 'name' }], ...(ids ? { scope: { ids } } : {}) });

const GROUP: ModelWriteSpec = {
  model: 'InfraBGPPeerGroup', identifiers: ['name'], mapping: 'peering/bgp-groups',
  references: { bgp_communities: 'InfraBGPCommunity' },
  fieldMappings: { name: 'name', slug: 'slug', status: 'status.value', bgp_communities: 'communities', description: 'description' },
};
const CONNECTION: ModelWriteSpec = {
  model: 'InfraIXPConnection', identifiers: ['name'], mapping: 'net/connections', references: { internet_exchange_point: 'InfraIXP' },
  fieldMappings: { name: 'name', internet_exchange_point: 'internet_exchange_point', status: 'status.value' },
};

function applyCtx(peers: Record<string, Record<string, string>> = {}): ApplyContext {
  return { models: { InfraBGPPeerGroup: GROUP, InfraIXPConnection: CONNECTION }, peerId: (m, k) => peers[m]?.[k] };
}

const create = (model: string, key: string, attrs: Change['attrs']): Change => ({
  id: `${model}/create/${key}`, action: 'create', model, key, ids: { name: key }, attrs,
});

describe('peeringmanager as a source', () => {
  it('reads every page of a list, whatever page size the server allows', async () => {
    const s = await start({ maxPageSize: 3 });
    const { a } = adapter({ url: s.url, token: TOKEN });
    const out = await a.load(source('peering/autonomous-systems'));
    expect(out.map((r) => r.asn)).toEqual(s.dataset.tables['peering.autonomous-systems']?.map((r) => r.asn));
    expect(out.length).toBeGreaterThan(3);
    expect(s.counters.byPath['/api/peering/autonomous-systems/']).toBe(Math.ceil(out.length / 3));
  });

  it('takes url and token from PEERING_MANAGER_ADDRESS / PEERING_MANAGER_TOKEN over the settings, as the reference', async () => {
    const s = await start({ loginRequired: true });
    const { a } = adapter({ url: 'https://demo.peering-manager.net', token: 'wrong' }, { PEERING_MANAGER_ADDRESS: s.url, PEERING_MANAGER_TOKEN: TOKEN });
    await a.open();
    expect((await a.load(source('peering.communities'))).length).toBe(6);
  });

  it('reads only the asked-for ids in a scoped run', async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const out = await a.load(source('net/connections', ['2', '3']));
    expect(out.map((r) => r.id)).toEqual([2, 3]);
  });

  it('waits out 429s (Retry-After) and 500s', async () => {
    const s = await start({ faultRate: 0.5, faultKinds: ['rateLimit429', 'error500'], faultSeed: 4, retryAfterSeconds: 0 });
    const { a } = adapter({ url: s.url, token: TOKEN, page_size: 2 });
    const out = await a.load(source('peering/routing-policies'));
    expect(out).toHaveLength(5);
    expect(s.counters.faults).toBeGreaterThan(0);
  });

  it('says which credential failed, without printing it', async () => {
    const s = await start();
    const { a, ctx } = adapter({ url: s.url, token: 'not-the-token-0123456789' });
    const err = await a.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as Error).message).toMatch(/peeringmanager: authentication failed .*HTTP 403/);
    expect((err as Error).message + allLogText(ctx.logger)).not.toContain('not-the-token');
  });

  it('refuses a mapping that names no endpoint', async () => {
    await expect(adapter({ url: 'http://x', token: TOKEN }).a.load(source('communities'))).rejects.toThrow(ConfigError);
  });
});

describe('peeringmanager as a destination', () => {
  it('reads records at the mapping paths, references as ids', async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const out = await a.load({
      side: 'destination', model: 'InfraIXP', path: 'InfraIXP', mapping: 'peering/internet-exchanges',
      fields: [
        { name: 'name', path: 'name', mapping: 'name' },
        { name: 'status', path: 'status', mapping: 'status.value' },
        { name: 'local_as', path: 'local_as', mapping: 'local_autonomous_system', reference: 'InfraAutonomousSystem' },
        { name: 'import_policies', path: 'import_policies', mapping: 'import_routing_policies', reference: 'InfraBGPRoutingPolicy' },
      ],
    });
    expect(out[0]).toEqual({ id: '1', name: 'AMS-IX', status: 'enabled', local_as: { id: '1' }, import_policies: [{ id: '1' }, { id: '2' }, { id: '3' }] });
  });

  it('creates once even when the same batch is delivered twice', async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const batch = [create('InfraBGPPeerGroup', 'Route servers', { slug: 'route-servers', status: 'maintenance', bgp_communities: ['ixp-learned'] })];
    const ctx = applyCtx({ InfraBGPCommunity: { 'ixp-learned': '2' } });
    const first = await a.apply(batch, ctx);
    const second = await a.apply(batch, ctx);
    expect(first[0]).toMatchObject({ status: 'applied' });
    expect(second[0]).toMatchObject({ status: 'applied', destinationId: first[0]?.destinationId });
    const rows = s.dataset.tables['peering.bgp-groups']?.filter((r) => r.name === 'Route servers') ?? [];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slug: 'route-servers', status: 'maintenance', communities: [2] });
    expect(s.writes).toEqual({ POST: 1, PATCH: 1 });
  });

  it("reports Peering Manager's refusal per change, and a peer it does not have", async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const out = await a.apply([
      create('InfraBGPPeerGroup', 'No slug', { status: 'enabled' }),
      create('InfraBGPPeerGroup', 'Bad status', { slug: 'bad', status: 'sleeping' }),
      create('InfraBGPPeerGroup', 'Orphan', { slug: 'orphan', bgp_communities: ['nope'] }),
    ], applyCtx());
    const byKey = Object.fromEntries(out.map((r) => [r.key, r]));
    expect(byKey['No slug']).toMatchObject({ status: 'failed', message: expect.stringMatching(/HTTP 400: slug: This field is required\.$/) });
    expect(byKey['Bad status']?.message).toMatch(/status: sleeping is not a valid choice\./);
    expect(byKey.Orphan?.message).toBe('bgp_communities references InfraBGPCommunity "nope", which the destination does not have');
    expect(s.writes.POST ?? 0).toBe(0);
  });

  it('removes and fails a create the server stores under another name (a computed identifier)', async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const before = s.dataset.tables['net.connections']?.length;
    const [r] = await a.apply(
      [{ ...create('InfraIXPConnection', 'My port', { internet_exchange_point: 'AMS-IX', status: 'enabled' }), attrs: { internet_exchange_point: 'AMS-IX', status: 'enabled', router: null } }],
      { ...applyCtx({ InfraIXP: { 'AMS-IX': '1' } }), models: { InfraIXPConnection: { ...CONNECTION, fieldMappings: { ...CONNECTION.fieldMappings, router: 'router' } } } },
    );
    expect(r?.status).toBe('failed');
    expect(r?.message).toMatch(/stored name \(name\) as "AMS-IX" instead of "My port"/);
    expect(s.dataset.tables['net.connections']?.length).toBe(before);
  });

  it("says so when the token may read but not write", async () => {
    const s = await start({ readOnlyToken: 'read-only-token-0123456789' });
    const { a } = adapter({ url: s.url, token: 'read-only-token-0123456789' });
    const [r] = await a.apply([create('InfraBGPPeerGroup', 'RO', { slug: 'ro' })], applyCtx());
    expect(r?.message).toMatch(/authentication failed at .* \(HTTP 403: You do not have permission to perform this action\.\)/);
    expect(r?.message).not.toContain('read-only-token');
  });

  it('counts a delete of what is already gone as done, and updates by id', async () => {
    const s = await start();
    const { a } = adapter({ url: s.url, token: TOKEN });
    const del: Change = { id: 'g/delete', action: 'delete', model: 'InfraBGPPeerGroup', key: 'Transit', ids: { name: 'Transit' }, attrs: {}, destinationId: '1' };
    expect((await a.apply([del], applyCtx()))[0]?.status).toBe('applied');
    expect((await a.apply([del], applyCtx()))[0]?.status).toBe('applied');
    const upd: Change = { id: 'g/update', action: 'update', model: 'InfraBGPPeerGroup', key: 'Customers', ids: { name: 'Customers' }, attrs: { description: 'now', status: 'disabled' }, destinationId: '3' };
    expect((await a.apply([upd], applyCtx()))[0]).toMatchObject({ status: 'applied', destinationId: '3' });
    expect(s.dataset.tables['peering.bgp-groups']?.find((g) => g.id === 3)).toMatchObject({ description: 'now', status: 'disabled' });
    expect(s.writes).toEqual({ DELETE: 1, PATCH: 1 });
  });
});
