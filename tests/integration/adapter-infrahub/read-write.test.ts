import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { Ctx, SCHEMA, TOKEN, byKey, create, del, failed, makeAdapter, update } from './helpers.js';

let standin: InfrahubStandin;

beforeEach(async () => {
  standin = await startInfrahubStandin({ schema: SCHEMA, token: TOKEN });
});
afterEach(async () => {
  await standin.stop();
});

const DEVICE_FIELDS = [
  'name',
  'serial',
  'rack_units',
  'managed',
  'primary_address',
  'network',
  'config',
  'labels',
  'status',
  'location',
  'platform',
  'tags',
].map((name) => ({ name, path: name }));

/** Tags, a platform, two sites, a region, then devices pointing at them. */
async function seed(adapter: ReturnType<typeof makeAdapter>, ctx: Ctx): Promise<void> {
  const base = [
    create('TestTag', 'red', { name: 'red' }),
    create('TestTag', 'blue', { name: 'blue' }),
    create('TestTag', 'green', { name: 'green' }),
    create('InfraPlatform', 'eos', { name: 'eos' }),
    create('LocationSite', 'par1', { name: 'par1' }, { description: 'Paris', facility: 'PA1' }),
    create('LocationSite', 'ams1', { name: 'ams1' }, { description: 'Amsterdam', facility: null }),
    create('LocationRegion', 'eu', { name: 'eu' }, { description: 'Europe' }),
  ];
  const r1 = await adapter.apply(base, ctx);
  expect(failed(r1)).toEqual([]);
  ctx.remember(r1);
  const devices = [
    create(
      'InfraDevice',
      'sw1',
      { name: 'sw1' },
      {
        serial: 'SN-1',
        rack_units: '2',
        managed: 'true',
        primary_address: '10.0.0.1/24',
        network: '10.0.0.0/24',
        config: { vlan: [1, 2], note: 'a "quoted" \\ value' },
        labels: ['core', 'edge'],
        status: 'active',
        location: 'par1',
        platform: 'eos',
        tags: ['blue', 'red'],
      },
    ),
    create('InfraDevice', 'sw2', { name: 'sw2' }, { serial: null, rack_units: 1, managed: false, location: 'eu', tags: [] }),
  ];
  const r2 = await adapter.apply(devices, ctx);
  expect(failed(r2)).toEqual([]);
  ctx.remember(r2);
}

