// The peering side of the neutral network (what Peering Manager and PeeringDB hold): our own
// AS and its peers, BGP communities, routing policies, BGP groups, internet exchanges and the
// routers' connections to them. It draws from its own PRNG, seeded from the dataset's seed,
// so adding it changed nothing in the tables generated before it.
import { PROVIDERS } from './catalog.js';
import { createPrng } from './prng.js';
import type { AutonomousSystem, Dataset, IxConnection, Peering, PeeringStatus } from './types.js';

/** [name, ASN]: public networks and their real ASNs. */
const PEERS = [
  ['Cloudflare', 13335], ['Google', 15169], ['Akamai', 20940], ['Netflix', 2906], ['Amazon', 16509],
  ['Microsoft', 8075], ['Meta', 32934], ['Fastly', 54113], ['Hurricane Electric', 6939], ['Apple', 714],
  ['OVHcloud', 16276], ['Hetzner', 24940], ['DigitalOcean', 14061], ['Level 3', 3549], ['GTT', 3257],
] as const;

const IXPS = ['AMS-IX', 'DE-CIX Frankfurt', 'LINX LON1', 'Equinix Ashburn', 'NYIIX', 'SGIX'] as const;

/** The slug Peering Manager's form pre-fills from a name. */
const slugOf = (name: string): string => name.toLowerCase().replace(/\s+/g, '-');

const COMMUNITIES = [
  ['Learned from transit', 'transit-learned', '64500:100', 'ingress', 'Routes received from transit providers'],
  ['Learned from IXP', 'ixp-learned', '64500:200', 'ingress', 'Routes received at internet exchanges'],
  ['Learned from customer', 'customer-learned', '64500:300', 'ingress', ''],
  ['Do not export to peers', 'no-export-peers', '64500:666', 'egress', ''],
  ['Blackhole', 'blackhole', '65535:666', 'egress', 'RFC 7999 blackhole'],
  ['Prepend once', 'prepend-1', '64500:1001', null, ''],
] as const;

/** [name, slug, type, weight, address family, communities] */
const POLICIES = [
  ['Reject bogons', 'reject-bogons', 'import-policy', 1000, 0, []],
  ['IXP in v4', 'ixp-in-v4', 'import-policy', 500, 4, [1]],
  ['IXP in v6', 'ixp-in-v6', 'import-policy', 500, 6, [1]],
  ['Transit in', 'transit-in', 'import-export-policy', 200, 0, [0]],
  ['Announce own', 'announce-own', 'export-policy', 100, 0, [3]],
] as const;

const SIZES = { tiny: { peers: 3, ixps: 2, groups: 2 }, small: { peers: 8, ixps: 3, groups: 3 }, bench: { peers: 15, ixps: 6, groups: 3 } } as const;

const irr = (name: string): string => `AS-${name.toUpperCase().replace(/[^A-Z0-9]+/g, '')}`;

export function generatePeering(ds: Dataset, seed: number): Peering {
  const rng = createPrng((seed * 7919 + 17) >>> 0);
  const sz = SIZES[ds.size];

  const own: AutonomousSystem = {
    asn: 64500, name: 'Example Networks', irrAsSet: 'AS-EXAMPLE', ipv4MaxPrefixes: 100, ipv6MaxPrefixes: 50,
    affiliated: true, description: 'Our own network', comments: '', communities: [], importPolicies: [], exportPolicies: [4],
  };
  const others: [string, number][] = [
    ...PROVIDERS.map(([n, a]) => [n, a] as [string, number]),
    ...PEERS.slice(0, sz.peers).map(([n, a]) => [n, a] as [string, number]),
  ];
  const autonomousSystems: AutonomousSystem[] = [own];
  others.forEach(([name, asn], i) => {
    const transit = i < PROVIDERS.length;
    autonomousSystems.push({
      asn, name, irrAsSet: rng.chance(0.8) ? irr(name) : null,
      ipv4MaxPrefixes: transit ? 1_000_000 : rng.pick([100, 500, 1000, 5000]),
      ipv6MaxPrefixes: transit ? 200_000 : rng.pick([50, 100, 500, 1000]),
      affiliated: false, description: transit ? 'Transit provider' : 'Peer',
      comments: rng.chance(0.3) ? `Peering contact: noc@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example` : '',
      communities: transit ? [0] : [], importPolicies: transit ? [0, 3] : [0], exportPolicies: [4],
    });
  });

  const communities = COMMUNITIES.map(([name, slug, value, type, description]) => ({ name, slug, value, type, description }));
  const routingPolicies = POLICIES.map(([name, slug, type, weight, addressFamily, comms]) => ({
    name, slug, type, weight, addressFamily, communities: [...comms], description: '',
  }));
  const groupDefs: [string, string, PeeringStatus][] = [
    ['Transit', 'transit', 'enabled'], ['Private peering', 'private-peering', 'enabled'], ['Customers', 'customers', 'maintenance'],
  ];
  const bgpGroups = groupDefs.slice(0, sz.groups).map(([name, , status], i) => ({
    name, slug: slugOf(name), status, description: i === 0 ? 'Upstream transit sessions' : '',
    importPolicies: i === 0 ? [0, 3] : [0], exportPolicies: [4], communities: i === 0 ? [0] : [],
  }));
  const internetExchanges = IXPS.slice(0, sz.ixps).map((name, x) => ({
    name, slug: slugOf(name), status: (x === sz.ixps - 1 && sz.ixps > 2 ? 'disabled' : 'enabled') as PeeringStatus,
    description: `${name} peering LAN`, localAs: 0, importPolicies: [0, 1, 2], exportPolicies: [4], communities: [1],
    ipv4Prefix: `185.1.${10 + x}.0/24`, ipv6Prefix: `2001:7f8:${(0x10 + x).toString(16)}::/64`,
  }));

  const routers = ds.devices.map((d, i) => ({ d, i })).filter(({ d }) => d.hostname.startsWith('pe-')).map(({ i }) => i);
  const connections: IxConnection[] = [];
  internetExchanges.forEach((ix, x) => {
    routers.forEach((deviceIdx, r) => {
      if (routers.length > 1 && (r + x) % 3 === 2) return;
      const ifaces = ds.interfaces.filter((f) => f.device === deviceIdx && !f.mgmtOnly);
      const iface = ifaces[(x + 1) % Math.max(1, ifaces.length)]?.name ?? `et-0/0/${x}`;
      const n = connections.length;
      const v4 = ix.ipv4Prefix.replace(/\.0\/24$/, `.${10 + r}/24`);
      const v6 = ix.ipv6Prefix.replace(/::\/64$/, `::fbf4:0:${r + 1}/64`);
      connections.push({
        ixp: x, router: deviceIdx, interface: iface, ipv4: v4, ipv6: n % 4 === 3 ? null : v6,
        vlan: rng.chance(0.5) ? rng.int(100, 999) : null,
        status: rng.chance(0.85) ? 'enabled' : 'maintenance', description: rng.chance(0.5) ? `${ix.name} port ${r + 1}` : '',
        peeringdbNetixlan: rng.chance(0.7) ? 60_000 + n : null,
      });
    });
  });
  return { autonomousSystems, communities, routingPolicies, bgpGroups, internetExchanges, routers, connections };
}
