// Lineage as infrahub-sync writes it: every attribute and relationship a create or an update
// sends carries source, owner (the CoreAccount named after the source adapter, or the account
// group the destination settings name) and is_protected, read back from the stand-in with
// Infrahub's property fields.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InfrahubAdapter } from '../../../shared/adapters/infrahub/index.js';
import { ConfigError } from '../../../shared/errors.js';
import { MemoryLogger } from '../../../shared/log.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { Ctx, SCHEMA, TOKEN, create, failed, update } from './helpers.js';

let standin: InfrahubStandin;

beforeEach(async () => {
  standin = await startInfrahubStandin({ schema: SCHEMA, token: TOKEN });
});
afterEach(async () => {
  await standin.stop();
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${standin.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-infrahub-key': TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function account(name: string): Promise<string> {
  const d = await gql<{ CoreAccountCreate: { object: { id: string } } }>('mutation($n: String!) { CoreAccountCreate(data: {name: {value: $n}, password: {value: "unused-x"}}) { object { id } } }', { n: name });
  return d.CoreAccountCreate.object.id;
}

async function group(name: string): Promise<string> {
  const d = await gql<{ CoreAccountGroupCreate: { object: { id: string } } }>('mutation($n: String!) { CoreAccountGroupCreate(data: {name: {value: $n}}) { object { id } } }', { n: name });
  return d.CoreAccountGroupCreate.object.id;
}

function adapter(settings: Record<string, unknown> = {}, logger = new MemoryLogger(), lineageAccount: string | null = 'nautobot'): InfrahubAdapter {
  return new InfrahubAdapter(
    { name: 'infrahub', settings: { url: standin.url, token: TOKEN, ...settings } },
    { configDir: '.', env: {}, logger, ...(lineageAccount ? { lineageAccount } : {}) },
    { retryBaseMs: 1 },
  );
}

type Props = { is_protected: boolean | null; source: { id: string } | null; owner: { id: string } | null };
interface DeviceRead {
  InfraDevice: {
    edges: {
      node: {
        name: Props;
        serial: Props;
        rack_units: Props;
        platform: { properties: Props };
        tags: { edges: { node: { id: string }; properties: Props }[] };
      };
    }[];
  };
}

const P = 'is_protected source { id } owner { id }';
const readDevice = (name: string): Promise<DeviceRead> =>
  gql<DeviceRead>(
    `query($n: String) { InfraDevice(name__value: $n) { edges { node {
      name { ${P} } serial { ${P} } rack_units { ${P} }
      platform { properties { ${P} } } tags { edges { node { id } properties { ${P} } } } } } } }`,
    { n: name },
  );

const lineage = (p: Props) => ({ is_protected: p.is_protected, source: p.source?.id ?? null, owner: p.owner?.id ?? null });

/** A platform and two tags, then device sw1 using them, all through `a`. */
async function seed(a: InfrahubAdapter, ctx: Ctx): Promise<void> {
  const base = [create('TestTag', 'red', { name: 'red' }), create('TestTag', 'blue', { name: 'blue' }), create('InfraPlatform', 'eos', { name: 'eos' })];
  const r1 = await a.apply(base, ctx);
  expect(failed(r1)).toEqual([]);
  ctx.remember(r1);
  const r2 = await a.apply([create('InfraDevice', 'sw1', { name: 'sw1' }, { serial: 'SN-1', rack_units: null, platform: 'eos', tags: ['red', 'blue'] })], ctx);
  expect(failed(r2)).toEqual([]);
  ctx.remember(r2);
}

describe('Infrahub adapter lineage', () => {
  it('writes the source adapter account as source and owner, and is_protected, on every created attribute and relationship', async () => {
    const nautobot = await account('nautobot');
    const ctx = new Ctx();
    await seed(adapter(), ctx);
    const node = (await readDevice('sw1')).InfraDevice.edges[0]?.node;
    const want = { is_protected: true, source: nautobot, owner: nautobot };
    expect(node && lineage(node.name)).toEqual(want);
    expect(node && lineage(node.serial)).toEqual(want);
    // rack_units was written as null: it carries the lineage too.
    expect(node && lineage(node.rack_units)).toEqual(want);
    expect(node && lineage(node.platform.properties)).toEqual(want);
    expect(node?.tags.edges.map((e) => lineage(e.properties))).toEqual([want, want]);
  });

  it('writes lineage on the fields an update sends, and leaves the others as they were', async () => {
    const ctx = new Ctx();
    // Written before any account existed: protected, no source or owner.
    await seed(adapter(), ctx);
    const nautobot = await account('nautobot');
    const id = ctx.ids.get('InfraDevice/sw1');
    const r = await adapter().apply([update('InfraDevice', 'sw1', { name: 'sw1' }, { serial: 'SN-2', tags: ['red'] }, id)], ctx);
    expect(failed(r)).toEqual([]);
    const node = (await readDevice('sw1')).InfraDevice.edges[0]?.node;
    expect(node && lineage(node.serial)).toEqual({ is_protected: true, source: nautobot, owner: nautobot });
    expect(node?.tags.edges.map((e) => lineage(e.properties))).toEqual([{ is_protected: true, source: nautobot, owner: nautobot }]);
    expect(node && lineage(node.name)).toEqual({ is_protected: true, source: null, owner: null });
  });

  it('uses the account group (or account) that settings.source / settings.owner name', async () => {
    await account('nautobot');
    const ops = await group('network-ops');
    const robot = await account('sync-robot');
    const ctx = new Ctx();
    await seed(adapter({ source: 'network-ops', owner: 'sync-robot' }), ctx);
    const node = (await readDevice('sw1')).InfraDevice.edges[0]?.node;
    expect(node && lineage(node.name)).toEqual({ is_protected: true, source: ops, owner: robot });
    expect(node && lineage(node.platform.properties)).toEqual({ is_protected: true, source: ops, owner: robot });
  });

  it('refuses a missing account group when opening, before anything is written', async () => {
    const a = adapter({ owner: 'no-such-team' });
    const err = await a.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'infrahub: settings.owner is "no-such-team", but Infrahub has no CoreAccountGroup or CoreAccount of that name; create it in Infrahub, or remove settings.owner to record the source adapter\'s account "nautobot"',
    );
    await expect(a.apply([create('TestTag', 'red', { name: 'red' })], new Ctx())).rejects.toThrow(/no-such-team/);
    expect(standin.counters.mutations).toBe(0);
    expect(standin.nodes('TestTag')).toEqual([]);
  });

  it('says once that the default account is missing, and still protects what it writes', async () => {
    const logger = new MemoryLogger();
    const a = adapter({}, logger);
    const ctx = new Ctx();
    await seed(a, ctx);
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'infrahub: no CoreAccount named "nautobot" (the source adapter\'s name): written values are protected but name no source or owner; create that account, or name an account group in the destination\'s settings.source / settings.owner',
    ]);
    const node = (await readDevice('sw1')).InfraDevice.edges[0]?.node;
    expect(node && lineage(node.name)).toEqual({ is_protected: true, source: null, owner: null });
  });

  it('looks nothing up when it is not the destination and names no account', async () => {
    const logger = new MemoryLogger();
    await adapter({}, logger, null).open();
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([]);
    expect(standin.counters.byOperation.CoreAccount).toBeUndefined();
    expect(standin.counters.byOperation.CoreAccountGroup).toBeUndefined();
  });

  it('rejects an empty settings.source', () => {
    expect(() => adapter({ source: '  ' })).toThrow('infrahub: settings.source must name an account group or account, got "  "');
  });
});
