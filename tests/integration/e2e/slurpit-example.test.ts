// infrahub-sync's slurpit_to_infrahub example, with only its connection settings changed (it
// hard-codes `url: "<URL>"` and `api_key: "<TOKEN>"`; the Infrahub token it writes is replaced by
// INFRAHUB_API_TOKEN), from the Slurp'it stand-in into the Infrahub stand-in loaded with
// configs/schemas-slurpit. As published it keys addresses by `ip_prefix`, which Infrahub computes
// (the most specific prefix holding the address), so it is refused before anything is written;
// keyed by the address, one sync, then a run with nothing to do.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { TOKEN, startSystemSides } from './system-sides.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

const CONNECTION = (sides: Sides): Array<[string, string]> => [
  ['url: "<URL>"', `url: "${sides.source.url}"`],
  ['api_key: "<TOKEN>"', `api_key: "${TOKEN}"`],
];

describe('slurpit_to_infrahub example', () => {
  it('as published: refused before any write, its addresses being keyed by the computed ip_prefix', async () => {
    sides = await startSystemSides('slurpit', { schema: 'configs/schemas-slurpit', size: 'tiny' });
    const config = await placeConfig(sides, join(EXAMPLES, 'slurpit_to_infrahub/config.yml'), CONNECTION(sides));
    const sync = await run(sides, 'sync', config);
    const stderr = sync.stderr;
    expect(sync.code).toBe(2);
    // The JSON document carries the refusal too.
    expect((sync.diff as unknown as { error: { exit: number } }).error.exit).toBe(2);
    expect(stderr).toContain('InfraIPAddress (filter_interfaces): identifier `ip_prefix` is computed by Infrahub');
    expect(sides.infrahub.counters.mutations).toBe(0);
    expect(sides.infrahub.nodes('InfraDevice')).toEqual([]);
    expect(sides.infrahub.nodes('InfraIPAddress')).toEqual([]);
  });

  it('keyed by address: syncs vendors, sites, device types, platforms, devices, hardware, versions, VLANs, VRFs, interfaces, prefixes and addresses, then finds nothing to do', async () => {
    sides = await startSystemSides('slurpit', { schema: 'configs/schemas-slurpit', size: 'small' });
    const config = await placeConfig(sides, join(EXAMPLES, 'slurpit_to_infrahub/config.yml'), [
      ...CONNECTION(sides),
      [`identifiers: ["address", 'ip_prefix']`, `identifiers: ["address"]`],
    ]);
    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);

    const t = sides.source.dataset.tables;
    const hub = sides.infrahub;
    const name = (kind: string, f = 'name') => new Map(hub.nodes(kind).map((n) => [n.id, n[f]]));
    const devices = t.devices ?? [];
    expect(hub.nodes('OrganizationGeneric').map((n) => n.name).sort()).toEqual([...new Set(devices.map((d) => d.brand))].sort());
    expect(hub.nodes('InfraDevice').map((n) => n.hostname).sort()).toEqual(devices.map((d) => d.hostname).sort());
    const d0 = devices[0];
    const dev = hub.nodes('InfraDevice').find((n) => n.hostname === d0?.hostname);
    expect([name('LocationGeneric').get(dev?.location as string), name('ChoiceDeviceType').get(dev?.device_type as string), name('InfraPlatform').get(dev?.platform as string)])
      .toEqual([d0?.site, d0?.device_type, d0?.device_os]);
    // Hardware rows without a name are filtered out; the rest land on their device.
    const hw = (t['planning-results.hardware-info'] ?? []).filter((r) => r.Name !== '');
    expect(hub.nodes('InfraHardwareInfo').length).toBe(hw.length);
    // One version per software version, holding the first device that runs it (as upstream keeps the first row).
    const versions = t['planning-results.software-versions'] ?? [];
    const first = new Map<string, string>();
    for (const v of versions) if (!first.has(String(v.Version))) first.set(String(v.Version), String(v.hostname));
    expect(hub.nodes('InfraVersion').map((n) => [n.version, ((n.devices as string[]) ?? []).map((id) => name('InfraDevice', 'hostname').get(id))]).sort())
      .toEqual([...first].map(([v, h]) => [v, [h]]).sort());
    // Prefixes without host routes and the default; addresses with their interface, in their prefix.
    const prefixes = hub.nodes('InfraPrefix').map((n) => String(n.prefix));
    expect(prefixes.length).toBeGreaterThan(0);
    expect(prefixes.some((p) => p.endsWith('/32') || p === '0.0.0.0/0')).toBe(false);
    const addrs = hub.nodes('InfraIPAddress');
    expect(addrs.length).toBeGreaterThan(0);
    const ifName = name('InfraInterface');
    expect(addrs.every((a) => typeof a.interface === 'string' && ifName.has(a.interface))).toBe(true);
    expect(addrs.every((a) => prefixes.includes(String(name('InfraPrefix', 'prefix').get(a.ip_prefix as string))))).toBe(true);
  });
});