describe('infrahub adapter: write then read', () => {
  it('creates nodes with every attribute kind and relationship, and reads them back as raw records', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);

    const records = await adapter.load({ side: 'destination', model: 'InfraDevice', path: 'InfraDevice', fields: DEVICE_FIELDS });
    const sw1 = records.find((r) => r.name === 'sw1');
    const ids = ctx.ids;
    expect(sw1).toMatchObject({
      id: ids.get('InfraDevice/sw1'),
      hfid: ['sw1'],
      serial: 'SN-1',
      rack_units: 2,
      managed: true,
      primary_address: '10.0.0.1/24',
      network: '10.0.0.0/24',
      config: { vlan: [1, 2], note: 'a "quoted" \\ value' },
      labels: ['core', 'edge'],
      status: 'active',
      location: { id: ids.get('LocationSite/par1') },
      platform: { id: ids.get('InfraPlatform/eos') },
    });
    expect((sw1?.tags as { id: string }[]).map((t) => t.id).sort()).toEqual(
      [ids.get('TestTag/blue'), ids.get('TestTag/red')].sort(),
    );
    const sw2 = records.find((r) => r.name === 'sw2');
    expect(sw2).toMatchObject({ serial: null, rack_units: 1, managed: false, platform: null, tags: [] });
    expect(sw2?.location).toEqual({ id: ids.get('LocationRegion/eu') });
  });

  it('reads a generic kind: nodes of every implementer, with implementer-only fields', async () => {
    const adapter = makeAdapter(standin.url);
    await seed(adapter, new Ctx());
    const records = await adapter.load({
      side: 'destination',
      model: 'LocationGeneric',
      path: 'LocationGeneric',
      fields: ['name', 'description', 'facility'].map((name) => ({ name, path: name })),
    });
    const byName = Object.fromEntries(records.map((r) => [r.name as string, r]));
    expect(Object.keys(byName).sort()).toEqual(['ams1', 'eu', 'par1']);
    expect(byName.par1).toMatchObject({ __typename: 'LocationSite', description: 'Paris', facility: 'PA1' });
    expect(byName.eu).toMatchObject({ __typename: 'LocationRegion', description: 'Europe' });
  });

  it('reads peer attributes named by dotted paths in the same query (Infrahub-to-Infrahub source)', async () => {
    const adapter = makeAdapter(standin.url);
    await seed(adapter, new Ctx());
    standin.resetCounters();
    const records = await adapter.load({
      side: 'source',
      model: 'InfraDevice',
      path: 'InfraDevice',
      fields: [
        { name: 'name', path: 'name' },
        { name: 'site', path: 'location.name' },
        { name: 'tags', path: 'tags.name' },
      ],
    });
    const sw1 = records.find((r) => r.name === 'sw1');
    expect((sw1?.location as { name: string }).name).toBe('par1');
    expect((sw1?.tags as { name: string }[]).map((t) => t.name).sort()).toEqual(['blue', 'red']);
    expect(standin.counters.queries).toBe(1);
  });

  it('reads only the scoped ids of a webhook-scoped run', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const wanted = [ctx.ids.get('TestTag/red'), ctx.ids.get('TestTag/green')] as string[];
    const records = await adapter.load({
      side: 'source',
      model: 'TestTag',
      path: 'TestTag',
      fields: [{ name: 'name', path: 'name' }],
      scope: { ids: wanted },
    });
    expect(records.map((r) => r.name).sort()).toEqual(['green', 'red']);
  });

  it('updates attributes, clears a one-relationship and drops stale many-relationship peers', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const sw1 = ctx.ids.get('InfraDevice/sw1');
    const results = await adapter.apply(
      [update('InfraDevice', 'sw1', { name: 'sw1' }, { serial: 'SN-9', location: null, platform: null, tags: ['green'] }, sw1)],
      ctx,
    );
    expect(failed(results)).toEqual([]);
    const node = standin.nodes('InfraDevice').find((n) => n.name === 'sw1');
    expect(node).toMatchObject({ serial: 'SN-9', location: null, platform: null, tags: [ctx.ids.get('TestTag/green')] });
  });

  it('updates by human-friendly id when the node id is unknown, and resolves peers by hfid', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const fresh = new Ctx(); // knows no ids: peers must go by hfid
    const results = await adapter.apply(
      [
        update('InfraDevice', 'sw2', { name: 'sw2' }, { serial: 'SN-2', tags: ['red'] }),
        create('InfraInterface', 'sw2__eth0', { device: 'sw2', name: 'eth0' }, { mtu: 9000 }),
      ],
      fresh,
    );
    expect(failed(results)).toEqual([]);
    expect(standin.nodes('InfraDevice').find((n) => n.name === 'sw2')).toMatchObject({
      serial: 'SN-2',
      tags: [ctx.ids.get('TestTag/red')],
    });
    const eth0 = standin.nodes('InfraInterface')[0];
    expect(eth0).toMatchObject({ name: 'eth0', mtu: 9000, device: ctx.ids.get('InfraDevice/sw2'), hfid: ['sw2', 'eth0'] });
  });

  it('re-applying the same creates changes nothing (creates are upserts)', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const before = standin.nodes('InfraDevice');
    const again = await adapter.apply(
      [create('InfraDevice', 'sw1', { name: 'sw1' }, { serial: 'SN-1', tags: ['blue', 'red'], location: 'par1' })],
      ctx,
    );
    expect(failed(again)).toEqual([]);
    expect(again[0]?.destinationId).toBe(ctx.ids.get('InfraDevice/sw1'));
    expect(standin.nodes('InfraDevice')).toHaveLength(before.length);
  });

  it('deletes by id; a node already gone counts as applied', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const sw2 = ctx.ids.get('InfraDevice/sw2');
    const first = await adapter.apply([del('InfraDevice', 'sw2', { name: 'sw2' }, sw2)], ctx);
    expect(first[0]?.status).toBe('applied');
    expect(standin.nodes('InfraDevice').map((n) => n.name)).toEqual(['sw1']);
    const second = await adapter.apply(
      [del('InfraDevice', 'sw2', { name: 'sw2' }, sw2), del('TestTag', 'nope', { name: 'nope' })],
      ctx,
    );
    expect(second.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('reports each failure with the server message, and applies the rest of the batch', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const results = byKey(
      await adapter.apply(
        [
          create('InfraDevice', 'ok1', { name: 'ok1' }, { serial: 'A' }),
          create('InfraDevice', 'bad-choice', { name: 'bad-choice' }, { status: 'exploded' }),
          create('InfraDevice', 'bad-number', { name: 'bad-number' }, { rack_units: 'two' }),
          create('InfraDevice', 'no-peer', { name: 'no-peer' }, { platform: 'junos' }),
          create('InfraDevice', 'ok2', { name: 'ok2' }, { serial: 'B' }),
        ],
        ctx,
      ),
    );
    expect(results['InfraDevice/ok1']?.status).toBe('applied');
    expect(results['InfraDevice/ok2']?.status).toBe('applied');
    expect(results['InfraDevice/bad-choice']).toMatchObject({ status: 'failed' });
    expect(results['InfraDevice/bad-choice']?.message).toMatch(/exploded|choice|status/i);
    expect(results['InfraDevice/bad-number']?.message).toMatch(/rack_units.*not an integer/);
    // Named by its hfid (the server's, from its unique name): the server says it has no such node.
    expect(results['InfraDevice/no-peer']?.message).toMatch(/Unable to find the node junos \/ InfraPlatform/);
    expect(standin.nodes('InfraDevice').map((n) => n.name).sort()).toEqual(['ok1', 'ok2', 'sw1', 'sw2']);
  });
});

