// Neutral network -> Peering Manager 1.9 tables. Field lists follow Peering Manager v1.9.7's
// REST serializers (peering/api/serializers.py, net/api/serializers/connections.py; Meta.fields).
// `display` and connection `name` are computed by the stand-in when it serves a row; references
// hold integer ids. The routers are the neutral network's routers (`devices.routers`), and
// `peeringdb.netixlan` holds the ids Peering Manager's local PeeringDB cache would know.
import type { Json, SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import type { Dataset } from './types.js';

const id = (i: number): number => i + 1;
const ids = (list: number[]): number[] => list.map(id);

/** Community kind as Peering Manager derives it from the value (`get_community_kind`). */
export function communityKind(value: string): string | null {
  const parts = value.split(':');
  if (parts.length === 2 && parts.every((p) => /^\d+$/.test(p))) return 'regular';
  if (parts.length === 3 && parts.every((p) => /^\d+$/.test(p))) return 'large';
  if (parts.length === 3) return 'extended';
  return null;
}

export function renderPeeringManager(ds: Dataset): SourceDataset {
  const epoch = Date.parse(ds.epoch);
  let clock = 0;
  const stamps = (): { created: string; updated: string } => {
    clock += 1;
    const at = epoch + clock * 61_000;
    return { created: new Date(at).toISOString().replace('Z', '000Z'), updated: new Date(at + 3_600_000).toISOString().replace('Z', '000Z') };
  };
  const common = (): Record<string, Json> => ({ local_context_data: null, tags: [], ...stamps() });
  const p = ds.peering;
  const t: Record<string, SourceRow[]> = {};

  t['peering.communities'] = p.communities.map((c, i) => ({
    id: id(i), name: c.name, slug: c.slug, description: c.description, value: c.value, type: c.type,
    kind: communityKind(c.value), ...common(),
  }));
  t['peering.routing-policies'] = p.routingPolicies.map((r, i) => ({
    id: id(i), name: r.name, slug: r.slug, description: r.description, type: r.type, weight: r.weight,
    address_family: r.addressFamily, communities: ids(r.communities), ...common(),
  }));
  t['peering.autonomous-systems'] = p.autonomousSystems.map((a, i) => ({
    id: id(i), asn: a.asn, name: a.name, name_peeringdb_sync: !a.affiliated, description: a.description,
    comments: a.comments, irr_as_set: a.irrAsSet, irr_as_set_peeringdb_sync: !a.affiliated,
    ipv6_max_prefixes: a.ipv6MaxPrefixes, ipv6_max_prefixes_peeringdb_sync: !a.affiliated,
    ipv4_max_prefixes: a.ipv4MaxPrefixes, ipv4_max_prefixes_peeringdb_sync: !a.affiliated,
    import_routing_policies: ids(a.importPolicies), export_routing_policies: ids(a.exportPolicies),
    communities: ids(a.communities), prefixes: null, affiliated: a.affiliated, ...common(),
  }));
  t['peering.bgp-groups'] = p.bgpGroups.map((g, i) => ({
    id: id(i), name: g.name, slug: g.slug, description: g.description, status: g.status,
    import_routing_policies: ids(g.importPolicies), export_routing_policies: ids(g.exportPolicies),
    communities: ids(g.communities), ...common(),
  }));
  t['peering.internet-exchanges'] = p.internetExchanges.map((x, i) => ({
    id: id(i), peeringdb_ixlan: null, peeringdb_prefixes: { ipv4: [x.ipv4Prefix], ipv6: [x.ipv6Prefix] },
    ixapi_endpoint: null, name: x.name, slug: x.slug, description: x.description, status: x.status,
    local_autonomous_system: id(x.localAs), import_routing_policies: ids(x.importPolicies),
    export_routing_policies: ids(x.exportPolicies), communities: ids(x.communities), ...common(),
  }));
  const routerId = new Map(p.routers.map((deviceIdx, r) => [deviceIdx, r + 1]));
  t['devices.routers'] = p.routers.map((deviceIdx, r) => {
    const d = ds.devices[deviceIdx];
    return {
      id: r + 1, name: d?.name ?? `router-${r + 1}`, hostname: d?.hostname ?? '', local_autonomous_system: 1,
      description: '', comments: '', ...common(),
    };
  });
  t['net.connections'] = p.connections.map((c, i) => ({
    id: id(i), peeringdb_netixlan: c.peeringdbNetixlan, status: c.status, vlan: c.vlan, mac_address: null,
    ipv6_address: c.ipv6, ipv4_address: c.ipv4, internet_exchange_point: id(c.ixp), router: routerId.get(c.router) ?? null,
    interface: c.interface, description: c.description, comments: '', ...common(),
  }));
  t['peeringdb.netixlan'] = p.connections
    .filter((c) => c.peeringdbNetixlan !== null)
    .map((c) => ({ id: c.peeringdbNetixlan as number, asn: 64500, ipaddr4: c.ipv4, ipaddr6: c.ipv6 }));
  return { kind: 'source-dataset', system: 'peeringmanager', tables: t };
}
