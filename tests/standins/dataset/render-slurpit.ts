// Neutral network -> what Slurp'it holds about it: devices and sites (every value a string, as
// its API sends them), the plannings (the built-in ones, as a Slurp'it install lists them), and
// each planning's results: one row per device per finding with its `hostname` and `timestamp`
// and no id (interfaces, hardware info, software versions, VLANs, routing table). Shapes as
// recorded by nautobot-app-ssot's Slurp'it tests (tests/standins/slurpit/README.md).
import type { SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import { DEVICE_TYPES } from './catalog.js';
import type { Dataset } from './types.js';

/** [brand, device_os, version, image] per catalog device type (undefined: Slurp'it does not collect it). */
const COLLECTED: Record<number, [string, string, string, string] | undefined> = {
  0: ['Cisco', 'cisco_ios', '17.9.4a', 'bootflash:isr4400-universalk9.17.09.04a.SPA.bin'],
  1: ['Cisco', 'cisco_ios', '17.9.4a', 'flash:cat9k_iosxe.17.09.04a.SPA.bin'],
  2: ['Juniper Networks', 'juniper_junos', '22.4R3-S2', 'junos-vmhost-install-mx-x86-64-22.4R3-S2.tgz'],
  3: ['Arista Networks', 'arista_eos', '4.31.2F', 'flash:/EOS-4.31.2F.swi'],
  6: ['Palo Alto Networks', 'paloaltonetworks_panos', '10.2.7-h3', 'PanOS_3200-10.2.7-h3'],
};

const PLANNINGS: [number, string, string, string[]][] = [
  [3, 'Interfaces', 'interfaces', ['Interface', 'Line', 'Protocol', 'IP', 'MAC', 'Description', 'Duplex', 'Speed', 'Vlan']],
  [4, 'Hardware info', 'hardware-info', ['Name', 'Descr', 'Product', 'Version', 'Serial']],
  [5, 'Vlans', 'vlans', ['Vlan', 'Name', 'Status', 'Interfaces']],
  [7, 'Software versions', 'software-versions', ['Version', 'File', 'Uptime', 'Type', 'Serial', 'Boot', 'Reboot Reason']],
  [17, 'Routing Table', 'routing-table', ['Network', 'Mask', 'Vrf', 'Nexthop_ip', 'Nexthop_if', 'Nexthop_vrf', 'Protocol', 'Type', 'Distance', 'Metric', 'Uptime']],
];

export function renderSlurpit(ds: Dataset): SourceDataset {
  const t: Record<string, SourceRow[]> = {};
  const when = '2025-01-15 09:00:00';
  const devices = ds.devices.map((d, i) => ({ d, i, c: COLLECTED[d.deviceType] })).filter((x) => x.c !== undefined) as
    { d: Dataset['devices'][number]; i: number; c: [string, string, string, string] }[];
  t.sites = ds.sites.map((s, n) => ({
    id: String(n + 1), sitename: s.name, street: s.physicalAddress.split(',')[0] ?? '', number: String(10 + n), city: s.name, county: '',
    state: '', zipcode: `10${String(n).padStart(3, '0')}`, country: s.timeZone.split('/')[0] ?? '', status: '1', description: s.description,
    phonenumber: '', longitude: '', latitude: '', createddate: when, changeddate: when,
  }));
  t.devices = devices.map(({ d, i, c }) => ({
    id: String(16 + i), hostname: d.name, fqdn: `${d.name}.example.net`, ipv4: `10.255.0.${i + 1}`, port: '22', device_os: c[1],
    device_type: DEVICE_TYPES[d.deviceType]?.[0] ?? '', brand: c[0], disabled: '0', vault_id: null, vault: null,
    site: ds.sites[d.site]?.name ?? null, added: 'finder', last_seen: when, createddate: when, changeddate: when,
  }));
  t.planning = PLANNINGS.map(([id, name, slug, columns]) => ({
    id: String(id), name, slug, comment: `Discover ${name.toLowerCase()}`, disabled: '0', createddate: when, changeddate: when,
    columns: columns.map((column) => ({ column, type: column === 'IP' ? 'ip' : column === 'MAC' ? 'mac' : 'text', key: true })),
  }));
  const result = (hostname: string, row: Record<string, string>) => ({ ...row, hostname, timestamp: [when] });
  const ipsOf = new Map<number, string[]>();
  for (const ip of ds.ipAddresses) if (ip.interface !== null && !ip.address.includes(':')) ipsOf.set(ip.interface, [...(ipsOf.get(ip.interface) ?? []), ip.address]);
  const rows = (slug: string): SourceRow[] =>
    devices.flatMap(({ d, i, c }): Record<string, unknown>[] => {
      const ifaces = ds.interfaces.map((x, n) => ({ x, n })).filter(({ x }) => x.device === i);
      switch (slug) {
        case 'interfaces':
          return ifaces.map(({ x, n }) => {
            const mac = (x.macAddress ?? '').replace(/[^0-9a-fA-F]/g, '').toLowerCase();
            return result(d.name, {
              Interface: x.name, Line: x.enabled ? 'up' : 'administratively down', Protocol: x.enabled ? 'up' : 'down',
              MAC_normalized: mac, MAC_vendor: mac ? 'Cisco Systems, Inc' : '', MAC: mac ? `${mac.slice(0, 4)}.${mac.slice(4, 8)}.${mac.slice(8)}` : '',
              Description: x.description, IP_fqdn: '', IP: (ipsOf.get(n) ?? [])[0]?.split('/')[0] ?? 'Unknown', Duplex: x.enabled ? 'Full' : 'unknown',
              Speed: '1000Mb/s', Vlan: '',
            });
          });
        case 'hardware-info':
          return [
            result(d.name, { Name: 'Chassis', Descr: `${DEVICE_TYPES[d.deviceType]?.[0] ?? ''} Chassis`, Product: DEVICE_TYPES[d.deviceType]?.[2] ?? '', Version: 'V01', Serial: d.serial }),
            result(d.name, { Name: 'Power Supply 0', Descr: 'AC Power Supply', Product: 'PWR-AC', Version: 'V02', Serial: `${d.serial}P0` }),
            result(d.name, { Name: '', Descr: 'unnamed sensor', Product: '', Version: '', Serial: '' }),
          ];
        case 'software-versions':
          return [result(d.name, { Version: c[2], File: c[3], Uptime: `${i + 1} weeks`, Type: c[1], Serial: d.serial, Boot: 'reload', 'Reboot Reason': 'Reload Command' })];
        case 'vlans':
          return ds.vlans.filter((v) => v.site === d.site).map((v) => result(d.name, { Vlan: String(v.vid), Name: v.name, Status: 'active', Interfaces: '' }));
        case 'routing-table': {
          const own = ifaces.flatMap(({ x, n }) => (ipsOf.get(n) ?? []).map((a) => ({ x, a })));
          return [
            result(d.name, { Vrf: '', Protocol: 'S*', Network: '0.0.0.0', Mask: '0', Distance: '1', Metric: '0', Type: 'via', Nexthop_ip: '10.255.0.254', Nexthop_if: '', Uptime: '4d04h' }),
            ...own.flatMap(({ x, a }) => {
              const ip = ds.ipAddresses.find((y) => y.address === a);
              const parent = ip ? ds.prefixes[ip.parent] : undefined;
              const vrf = ip?.vrf === null || ip?.vrf === undefined ? '' : (ds.vrfs[ip.vrf]?.name ?? '');
              const [net = '', mask = ''] = (parent?.prefix ?? '').split('/');
              return [
                ...(parent ? [result(d.name, { Vrf: vrf, Protocol: 'C', Network: net, Mask: mask, Distance: '', Metric: '', Type: 'directly', Nexthop_ip: 'connected', Nexthop_if: x.name, Uptime: '4d04h' })] : []),
                result(d.name, { Vrf: vrf, Protocol: 'L', Network: a.split('/')[0] ?? '', Mask: '32', Distance: '', Metric: '', Type: 'directly', Nexthop_ip: 'connected', Nexthop_if: x.name, Uptime: '4d04h' }),
              ];
            }),
          ];
        }
        default:
          return [];
      }
    }) as SourceRow[];
  for (const [, , slug] of PLANNINGS) t[`planning-results.${slug}`] = rows(slug);
  return { kind: 'source-dataset', system: 'slurpit', tables: t };
}
