// Fault injection at the configured rate (500 / 429 + Retry-After / dropped connection),
// the dataset generator's determinism and sizes, and the on-disk dataset round trip.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../standins/dataset/generate.js';
import { renderNautobot } from '../../standins/dataset/render-nautobot.js';
import { renderNetbox } from '../../standins/dataset/render-netbox.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { readSourceDataset, writeSourceDataset } from '../../standins/rest-common/source-dataset.js';

const auth = { Authorization: 'Token standin-token' };

describe('fault injection', () => {
  it('fails about faultRate of the requests, counts each fault, and mixes 500, 429 and drops', async () => {
    const s = await startNetboxStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), faultRate: 0.3, faultSeed: 42 });
    const outcomes: (number | 'dropped')[] = [];
    let retryAfter: string | null = null;
    try {
      for (let i = 0; i < 300; i++) {
        try {
          const res = await fetch(`${s.url}/api/dcim/sites/`, { headers: auth });
          if (res.status === 429) retryAfter = res.headers.get('retry-after');
          await res.arrayBuffer();
          outcomes.push(res.status);
        } catch {
          outcomes.push('dropped');
        }
      }
    } finally {
      await s.stop();
    }
    const failed = outcomes.filter((o) => o !== 200).length;
    expect(s.counters.faults).toBe(failed);
    expect(s.counters.requests).toBe(300);
    expect(failed / 300).toBeGreaterThan(0.2);
    expect(failed / 300).toBeLessThan(0.4);
    expect(new Set(outcomes.filter((o) => o !== 200))).toEqual(new Set([500, 429, 'dropped']));
    expect(retryAfter).toBe('1');
  });

  it('draws the same fault sequence for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startNautobotStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), faultRate: 0.5, faultSeed: 7, faultKinds: ['error500'] });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await fetch(`${s.url}/api/status/`, { headers: auth })).status);
      await s.stop();
      return out;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('never faults when faultRate is 0', async () => {
    const s = await startNetboxStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }) });
    for (let i = 0; i < 50; i++) expect((await fetch(`${s.url}/api/status/`, { headers: auth })).status).toBe(200);
    expect(s.counters.faults).toBe(0);
    await s.stop();
  });
});

describe('dataset generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateDataset({ size: 'small', seed: 9 });
    const b = generateDataset({ size: 'small', seed: 9 });
    const c = generateDataset({ size: 'small', seed: 10 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.devices)).not.toBe(JSON.stringify(c.devices));
    expect(JSON.stringify(renderNautobot(a))).toBe(JSON.stringify(renderNautobot(b)));
    expect(JSON.stringify(renderNetbox(a))).toBe(JSON.stringify(renderNetbox(b)));
  });

  it.each([
    ['tiny', 5, 20, 10],
    ['small', 50, 600, 250],
    ['bench', 1000, 50000, 20000],
  ] as const)('%s has %i devices, %i interfaces, %i IP addresses', (size, devices, interfaces, ips) => {
    const ds = generateDataset({ size, seed: 1 });
    expect(ds.devices).toHaveLength(devices);
    expect(ds.interfaces).toHaveLength(interfaces);
    expect(ds.ipAddresses).toHaveLength(ips);
    expect(new Set(ds.devices.map((d) => d.name)).size).toBe(devices);
    expect(new Set(ds.ipAddresses.map((a) => `${a.namespace}/${a.address}`)).size).toBe(ips);
    for (const key of ['tags', 'manufacturers', 'deviceTypes', 'platforms', 'roles', 'tenants', 'tenantGroups', 'regions', 'sites',
      'locations', 'racks', 'rearPorts', 'frontPorts', 'namespaces', 'routeTargets', 'vrfs', 'vlanGroups', 'vlans', 'prefixes',
      'providers', 'providerNetworks', 'circuitTypes', 'circuits'] as const) {
      expect(ds[key].length, key).toBeGreaterThan(0);
    }
  });

  it('keeps references inside their collections and IPs inside their parent prefix', () => {
    const ds = generateDataset({ size: 'small', seed: 4 });
    for (const i of ds.interfaces) {
      expect(ds.devices[i.device]).toBeDefined();
      if (i.untaggedVlan !== null) expect(ds.vlans[i.untaggedVlan]).toBeDefined();
    }
    for (const a of ds.ipAddresses) {
      const parent = ds.prefixes[a.parent];
      expect(parent).toBeDefined();
      const net = (parent?.prefix ?? '').split('/')[0]?.split('.').slice(0, 3).join('.');
      expect(a.address.startsWith(`${net}.`)).toBe(true);
    }
  });

  // Seen against a real Nautobot 2.4.44: "Mode must be set when specifying untagged_vlan" and
  // "Mode must be set to tagged when specifying tagged_vlans" (NetBox drops both on save).
  it('makes only VLAN assignments a real Nautobot accepts', () => {
    for (const size of ['tiny', 'small'] as const) {
      const ds = generateDataset({ size, seed: 1 });
      const untagged = ds.interfaces.filter((i) => i.untaggedVlan !== null);
      expect(untagged.length).toBeGreaterThan(0);
      for (const i of untagged) expect(i.mode, `${size} ${i.name}`).not.toBeNull();
      for (const i of ds.interfaces.filter((x) => x.taggedVlans.length > 0)) expect(i.mode, `${size} ${i.name}`).toBe('tagged');
    }
  });

  it('writes <dir>/<system>/<app>.<model>.json that a stand-in serves unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'standin-ds-'));
    try {
      const ds = generateDataset({ size: 'tiny', seed: 2 });
      await writeSourceDataset(dir, renderNetbox(ds));
      await writeSourceDataset(dir, renderNautobot(ds));
      expect(await readdir(join(dir, 'netbox'))).toContain('dcim.devices.json');
      expect(await readdir(join(dir, 'nautobot'))).toContain('ipam.namespaces.json');
      expect(await readSourceDataset(dir, 'nautobot')).toEqual(JSON.parse(JSON.stringify(renderNautobot(ds))));
      const s = await startNautobotStandin({ dataset: dir });
      const body = (await (await fetch(`${s.url}/api/dcim/devices/`, { headers: auth })).json()) as { count: number };
      await s.stop();
      expect(body.count).toBe(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
