// infrahub-sync's peering-manager_to_infrahub example, unchanged (its url and token are
// overridden by PEERING_MANAGER_ADDRESS / PEERING_MANAGER_TOKEN, as in infrahub-sync), from the
// Peering Manager stand-in into the Infrahub stand-in loaded with configs/schemas-base.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { EXAMPLES, ROOT, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { startSystemSides } from './system-sides.js';

const CONFIG = join(EXAMPLES, 'peering-manager_to_infrahub/config.yml');

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('peering-manager_to_infrahub example end to end', () => {
  it('syncs every model over every page, then finds nothing to do; a changed connection is one update', async () => {
    // A page of 2: the reference reads only the first page of each list; every object arrives here.
    sides = await startSystemSides('peeringmanager', { standin: { maxPageSize: 2 } });
    const config = await placeConfig(sides, CONFIG);

    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const tables = sides.source.dataset.tables;
    const count = (model: string) => sync.diff.changes.filter((c) => c.model === model && c.action === 'create').length;
    expect(count('InfraAutonomousSystem')).toBe(tables['peering.autonomous-systems']?.length);
    expect(count('OrganizationProvider')).toBe(tables['peering.autonomous-systems']?.length);
    expect(count('InfraBGPCommunity')).toBe(tables['peering.communities']?.length);
    expect(count('InfraBGPRoutingPolicy')).toBe(tables['peering.routing-policies']?.length);
    expect(count('InfraIXPConnection')).toBe(tables['net.connections']?.length);
    // One address per non-empty IPv4 and IPv6 address of a connection (two entries of one model).
    const addresses = (tables['net.connections'] ?? []).flatMap((c) => [c.ipv4_address, c.ipv6_address]).filter(Boolean);
    expect(count('IpamIPAddress')).toBe(addresses.length);

    // What landed in Infrahub, relationships resolved to the right nodes.
    const hub = sides.infrahub;
    const byId = (kind: string) => new Map(hub.nodes(kind).map((n) => [n.id, n]));
    const conn = hub.nodes('InfraIXPConnection').find((n) => n.name === 'AMS-IX on dmi01-ams01-rtr01 GigabitEthernet0/0/1');
    expect(conn).toMatchObject({ status: 'enabled' });
    expect(byId('InfraIXP').get(conn?.internet_exchange_point)?.name).toBe('AMS-IX');
    expect(byId('IpamIPAddress').get(conn?.ipv4_address)?.address).toBe('185.1.10.10/24');
    expect(byId('IpamIPAddress').get(conn?.ipv6_address)?.address).toBe('2001:7f8:10::fbf4:0:1/64');
    const cloudflare = hub.nodes('InfraAutonomousSystem').find((n) => n.asn === 13335);
    expect(cloudflare).toMatchObject({ name: 'Cloudflare', description: 'AS13335 - Cloudflare', ipv4_max_prefixes: expect.any(Number) });
    expect(byId('OrganizationProvider').get(cloudflare?.organization)?.name).toBe('Cloudflare');
    const transit = hub.nodes('InfraBGPPeerGroup').find((n) => n.name === 'Transit');
    const policies = byId('InfraBGPRoutingPolicy');
    expect((transit?.import_policies as string[]).map((id) => policies.get(id)?.name).sort()).toEqual(['reject-bogons', 'transit-in']);

    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);

    const row = tables['net.connections']?.[0];
    if (!row) throw new Error('no connection');
    row.status = 'maintenance';
    const third = await run(sides, 'sync', config);
    expect(failureLines(third.report)).toEqual([]);
    expect(changeLines(third.diff)).toEqual(['update InfraIXPConnection AMS-IX on dmi01-ams01-rtr01 GigabitEthernet0/0/1']);
    expect(third.diff.changes[0]?.attrs).toEqual({ status: 'maintenance' });
  });
});

describe('configs/schemas-base', () => {
  it('fits every example that targets it, and both Peering Manager project configs (validate --check-schema)', async () => {
    sides = await startSystemSides('peeringmanager');
    const configs = [
      join(ROOT, 'configs/peering-manager-to-infrahub/config.yml'), join(ROOT, 'configs/infrahub-to-peering-manager/config.yml'),
      ...['peering-manager_to_infrahub', 'infrahub_to_peering-manager', 'device42_to_infrahub', 'librenms_to_infrahub',
        'observium_to_infrahub', 'peeringdb_to_infrahub'].map((e) => join(EXAMPLES, e, 'config.yml')),
    ];
    for (const c of configs) {
      const r = await runCli(['validate', '--check-schema', '--config-file', c], { cwd: sides.work, env: sides.env });
      expect(r.stderr, c).toMatch(/the mapping matches the Infrahub schema/);
      expect(r.code, c).toBe(0);
    }
  });
});
