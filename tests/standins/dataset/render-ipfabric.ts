// Neutral network -> the IP Fabric tables infrahub-sync's ipfabric example reads, as IP Fabric 7
// answers them: lower-case vendor names, Cisco-dotted MACs, speeds in bit/s (`speedValue`), an
// empty `vrf` for the global table, one row per device for VRFs and part numbers. Only what a
// discovery would find: routers, switches and firewalls (servers, PDUs and patch panels are not
// discovered). Column names are the tables' (tests/standins/ipfabric/README.md).
import type { Json, SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import type { Dataset } from './types.js';

/** [vendor, family, platform, model, version] per catalog device type (undefined: not discovered). */
const DISCOVERED: Record<number, [string, string, string, string, string] | undefined> = {
  0: ['cisco', 'isr', 'isr4400', 'ISR4431/K9', '17.9.4a'],
  1: ['cisco', 'c9300', 'c9300', 'C9300-48P', '17.9.4a'],
  2: ['juniper', 'mx', 'mx', 'MX204', '22.4R3-S2'],
  3: ['arista', 'eos', 'dcs-7280', 'DCS-7280SR-48C6', '4.31.2F'],
  6: ['paloalto', 'pa-3200', 'pa-3200', 'PA-3220', '10.2.7-h3'],
};

const dotted = (mac: string | null): string | null => {
  if (!mac) return null;
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return hex.length === 12 ? `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}` : null;
};

export function renderIpfabric(ds: Dataset): SourceDataset {
  let next = 1_000_000_001;
  const id = (): string => String(next++);
  const t: Record<string, SourceRow[]> = {};
  const devices = ds.devices.map((d, i) => ({ d, i, v: DISCOVERED[d.deviceType] })).filter((x) => x.v !== undefined) as
    { d: Dataset['devices'][number]; i: number; v: [string, string, string, string, string] }[];
  const site = (n: number): string => ds.sites[n]?.name ?? '';
  const sn = (d: Dataset['devices'][number], i: number): string => d.serial || `IPF${String(i).padStart(8, '0')}`;
  const uniq = <T>(rows: T[], key: (r: T) => string): T[] => [...new Map(rows.map((r) => [key(r), r])).values()];

  t['tables/inventory/sites'] = ds.sites.map((s, n) => ({
    id: id(), siteName: s.name, devicesCount: devices.filter((x) => x.d.site === n).length, usersCount: 0, stpDCount: 0,
    switchesCount: devices.filter((x) => x.d.site === n && x.v[1] === 'c9300').length, vlanCount: ds.vlans.filter((v) => v.site === n).length,
    rDCount: 1, routersCount: devices.filter((x) => x.d.site === n && x.v[0] !== 'paloalto').length, networksCount: 0, stpDomains: [], rDomains: [],
  }));
  t['tables/inventory/summary/vendors'] = uniq(devices, (x) => x.v[0]).map((x) => ({
    id: id(), vendor: x.v[0], familiesCount: 1, platformsCount: 1, modelsCount: 1, devicesCount: devices.filter((y) => y.v[0] === x.v[0]).length,
  }));
  t['tables/inventory/summary/platforms'] = uniq(devices, (x) => x.v[2]).map((x) => ({
    id: id(), vendor: x.v[0], family: x.v[1], platform: x.v[2], modelsCount: 1, devicesCount: devices.filter((y) => y.v[2] === x.v[2]).length,
  }));
  t['tables/inventory/summary/models'] = uniq(devices, (x) => x.v[3]).map((x) => ({
    id: id(), vendor: x.v[0], family: x.v[1], platform: x.v[2], model: x.v[3], devicesCount: devices.filter((y) => y.v[3] === x.v[3]).length,
  }));
  t['tables/inventory/os-version-consistency/platforms'] = uniq(devices, (x) => `${x.v[2]}/${x.v[4]}`).map((x) => {
    const [major = '', minor = '', maintenance = ''] = x.v[4].split(/[.-]/);
    return { id: id(), vendor: x.v[0], family: x.v[1], platform: x.v[2], version: x.v[4], count: 1, pct: 100, major, minor, maintenance, rebuild: '', train: '' };
  });
  t['tables/inventory/devices'] = devices.map(({ d, i, v }) => ({
    id: id(), hostname: d.name, siteName: site(d.site), rd: '1', stpDomain: null, sn: sn(d, i), snHw: sn(d, i), loginIp: `10.255.0.${i + 1}`,
    loginIpv4: `10.255.0.${i + 1}`, loginIpv6: null, loginType: 'ssh', uptime: 86_400 * (i + 1), reload: 'reload', memoryUtilization: 41.5,
    vendor: v[0], family: v[1], platform: v[2], model: v[3], version: v[4], devType: v[1] === 'c9300' ? 'switch' : v[0] === 'paloalto' ? 'fw' : 'router',
    hostnameOriginal: d.name, hostnameProcessed: d.name, domain: 'example.net', fqdn: `${d.name}.example.net`, stack: false, slug: null,
  }));
  t['tables/inventory/pn'] = devices.flatMap(({ d, i, v }) => [
    { name: 'Chassis', dscr: `${v[3]} chassis`, pid: v[3], sn: sn(d, i), vid: 'V01' },
    { name: 'Power Supply 0', dscr: 'AC power supply', pid: 'PWR-AC', sn: `${sn(d, i)}-P0`, vid: 'V02' },
  ].map((p) => ({ id: id(), hostname: d.name, siteName: site(d.site), deviceId: String(i), ...p, vendor: v[0], platform: v[2], model: v[3], deviceSn: sn(d, i) })));
  t['tables/vlan/site-summary'] = ds.vlans.filter((v) => v.site !== null).map((v) => ({
    id: id(), siteName: site(v.site as number), vlanId: v.vid, vlanName: v.name, dscr: v.description, devCount: 1,
  }));
  const vrfName = (n: number | null): string => (n === null ? '' : (ds.vrfs[n]?.name ?? ''));
  t['tables/vrf/detail'] = devices.flatMap(({ d, i }) => ds.vrfs.map((vrf) => ({
    id: id(), hostname: d.name, siteName: site(d.site), vrf: vrf.name, rd: vrf.rd ?? '', intCount: 1, sn: sn(d, i),
  })));
  const discovered = new Set(devices.map((x) => x.i));
  t['tables/inventory/interfaces'] = ds.interfaces.filter((x) => discovered.has(x.device)).map((x) => {
    const d = ds.devices[x.device] as Dataset['devices'][number];
    const speed = /100gbase/.test(x.type.value) ? 100e9 : /25gbase/.test(x.type.value) ? 25e9 : /10gbase/.test(x.type.value) ? 10e9 : 1e9;
    return {
      id: id(), hostname: d.name, intName: x.name, intNameAlias: null, nameOriginal: x.name, siteName: site(d.site), l1: x.enabled ? 'up' : 'down',
      l2: x.enabled ? 'up' : 'down', reason: null, dscr: x.description || null, mac: dotted(x.macAddress), duplex: 'full', speed: `${speed / 1e9}Gbps`,
      bandwidth: speed / 1000, speedValue: speed, speedType: 'fixed', media: null, errDisabled: null, mtu: x.mtu ?? 1500, primaryIp: null,
      hasTransceiver: false, sn: sn(d, x.device),
    } satisfies Record<string, Json>;
  });
  t['tables/networks'] = ds.prefixes.filter((p) => p.site !== null).map((p) => ({
    id: id(), siteName: site(p.site as number), net: p.prefix, hosts: 0, gw: [], gwV: [], vrf: vrfName(p.vrf),
    vlanId: p.vlan === null ? null : (ds.vlans[p.vlan]?.vid ?? null), mask: Number(p.prefix.split('/')[1]), gwcount: 0, gwcountV: 0,
  }));
  t['tables/addressing/managed-devs'] = ds.ipAddresses.flatMap((ip) => {
    const iface = ip.interface === null ? undefined : ds.interfaces[ip.interface];
    if (!iface || !discovered.has(iface.device) || ip.address.includes(':')) return [];
    const d = ds.devices[iface.device] as Dataset['devices'][number];
    const net = ds.prefixes[ip.parent]?.prefix ?? null;
    return [{
      id: id(), hostname: d.name, intName: iface.name, stateL1: 'up', stateL2: 'up', siteName: site(d.site), dnsName: ip.dnsName || null,
      dnsHostnameMatch: -1, vlanId: null, dnsReverseMatch: -1, mac: dotted(iface.macAddress), ip: ip.address.split('/')[0] as string, net,
      type: 'primary', vrf: vrfName(ip.vrf), sn: sn(d, iface.device),
    }];
  });
  // Tables are files named for their path: `tables/inventory/devices` -> `inventory.devices`.
  return { kind: 'source-dataset', system: 'ipfabric', tables: Object.fromEntries(Object.entries(t).map(([k, v]) => [tableKey(k), v])) };
}

export function tableKey(path: string): string {
  return path.replace(/^\/?tables\//, '').replace(/\//g, '.');
}