describe('infrahub adapter: edge cases', () => {
  it('updates and deletes records of a generic model through their concrete kinds', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    const par1 = ctx.ids.get('LocationSite/par1');
    const eu = ctx.ids.get('LocationRegion/eu');
    const results = await adapter.apply(
      [
        update('LocationGeneric', 'par1', { name: 'par1' }, { description: 'Paris 1' }, par1),
        del('LocationGeneric', 'eu', { name: 'eu' }, eu),
        del('LocationGeneric', 'gone', { name: 'gone' }, '00000000-0000-0000-0000-000000000000'),
      ],
      ctx,
    );
    expect(
      results.map((r) => `${r.action} ${r.key}: ${r.status} ${r.message ?? ''}`.trim()).sort(),
    ).toEqual(['delete eu: applied', 'delete gone: applied already deleted', 'update par1: applied']);
    expect(standin.nodes('LocationSite').find((n) => n.name === 'par1')?.description).toBe('Paris 1');
    expect(standin.nodes('LocationRegion')).toEqual([]);
  });

  it('sends values as variables: GraphQL syntax inside a value is stored verbatim', async () => {
    const adapter = makeAdapter(standin.url);
    const nasty = 'x") { ok } m1: TestTagDelete(data: {id: "1"}) { ok } #\n$d0 \\ "';
    const results = await adapter.apply([create('InfraDevice', 'inj', { name: 'inj' }, { serial: nasty })], new Ctx());
    expect(failed(results)).toEqual([]);
    expect(standin.nodes('InfraDevice')[0]?.serial).toBe(nasty);
  });

  it('isolates a call the server rejects before executing anything (missing mandatory peer)', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    await seed(adapter, ctx);
    standin.resetCounters();
    const results = byKey(
      await adapter.apply(
        [
          create('InfraInterface', 'sw1__eth0', { device: 'sw1', name: 'eth0' }),
          create('InfraInterface', 'orphan', { name: 'orphan' }),
          create('InfraInterface', 'sw1__eth1', { device: 'sw1', name: 'eth1' }),
        ],
        ctx,
      ),
    );
    expect(results['InfraInterface/sw1__eth0']?.status).toBe('applied');
    expect(results['InfraInterface/sw1__eth1']?.status).toBe('applied');
    expect(results['InfraInterface/orphan']).toMatchObject({ status: 'failed' });
    expect(results['InfraInterface/orphan']?.message).toMatch(/device/);
    // One batch, then each call alone once the batch was refused as a whole.
    expect(standin.counters.mutations).toBe(4);
  });
});

describe('infrahub adapter: paging and batching', () => {
  it('reads count first, then the remaining pages in parallel, and writes N mutations per request', async () => {
    const adapter = makeAdapter(standin.url, { page_size: 100, batch_size: 50, concurrency: 4 });
    await adapter.open();
    standin.resetCounters();
    const tags = Array.from({ length: 1234 }, (_, i) => create('TestTag', `t${i}`, { name: `t${i}` }));
    const results = await adapter.apply(tags, new Ctx());
    expect(failed(results)).toEqual([]);
    expect(standin.counters.mutations).toBe(Math.ceil(1234 / 50));
    standin.resetCounters();
    const records = await adapter.load({ side: 'destination', model: 'TestTag', path: 'TestTag', fields: [{ name: 'name', path: 'name' }] });
    expect(records).toHaveLength(1234);
    expect(new Set(records.map((r) => r.id)).size).toBe(1234);
    expect(standin.counters.queries).toBe(Math.ceil(1234 / 100));
  });
});
