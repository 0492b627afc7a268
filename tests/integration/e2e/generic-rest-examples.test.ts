// infrahub-sync's four generic-REST examples (device42, librenms, observium, peeringdb), each
// unchanged (url and credentials come from the variables genericrestapi reads: ADDRESS, TOKEN,
// USERNAME, PASSWORD), from that system's stand-in into the Infrahub stand-in loaded with
// configs/schemas-base: one sync, then a second run with nothing to do.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { TOKEN, startSystemSides } from './system-sides.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

const creates = (r: Awaited<ReturnType<typeof run>>, model: string): string[] =>
  r.diff.changes.filter((c) => c.action === 'create' && c.model === model).map((c) => c.key).sort();

/** Sync, then check that the second run finds nothing to do. */
async function syncTwice(s: Sides, config: string): Promise<Awaited<ReturnType<typeof run>>> {
  const sync = await run(s, 'sync', config);
  expect(failureLines(sync.report)).toEqual([]);
  expect(sync.code).toBe(0);
  const again = await run(s, 'diff', config);
  expect(changeLines(again.diff)).toEqual([]);
  expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);
  return sync;
}

async function graphql(s: Sides, query: string): Promise<void> {
  const res = await fetch(`${s.infrahub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-INFRAHUB-KEY': TOKEN },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

describe('device42_to_infrahub example', () => {
  it('syncs tags, customers and buildings (with their tags), then finds nothing to do', async () => {
    sides = await startSystemSides('device42', { size: 'small' });
    const sync = await syncTwice(sides, await placeConfig(sides, join(EXAMPLES, 'device42_to_infrahub/config.yml')));
    const t = sides.source.dataset.tables;
    expect(creates(sync, 'BuiltinTag')).toEqual((t.tags ?? []).map((r) => r.name).sort());
    // Listed under "Customers", which the reference does not find: read as the body's only list.
    expect(creates(sync, 'OrganizationTenant')).toEqual((t.customers ?? []).map((r) => r.name).sort());
    expect(creates(sync, 'LocationSite')).toEqual((t.buildings ?? []).map((r) => r.name).sort());
    // A building's tags are names; they land as relationships to the tags synced before.
    const tags = new Map(sides.infrahub.nodes('BuiltinTag').map((n) => [n.id, n.name]));
    const building = (t.buildings ?? []).find((b) => Array.isArray(b.tags) && b.tags.length > 0);
    const site = sides.infrahub.nodes('LocationSite').find((n) => n.name === building?.name);
    expect(((site?.tags as string[]) ?? []).map((id) => tags.get(id)).sort()).toEqual([...(building?.tags as string[])].sort());
  });
});

describe('librenms_to_infrahub example', () => {
  it('syncs groups, locations and addresses; its placeholder device filter ("xxx") keeps every device out', async () => {
    sides = await startSystemSides('librenms');
    const config = await placeConfig(sides, join(EXAMPLES, 'librenms_to_infrahub/config.yml'));
    const sync = await syncTwice(sides, config);
    const t = sides.source.dataset.tables;
    // Under "groups", not "devicegroups": read as the body's only list.
    expect(creates(sync, 'CoreStandardGroup')).toEqual((t.devicegroups ?? []).map((r) => r.name).sort());
    expect(creates(sync, 'LocationSite')).toEqual((t.locations ?? []).map((r) => r.location).sort());
    // Addresses come without a prefix length; Infrahub stores a host as /32, and so are they compared.
    expect(creates(sync, 'IpamIPAddress')).toEqual((t.devices ?? []).map((d) => `${String(d.ip)}/32`).sort());
    expect(creates(sync, 'InfraDevice')).toEqual([]);
  });

  it('with the filter pointed at real hostnames, devices land with their site', async () => {
    sides = await startSystemSides('librenms');
    const config = await placeConfig(sides, join(EXAMPLES, 'librenms_to_infrahub/config.yml'), [['value: "xxx"', 'value: "example.net"']]);
    const sync = await syncTwice(sides, config);
    const devices = (sides.source.dataset.tables.devices ?? []).filter((d) => String(d.hostname).includes('example.net'));
    expect(creates(sync, 'InfraDevice')).toEqual(devices.map((d) => d.hostname).sort());
    const sites = new Map(sides.infrahub.nodes('LocationSite').map((n) => [n.id, n.name]));
    const node = sides.infrahub.nodes('InfraDevice').find((n) => n.name === devices[0]?.hostname);
    expect(node).toMatchObject({ serial_number: devices[0]?.serial, type: devices[0]?.hardware });
    expect(sites.get(node?.site as string)).toBe(devices[0]?.location);
  });
});

describe('observium_to_infrahub example', () => {
  it("syncs groups, and the PE routers its filters select, onto the platforms and manufacturers it expects to exist", async () => {
    sides = await startSystemSides('observium');
    // "Platform need to exist beforehand" / "Manufacturer need to exist beforehand", says the example.
    await graphql(sides, `mutation {
      p1: InfraPlatformCreate(data: {name: {value: "ios"}}) { ok }
      p2: InfraPlatformCreate(data: {name: {value: "junos"}}) { ok }
      m1: OrganizationManufacturerCreate(data: {name: {value: "Cisco"}}) { ok }
      m2: OrganizationManufacturerCreate(data: {name: {value: "Juniper"}}) { ok }
    }`);
    const sync = await syncTwice(sides, await placeConfig(sides, join(EXAMPLES, 'observium_to_infrahub/config.yml')));
    const devices = sides.source.dataset.tables.devices ?? [];
    expect(creates(sync, 'CoreStandardGroup')).toEqual((sides.source.dataset.tables.groups ?? []).map((g) => g.group_name).sort());
    // pe-NNN hostnames with 100 < device_id <= 200 (the first device has id 100) and an address in 10/8.
    const selected = devices.filter((d) => /^pe-[0-9]{3}$/.test(String(d.hostname)) && Number(d.device_id) > 100 && Number(d.device_id) <= 200);
    expect(selected.length).toBeGreaterThan(0);
    expect(devices.some((d) => /^pe-/.test(String(d.hostname)) && Number(d.device_id) <= 100)).toBe(true);
    expect(creates(sync, 'InfraDevice')).toEqual(selected.map((d) => d.hostname).sort());
    // The address entry filters by hostname and address only, so pe-101 (id 100) has its address synced.
    const pe = devices.filter((d) => /^pe-[0-9]{3}$/.test(String(d.hostname)));
    expect(creates(sync, 'IpamIPAddress')).toEqual(pe.map((d) => `${String(d.ip)}/32`).sort());

    const hub = sides.infrahub;
    const name = (kind: string) => new Map(hub.nodes(kind).map((n) => [n.id, (n.name ?? n.address) as string]));
    const d = selected[0];
    const node = hub.nodes('InfraDevice').find((n) => n.name === d?.hostname);
    expect(node).toMatchObject({ description: String(d?.serial).toUpperCase(), type: d?.hardware });
    expect(name('InfraPlatform').get(node?.platform as string)).toBe(d?.os);
    expect(name('OrganizationManufacturer').get(node?.manufacturer as string)).toBe(d?.vendor);
    expect(name('IpamIPAddress').get(node?.primary_address as string)).toBe(`${String(d?.ip)}/32`);
    const ip = hub.nodes('IpamIPAddress').find((n) => n.address === `${String(d?.ip)}/32`);
    expect(ip?.description).toBe(String(d?.hostname).toUpperCase());
  });
});

describe('peeringdb_to_infrahub example', () => {
  it('syncs the networks; its misspelt flags key is reported and ignored, as upstream ignores it', async () => {
    sides = await startSystemSides('peeringdb');
    const config = await placeConfig(sides, join(EXAMPLES, 'peeringdb_to_infrahub/config.yml'));
    const sync = await syncTwice(sides, config);
    expect(sync.stderr).toMatch(/dyffsync_flags/);
    const nets = sides.source.dataset.tables.net ?? [];
    expect(creates(sync, 'InfraAutonomousSystem')).toEqual(nets.map((n) => String(n.asn)).sort());
    const node = sides.infrahub.nodes('InfraAutonomousSystem').find((n) => n.asn === nets[0]?.asn);
    expect(node).toMatchObject({ name: nets[0]?.name, ipv4_max_prefixes: nets[0]?.info_prefixes4, ipv6_max_prefixes: nets[0]?.info_prefixes6 });
  });
});
