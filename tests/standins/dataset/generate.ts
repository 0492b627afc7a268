// Builds one neutral network, deterministic for a (size, seed) pair. Totals per size are
// fixed (SIZES), only the choices inside them depend on the seed.
import {
  CIRCUIT_TYPES, CITIES, DEVICE_ROLES, DEVICE_TYPES, IF_TYPES, IPAM_ROLES, MANUFACTURERS, PLATFORMS,
  PORT_TYPES, PROVIDERS, RACK_ROLES, REGIONS, SITE_GROUPS, SIZES, TAGS, TENANT_GROUPS, TENANTS,
} from './catalog.js';
import { generatePeering } from './generate-peering.js';
import { createPrng, type Prng } from './prng.js';
import type {
  Dataset, DatasetSize, Device, Interface, InterfaceType, IpAddress, Prefix, Rack, Site, StatusSlug, Vlan,
} from './types.js';

export interface GenerateOptions {
  size: DatasetSize;
  seed: number;
}

const slugify = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Site position in the role cycle -> device type index; the first slots make every site usable. */
const SITE_DEVICE_CYCLE = [0, 1, 8, 3, 6, 4, 5, 1, 5, 2, 7, 1, 4, 5] as const;

function distribute(total: number, buckets: number): number[] {
  const base = Math.floor(total / buckets);
  const extra = total % buckets;
  return Array.from({ length: buckets }, (_, i) => base + (i < extra ? 1 : 0));
}

function serial(rng: Prng): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let s = rng.pick(['FOC', 'JN1', 'SSJ', 'CN7', 'PA9']);
  for (let i = 0; i < 8; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
  return s;
}

function mac(rng: Prng): string {
  const parts = ['00', rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2)];
  return parts.join(':').toUpperCase();
}

function pickTags(rng: Prng, tagCount: number, max: number): number[] {
  const n = rng.int(0, max);
  const set = new Set<number>();
  for (let i = 0; i < n; i++) set.add(rng.int(0, tagCount - 1));
  return [...set].sort((a, b) => a - b);
}

interface IfaceNaming { mgmt: string; name(i: number): string; type: InterfaceType }

function ifaceNaming(roleKey: string, model: string): IfaceNaming {
  switch (roleKey) {
    case 'router':
      return model === 'MX204'
        ? { mgmt: 'fxp0', name: (i) => `xe-0/1/${i}`, type: IF_TYPES.xe }
        : { mgmt: 'GigabitEthernet0', name: (i) => `GigabitEthernet0/0/${i}`, type: IF_TYPES.ge };
    case 'core':
      return { mgmt: 'Management1', name: (i) => `Ethernet${i + 1}`, type: IF_TYPES.hundred };
    case 'access':
      return { mgmt: 'GigabitEthernet0/0', name: (i) => `GigabitEthernet1/0/${i + 1}`, type: IF_TYPES.ge };
    case 'firewall':
      return { mgmt: 'mgmt', name: (i) => `ethernet1/${i + 1}`, type: IF_TYPES.ge };
    case 'server':
      return { mgmt: 'idrac', name: (i) => `eno${i + 1}`, type: IF_TYPES.twentyfive };
    default:
      return { mgmt: 'eth0', name: (i) => `eth${i + 1}`, type: IF_TYPES.ge };
  }
}

export function generateDataset(opts: GenerateOptions): Dataset {
  const rng = createPrng(opts.seed);
  const sz = SIZES[opts.size];
  const tagCount = TAGS.length;

  const ds: Dataset = {
    kind: 'neutral-dataset', size: opts.size, seed: opts.seed, epoch: '2025-01-15T09:00:00.000Z',
    tags: TAGS.map(([name, color]) => ({ name, slug: slugify(name), color, description: `${name} equipment` })),
    manufacturers: MANUFACTURERS.map((name) => ({ name, slug: slugify(name), description: '' })),
    deviceTypes: DEVICE_TYPES.map(([model, m, part, u, full]) => ({
      model, slug: slugify(model), manufacturer: m, partNumber: part, uHeight: u, isFullDepth: full,
      description: '', tags: pickTags(rng, tagCount, 1),
    })),
    platforms: PLATFORMS.map(([name, m, driver]) => ({
      name, slug: slugify(name), manufacturer: m, napalmDriver: driver, description: '',
    })),
    roles: [
      ...DEVICE_ROLES.map(([name, , , color]) => ({ name, slug: slugify(name), color, scope: 'device' as const, description: `${name} devices` })),
      ...RACK_ROLES.map(([name, color]) => ({ name, slug: slugify(name), color, scope: 'rack' as const, description: '' })),
      ...IPAM_ROLES.map(([name, color]) => ({ name, slug: slugify(name), color, scope: 'ipam' as const, description: `${name} addressing` })),
    ],
    tenantGroups: TENANT_GROUPS.map((name) => ({ name, slug: slugify(name), description: '', parent: null })),
    tenants: TENANTS.map(([name, group]) => ({ name, slug: slugify(name), group, description: `${name} tenant` })),
    regions: REGIONS.slice(0, sz.regions).map((name) => ({ name, slug: slugify(name), description: '', parent: null, tags: [] })),
    siteGroups: SITE_GROUPS.map((name) => ({ name, slug: slugify(name), description: '', parent: null })),
    sites: [], locations: [], racks: [], devices: [], interfaces: [], rearPorts: [], frontPorts: [],
    namespaces: [
      { name: 'Global', description: 'Default Global namespace. Created by Nautobot.' },
      { name: 'Customer-A', description: 'Overlapping customer space' },
    ],
    routeTargets: [
      { name: '65000:100', tenant: 4, description: 'Production', tags: [] },
      { name: '65000:200', tenant: 4, description: 'Management', tags: [] },
      { name: '65000:300', tenant: 0, description: 'Acme Corp L3VPN', tags: [] },
    ],
    vrfs: [
      { name: 'PROD', rd: '65000:100', tenant: 4, namespace: 0, description: 'Production', importTargets: [0], exportTargets: [0], tags: [] },
      { name: 'MGMT', rd: '65000:200', tenant: 4, namespace: 0, description: 'Out of band management', importTargets: [1], exportTargets: [1], tags: [] },
      { name: 'CUST-A', rd: null, tenant: 0, namespace: 1, description: 'Acme Corp', importTargets: [2, 0], exportTargets: [2], tags: [] },
    ],
    vlanGroups: [], vlans: [], prefixes: [], ipAddresses: [],
    providers: PROVIDERS.map(([name, asn]) => ({ name, slug: slugify(name), asn, account: `ACC-${rng.int(10000, 99999)}`, description: '', tags: [] })),
    providerNetworks: [],
    circuitTypes: CIRCUIT_TYPES.map(([name, color]) => ({ name, slug: slugify(name), color, description: '', tags: [] })),
    circuits: [],
    peering: { autonomousSystems: [], communities: [], routingPolicies: [], bgpGroups: [], internetExchanges: [], routers: [], connections: [] },
  };

  const roleIndex = (key: string): number => DEVICE_ROLES.findIndex(([, k]) => k === key);
  const rackRole = DEVICE_ROLES.length;
  const ipamRole = DEVICE_ROLES.length + RACK_ROLES.length;

  // Sites, with one floor location each.
  for (let s = 0; s < sz.sites; s++) {
    const city = CITIES[s % CITIES.length] ?? CITIES[0];
    const round = Math.floor(s / CITIES.length);
    const site: Site = {
      name: round === 0 ? city[0] : `${city[0]} ${round + 1}`,
      slug: `${city[1]}${String(round + 1).padStart(2, '0')}`,
      description: '', region: s % sz.regions, group: s % 3 === 0 ? 0 : 1,
      tenant: rng.chance(0.3) ? rng.int(0, 3) : null,
      status: s === sz.sites - 1 && sz.sites > 2 ? 'planned' : 'active',
      facility: `${city[1].toUpperCase()}-${rng.int(1, 9)}`, timeZone: city[2],
      physicalAddress: `${rng.int(1, 400)} Main Street, ${city[0]}`, tags: pickTags(rng, tagCount, 2),
    };
    ds.sites.push(site);
    ds.locations.push({
      name: `${site.name} Floor 1`, slug: `${site.slug}-floor-1`, description: '', site: s, parent: null,
      tenant: site.tenant, status: 'active', tags: [],
    });
    ds.vlanGroups.push({ name: `${site.slug}-vlans`, slug: `${site.slug}-vlans`, description: `VLANs of ${site.name}`, site: s });
  }

  // Devices per site, racks sized to hold them.
  const perSite = distribute(sz.devices, sz.sites);
  let assetCounter = 1000;
  let routerCount = 0;
  const siteOfDevice: number[] = [];
  perSite.forEach((count, s) => {
    const site = ds.sites[s] as Site;
    const prefix = s % 2 === 0 ? 'dmi01' : 'ncsu';
    const rackCount = Math.max(1, Math.ceil(count / 10));
    const firstRack = ds.racks.length;
    for (let r = 0; r < rackCount; r++) {
      const rack: Rack = {
        name: `${site.slug}-r${String(r + 1).padStart(2, '0')}`, site: s, location: s,
        role: rackRole + (r % 2), tenant: site.tenant, status: 'active', uHeight: 42,
        serial: serial(rng), assetTag: rng.chance(0.5) ? `RK${assetCounter++}` : null,
        facilityId: `${site.slug.toUpperCase()}.${r + 1}`, tags: pickTags(rng, tagCount, 1),
      };
      ds.racks.push(rack);
    }
    const counters = new Map<string, number>();
    for (let k = 0; k < count; k++) {
      const dt = SITE_DEVICE_CYCLE[k % SITE_DEVICE_CYCLE.length] ?? 0;
      const [model, , , uHeight, , roleKey] = DEVICE_TYPES[dt] ?? DEVICE_TYPES[0];
      const short = DEVICE_ROLES[roleIndex(roleKey)]?.[2] ?? 'dev';
      const n = (counters.get(short) ?? 0) + 1;
      counters.set(short, n);
      const platform = PLATFORMS.findIndex(([, m]) => m === DEVICE_TYPES[dt]?.[1]);
      const device: Device = {
        name: `${prefix}-${site.slug}-${short}${String(n).padStart(2, '0')}`,
        deviceType: dt, role: roleIndex(roleKey), platform: platform >= 0 ? platform : roleKey === 'server' ? 4 : null,
        tenant: site.tenant ?? (rng.chance(0.5) ? 4 : null), site: s, location: s,
        rack: firstRack + Math.floor(k / 10), position: uHeight === 0 ? null : (k % 10) * 4 + 1,
        face: uHeight === 0 ? null : 'front', status: rng.chance(0.9) ? 'active' : rng.pick<StatusSlug>(['planned', 'offline', 'staged']),
        serial: serial(rng), assetTag: rng.chance(0.6) ? `AT${assetCounter++}` : null,
        description: model === 'CP24BLY' ? 'Fibre patch panel' : '', tags: pickTags(rng, tagCount, 2),
        hostname: '',
      };
      device.hostname = roleKey === 'router' ? `pe-${100 + (routerCount += 1)}` : `${device.name}.example.net`;
      ds.devices.push(device);
      siteOfDevice.push(s);
    }
  });

  // Interfaces on every device except patch panels, which get front/rear ports instead.
  const patchType = DEVICE_TYPES.findIndex(([, , , , , r]) => r === 'patch');
  const withIfaces = ds.devices.map((d, i) => ({ d, i })).filter(({ d }) => d.deviceType !== patchType);
  const ifaceCounts = distribute(sz.interfaces, withIfaces.length);
  const ipCounts = distribute(sz.ipAddresses, withIfaces.length);
  const firstIfaceOfDevice = new Map<number, number>();

  // VLANs per site, enough /24s for the site's addresses.
  const ipsPerSite = new Array<number>(sz.sites).fill(0);
  withIfaces.forEach(({ i }, n) => { const s = siteOfDevice[i] ?? 0; ipsPerSite[s] = (ipsPerSite[s] ?? 0) + (ipCounts[n] ?? 0); });
  const siteVlans: number[][] = [];
  const sitePrefixes: number[][] = [];
  for (let s = 0; s < sz.sites; s++) {
    const site = ds.sites[s] as Site;
    const vlanCount = Math.max(2, Math.ceil((ipsPerSite[s] ?? 0) / 250));
    const container: Prefix = {
      prefix: `10.${s}.0.0/16`, parent: null, site: s, vrf: null, namespace: 0, tenant: null, vlan: null, status: 'active',
      role: null, isPool: false, description: `${site.name} aggregate`, tags: [],
    };
    const containerIdx = ds.prefixes.push(container) - 1;
    siteVlans[s] = [];
    sitePrefixes[s] = [];
    for (let v = 0; v < vlanCount; v++) {
      const vid = v === 0 ? 10 : 100 + v * 10;
      const vlan: Vlan = {
        vid, name: v === 0 ? `${site.slug}-mgmt` : `${site.slug}-data${v}`, site: s, group: s,
        tenant: site.tenant, status: 'active', role: ipamRole + (v === 0 ? 1 : 0),
        description: v === 0 ? 'Management' : '', tags: [],
      };
      const vlanIdx = ds.vlans.push(vlan) - 1;
      siteVlans[s]?.push(vlanIdx);
      const p: Prefix = {
        prefix: `10.${s}.${v}.0/24`, parent: containerIdx, site: s, vrf: v === 0 ? 1 : 0, namespace: 0,
        tenant: site.tenant, vlan: vlanIdx, status: 'active', role: ipamRole + (v === 0 ? 1 : 0),
        isPool: false, description: vlan.description, tags: [],
      };
      sitePrefixes[s]?.push(ds.prefixes.push(p) - 1);
    }
    if (s < 4) {
      // Same space in another namespace: what Nautobot namespaces exist for.
      ds.prefixes.push({
        prefix: `10.${s}.0.0/24`, parent: null, site: s, vrf: 2, namespace: 1, tenant: 0, vlan: null,
        status: 'active', role: ipamRole, isPool: false, description: 'Acme Corp overlap', tags: [],
      });
    }
  }
  ds.vlans.push({ vid: 999, name: 'quarantine', site: null, group: null, tenant: null, status: 'reserved', role: null, description: 'Global quarantine VLAN', tags: [] });

  const siteIpCounter = new Array<number>(sz.sites).fill(0);
  withIfaces.forEach(({ d, i }, n) => {
    const s = siteOfDevice[i] ?? 0;
    const [model, , , , , roleKey] = DEVICE_TYPES[d.deviceType] ?? DEVICE_TYPES[0];
    const naming = ifaceNaming(roleKey, model);
    const count = ifaceCounts[n] ?? 0;
    const vlans = siteVlans[s] ?? [];
    firstIfaceOfDevice.set(i, ds.interfaces.length);
    for (let k = 0; k < count; k++) {
      const mgmt = k === 0;
      const trunk = !mgmt && roleKey !== 'server' && roleKey !== 'pdu' && k % 8 === 1;
      const access = !mgmt && !trunk && (roleKey === 'access' || roleKey === 'server') && vlans.length > 1;
      // Drawn in this order so the rest of the dataset stays as it was.
      const enabled = rng.chance(0.9);
      const mtu = mgmt ? null : rng.pick([1500, 9000, 9216]);
      const macAddress = rng.chance(0.8) ? mac(rng) : null;
      const trunkMode = trunk ? (rng.chance(0.2) ? 'tagged-all' : 'tagged') : null;
      const untaggedVlan = mgmt ? (vlans[0] ?? null) : access || trunk ? (vlans[1 + (k % (vlans.length - 1))] ?? null) : null;
      // Nautobot refuses an untagged VLAN without a mode and tagged VLANs unless the mode is
      // "tagged"; NetBox drops both on save. So the management port is an access port.
      const mode = trunkMode ?? (access || untaggedVlan !== null ? 'access' : null);
      const iface: Interface = {
        device: i, name: mgmt ? naming.mgmt : naming.name(k - 1), type: mgmt ? IF_TYPES.ge : naming.type,
        enabled, mtu, macAddress, mgmtOnly: mgmt, description: mgmt ? 'OOB management' : '',
        mode, untaggedVlan,
        taggedVlans: mode === 'tagged' ? vlans.slice(1).sort((a, b) => a - b) : [],
        status: 'active', tags: k === 1 ? pickTags(rng, tagCount, 1) : [],
      };
      ds.interfaces.push(iface);
    }
    const ips = Math.min(ipCounts[n] ?? 0, count);
    const first = firstIfaceOfDevice.get(i) ?? 0;
    for (let k = 0; k < ips; k++) {
      const c = siteIpCounter[s] ?? 0;
      siteIpCounter[s] = c + 1;
      const v = Math.floor(c / 250);
      const prefixIdx = sitePrefixes[s]?.[v] ?? 0;
      const p = ds.prefixes[prefixIdx] as Prefix;
      const ip: IpAddress = {
        address: `10.${s}.${v}.${(c % 250) + 1}/24`, vrf: p.vrf, namespace: p.namespace, tenant: d.tenant,
        status: 'active', parent: prefixIdx, interface: first + k,
        dnsName: k === 0 ? `${d.name}.mgmt.example.net` : '', description: '', tags: [],
        role: k === 0 ? ipamRole + 1 : null,
      };
      ds.ipAddresses.push(ip);
    }
  });

  // Patch panels: rear ports feeding front ports one to one.
  ds.devices.forEach((d, i) => {
    if (d.deviceType !== patchType) return;
    const ports = opts.size === 'tiny' ? 4 : 24;
    for (let p = 0; p < ports; p++) {
      const rearIdx = ds.rearPorts.push({ device: i, name: `Rear${p + 1}`, type: PORT_TYPES.lc, positions: 1, description: '' }) - 1;
      ds.frontPorts.push({ device: i, name: `Front${p + 1}`, type: PORT_TYPES.lc, rearPort: rearIdx, rearPortPosition: 1, description: '' });
    }
  });

  // Circuits and provider networks.
  ds.providers.slice(0, 3).forEach((p, i) => {
    ds.providerNetworks.push({ name: `${p.name} Backbone`, provider: i, serviceId: `SVC-${rng.int(1000, 9999)}`, description: `${p.name} MPLS core`, tags: [] });
  });
  for (let c = 0; c < sz.circuits; c++) {
    const provider = c % ds.providers.length;
    const p = ds.providers[provider] ?? ds.providers[0];
    ds.circuits.push({
      cid: `${p?.slug ?? 'ntt'}-${rng.int(100000, 999999)}${c}`, provider, type: c % ds.circuitTypes.length,
      status: rng.chance(0.85) ? 'active' : 'planned', tenant: rng.chance(0.4) ? rng.int(0, 3) : null,
      commitRate: rng.pick([100000, 1000000, 10000000, null]), installDate: `2024-0${(c % 9) + 1}-1${c % 10}`,
      description: `${p?.name ?? ''} circuit ${c + 1}`, tags: pickTags(rng, tagCount, 1),
    });
  }
  ds.peering = generatePeering(ds, opts.seed);
  return ds;
}
