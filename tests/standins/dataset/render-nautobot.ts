// Neutral network -> Nautobot 2.4 tables. Fields follow the 2.x models (serializers use
// fields="__all__"); status and role are rows of extras.statuses / extras.roles, sites and
// regions become locations typed Region/Site/Floor, IPAM lives in namespaces. id, object_type,
// display, url, natural_slug and notes_url are added by the stand-in when it serves a row.
import { STATUS_COLORS, STATUS_LABELS } from './catalog.js';
import { createPrng } from './prng.js';
import type { Dataset, Ref, StatusSlug } from './types.js';
import type { Json, SourceDataset, SourceRow } from '../rest-common/source-dataset.js';

const ROLE_CONTENT_TYPES = {
  device: ['dcim.device', 'virtualization.virtualmachine'],
  rack: ['dcim.rack'],
  ipam: ['ipam.ipaddress', 'ipam.prefix', 'ipam.vlan'],
} as const;

const STATUS_CONTENT_TYPES = [
  'circuits.circuit', 'dcim.device', 'dcim.interface', 'dcim.location', 'dcim.rack', 'ipam.ipaddress',
  'ipam.prefix', 'ipam.vlan', 'ipam.vrf',
];

export function renderNautobot(ds: Dataset): SourceDataset {
  const rng = createPrng((ds.seed ^ 0x5a17) >>> 0);
  const uuids = (n: number): string[] => Array.from({ length: n }, () => rng.uuid());
  const epoch = Date.parse(ds.epoch);
  let clock = 0;
  const stamps = (): { created: string; last_updated: string } => {
    clock += 1;
    const at = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');
    return { created: at(epoch + clock * 59_000), last_updated: at(epoch + clock * 59_000 + 7_200_000) };
  };

  const statusSlugs = Object.keys(STATUS_LABELS) as StatusSlug[];
  const ids = {
    statuses: uuids(statusSlugs.length), roles: uuids(ds.roles.length), tags: uuids(ds.tags.length),
    manufacturers: uuids(ds.manufacturers.length), deviceTypes: uuids(ds.deviceTypes.length),
    platforms: uuids(ds.platforms.length), tenantGroups: uuids(ds.tenantGroups.length), tenants: uuids(ds.tenants.length),
    locationTypes: uuids(3), regions: uuids(ds.regions.length), sites: uuids(ds.sites.length), floors: uuids(ds.locations.length),
    racks: uuids(ds.racks.length), devices: uuids(ds.devices.length), interfaces: uuids(ds.interfaces.length),
    rearPorts: uuids(ds.rearPorts.length), frontPorts: uuids(ds.frontPorts.length), namespaces: uuids(ds.namespaces.length),
    routeTargets: uuids(ds.routeTargets.length), vrfs: uuids(ds.vrfs.length), vlanGroups: uuids(ds.vlanGroups.length),
    vlans: uuids(ds.vlans.length), prefixes: uuids(ds.prefixes.length), ipAddresses: uuids(ds.ipAddresses.length),
    providers: uuids(ds.providers.length), providerNetworks: uuids(ds.providerNetworks.length),
    circuitTypes: uuids(ds.circuitTypes.length), circuits: uuids(ds.circuits.length),
  };
  const pick = (list: string[], i: Ref): string | null => (i === null ? null : (list[i] ?? null));
  const all = (list: string[], idx: number[]): string[] => idx.map((i) => list[i]).filter((x): x is string => x !== undefined);
  const status = (s: StatusSlug): string | null => pick(ids.statuses, statusSlugs.indexOf(s));
  const tail = (tags: number[] | null = []): Record<string, Json> => ({
    ...stamps(), ...(tags === null ? {} : { tags: all(ids.tags, tags) }), custom_fields: {},
  });

  const t: Record<string, SourceRow[]> = {};
  t['extras.statuses'] = statusSlugs.map((s, i) => ({
    id: ids.statuses[i] as string, name: STATUS_LABELS[s], color: STATUS_COLORS[s], description: '',
    content_types: STATUS_CONTENT_TYPES, ...tail(null),
  }));
  t['extras.roles'] = ds.roles.map((r, i) => ({
    id: ids.roles[i] as string, name: r.name, color: r.color, weight: null, description: r.description,
    content_types: [...ROLE_CONTENT_TYPES[r.scope]], ...tail(null),
  }));
  t['extras.tags'] = ds.tags.map((x, i) => ({
    id: ids.tags[i] as string, name: x.name, color: x.color, description: x.description,
    content_types: ['circuits.circuit', 'dcim.device', 'dcim.devicetype', 'dcim.interface', 'dcim.location', 'dcim.rack'],
    tagged_items: taggedItems(ds, i), ...tail(null),
  }));
  t['dcim.manufacturers'] = ds.manufacturers.map((m, i) => ({
    id: ids.manufacturers[i] as string, name: m.name, description: m.description,
    device_type_count: ds.deviceTypes.filter((d) => d.manufacturer === i).length, inventory_item_count: 0,
    platform_count: ds.platforms.filter((p) => p.manufacturer === i).length, cloud_account_count: 0, ...tail(null),
  }));
  t['dcim.device-types'] = ds.deviceTypes.map((d, i) => ({
    id: ids.deviceTypes[i] as string, front_image: null, rear_image: null, model: d.model, part_number: d.partNumber,
    // Nautobot stores whole rack units.
    u_height: Math.ceil(d.uHeight), is_full_depth: d.isFullDepth, subdevice_role: null, comments: '',
    manufacturer: ids.manufacturers[d.manufacturer] as string, device_family: null,
    device_count: ds.devices.filter((x) => x.deviceType === i).length, ...tail(d.tags), software_image_files: [],
  }));
  t['dcim.platforms'] = ds.platforms.map((p, i) => ({
    id: ids.platforms[i] as string,
    network_driver_mappings: (p.napalmDriver ? { napalm: p.napalmDriver } : {}) as Record<string, Json>,
    name: p.name, network_driver: p.napalmDriver ? `${p.napalmDriver === 'ios' ? 'cisco_ios' : p.napalmDriver}` : '',
    napalm_driver: p.napalmDriver, napalm_args: null, description: p.description,
    manufacturer: pick(ids.manufacturers, p.manufacturer),
    device_count: ds.devices.filter((x) => x.platform === i).length, virtual_machine_count: 0, ...tail(null),
  }));
  t['tenancy.tenant-groups'] = ds.tenantGroups.map((g, i) => ({
    id: ids.tenantGroups[i] as string, tree_depth: 0, name: g.name, description: g.description,
    parent: pick(ids.tenantGroups, g.parent), tenant_count: ds.tenants.filter((x) => x.group === i).length, ...tail(null),
  }));
  t['tenancy.tenants'] = ds.tenants.map((x, i) => ({
    id: ids.tenants[i] as string, name: x.name, description: x.description, comments: '',
    tenant_group: pick(ids.tenantGroups, x.group),
    circuit_count: ds.circuits.filter((c) => c.tenant === i).length, device_count: ds.devices.filter((d) => d.tenant === i).length,
    ipaddress_count: ds.ipAddresses.filter((a) => a.tenant === i).length, prefix_count: ds.prefixes.filter((p) => p.tenant === i).length,
    rack_count: ds.racks.filter((r) => r.tenant === i).length, virtualmachine_count: 0,
    vlan_count: ds.vlans.filter((v) => v.tenant === i).length, vrf_count: ds.vrfs.filter((v) => v.tenant === i).length,
    cluster_count: 0, ...tail([]),
  }));
  const [ltRegion, ltSite, ltFloor] = ids.locationTypes as [string, string, string];
  t['dcim.location-types'] = [
    { id: ltRegion, tree_depth: 0, name: 'Region', description: 'Geographic region', nestable: true, parent: null, content_types: [], ...tail(null) },
    {
      id: ltSite, tree_depth: 1, name: 'Site', description: 'A building or campus', nestable: false, parent: ltRegion,
      content_types: ['circuits.circuittermination', 'dcim.device', 'dcim.rack', 'ipam.namespace', 'ipam.prefix', 'ipam.vlan', 'ipam.vlangroup'],
      ...tail(null),
    },
    { id: ltFloor, tree_depth: 2, name: 'Floor', description: '', nestable: false, parent: ltSite, content_types: ['dcim.device', 'dcim.rack'], ...tail(null) },
  ];
  const location = (
    id: string, name: string, type: string, parent: string | null, st: StatusSlug, tenant: Ref, extra: Record<string, Json>,
    tags: number[], depth: number,
  ): SourceRow => ({
    id, tree_depth: depth, time_zone: (extra.time_zone as string | undefined) ?? null, name, description: '',
    facility: (extra.facility as string | undefined) ?? '', asn: null,
    physical_address: (extra.physical_address as string | undefined) ?? '', shipping_address: '', latitude: null,
    longitude: null, contact_name: '', contact_phone: '', contact_email: '', comments: '', status: status(st),
    parent, location_type: type, tenant: pick(ids.tenants, tenant),
    circuit_count: 0, device_count: (extra.device_count as number | undefined) ?? 0, prefix_count: (extra.prefix_count as number | undefined) ?? 0,
    rack_count: (extra.rack_count as number | undefined) ?? 0, virtual_machine_count: 0, vlan_count: (extra.vlan_count as number | undefined) ?? 0,
    ...tail(tags),
  });
  t['dcim.locations'] = [
    ...ds.regions.map((r, i) => location(ids.regions[i] as string, r.name, ltRegion, pick(ids.regions, r.parent), 'active', null, {}, r.tags, 0)),
    ...ds.sites.map((s, i) => location(ids.sites[i] as string, s.name, ltSite, pick(ids.regions, s.region), s.status, s.tenant, {
      time_zone: s.timeZone, facility: s.facility, physical_address: s.physicalAddress,
      device_count: ds.devices.filter((d) => d.site === i).length, rack_count: ds.racks.filter((r) => r.site === i).length,
      prefix_count: ds.prefixes.filter((p) => p.site === i).length, vlan_count: ds.vlans.filter((v) => v.site === i).length,
    }, s.tags, 1)),
    ...ds.locations.map((l, i) => location(ids.floors[i] as string, l.name, ltFloor, ids.sites[l.site] as string, l.status, l.tenant, {}, l.tags, 2)),
  ];
  t['dcim.racks'] = ds.racks.map((r, i) => ({
    id: ids.racks[i] as string, name: r.name, facility_id: r.facilityId, serial: r.serial, asset_tag: r.assetTag,
    type: { value: '4-post-cabinet', label: '4-post cabinet' }, width: { value: 19, label: '19 inches' },
    u_height: r.uHeight, desc_units: false, outer_width: null, outer_depth: null, outer_unit: null, comments: '',
    location: ids.sites[r.site] as string, rack_group: null, tenant: pick(ids.tenants, r.tenant), status: status(r.status),
    role: pick(ids.roles, r.role), device_count: ds.devices.filter((d) => d.rack === i).length, power_feed_count: 0, ...tail(r.tags),
  }));
  const ipsOfIface = new Map<number, string[]>();
  ds.ipAddresses.forEach((a, n) => {
    if (a.interface !== null) ipsOfIface.set(a.interface, [...(ipsOfIface.get(a.interface) ?? []), ids.ipAddresses[n] as string]);
  });
  const firstIpOfDevice = new Map<number, string>();
  ds.ipAddresses.forEach((a, n) => {
    const dev = a.interface === null ? undefined : ds.interfaces[a.interface]?.device;
    if (dev !== undefined && !firstIpOfDevice.has(dev)) firstIpOfDevice.set(dev, ids.ipAddresses[n] as string);
  });
  t['dcim.devices'] = ds.devices.map((d, i) => ({
    id: ids.devices[i] as string,
    face: d.face === null ? null : { value: d.face, label: d.face === 'front' ? 'Front' : 'Rear' },
    local_config_context_data: null, local_config_context_data_owner_object_id: null, name: d.name, serial: d.serial,
    asset_tag: d.assetTag, position: d.position, device_redundancy_group_priority: null, vc_position: null,
    vc_priority: null, comments: d.description, local_config_context_schema: null,
    local_config_context_data_owner_content_type: null, device_type: ids.deviceTypes[d.deviceType] as string,
    status: status(d.status), role: pick(ids.roles, d.role), tenant: pick(ids.tenants, d.tenant),
    platform: pick(ids.platforms, d.platform), location: ids.sites[d.site] as string, rack: pick(ids.racks, d.rack),
    primary_ip4: firstIpOfDevice.get(i) ?? null, primary_ip6: null, cluster: null, virtual_chassis: null,
    device_redundancy_group: null, software_version: null, secrets_group: null,
    controller_managed_device_group: null, parent_bay: null, ...tail(d.tags), software_image_files: [],
  }));
  t['dcim.interfaces'] = ds.interfaces.map((x, i) => ({
    id: ids.interfaces[i] as string, name: x.name, label: '', description: x.description, enabled: x.enabled,
    mac_address: x.macAddress, mtu: x.mtu,
    mode: x.mode === null ? null : { value: x.mode, label: x.mode === 'access' ? 'Access' : x.mode === 'tagged' ? 'Tagged' : 'Tagged (All)' },
    role: null, parent_interface: null, bridge: null, lag: null, type: { ...x.type }, mgmt_only: x.mgmtOnly,
    untagged_vlan: pick(ids.vlans, x.untaggedVlan), vrf: null, speed: null, duplex: null, cable: null,
    cable_peer_type: null, cable_peer: null, connected_endpoint_type: null, connected_endpoint: null,
    connected_endpoint_reachable: null, device: ids.devices[x.device] as string, module: null, status: status(x.status),
    ip_address_count: (ipsOfIface.get(i) ?? []).length,
    ...tail(x.tags), tagged_vlans: all(ids.vlans, x.taggedVlans), ip_addresses: ipsOfIface.get(i) ?? [],
  }));
  t['dcim.rear-ports'] = ds.rearPorts.map((p, i) => ({
    id: ids.rearPorts[i] as string, name: p.name, label: '', description: p.description, type: { ...p.type },
    positions: p.positions, cable: null, cable_peer_type: null, cable_peer: null, device: ids.devices[p.device] as string,
    module: null, ...tail([]),
  }));
  t['dcim.front-ports'] = ds.frontPorts.map((p, i) => ({
    id: ids.frontPorts[i] as string, name: p.name, label: '', description: p.description, type: { ...p.type },
    rear_port_position: p.rearPortPosition, cable: null, cable_peer_type: null, cable_peer: null,
    device: ids.devices[p.device] as string, module: null, rear_port: ids.rearPorts[p.rearPort] as string, ...tail([]),
  }));
  t['ipam.namespaces'] = ds.namespaces.map((n, i) => ({
    id: ids.namespaces[i] as string, name: n.name, description: n.description, location: null, ...tail([]),
  }));
  t['ipam.route-targets'] = ds.routeTargets.map((r, i) => ({
    id: ids.routeTargets[i] as string, name: r.name, description: r.description, tenant: pick(ids.tenants, r.tenant), ...tail(r.tags),
  }));
  t['ipam.vrfs'] = ds.vrfs.map((v, i) => ({
    id: ids.vrfs[i] as string, name: v.name, rd: v.rd, description: v.description, namespace: ids.namespaces[v.namespace] as string,
    tenant: pick(ids.tenants, v.tenant), status: status('active'), ...tail(v.tags),
    devices: [], virtual_machines: [], virtual_device_contexts: [],
    prefixes: all(ids.prefixes, ds.prefixes.flatMap((p, n) => (p.vrf === i ? [n] : []))),
    import_targets: all(ids.routeTargets, v.importTargets), export_targets: all(ids.routeTargets, v.exportTargets),
  }));
  t['ipam.vlan-groups'] = ds.vlanGroups.map((g, i) => ({
    id: ids.vlanGroups[i] as string, name: g.name, description: g.description, range: '1-4094',
    location: pick(ids.sites, g.site), vlan_count: ds.vlans.filter((v) => v.group === i).length, ...tail([]),
  }));
  t['ipam.vlans'] = ds.vlans.map((v, i) => ({
    id: ids.vlans[i] as string, vid: v.vid, name: v.name, description: v.description, vlan_group: pick(ids.vlanGroups, v.group),
    status: status(v.status), role: pick(ids.roles, v.role), tenant: pick(ids.tenants, v.tenant),
    prefix_count: ds.prefixes.filter((p) => p.vlan === i).length, ...tail(v.tags),
    locations: v.site === null ? [] : [ids.sites[v.site] as string],
  }));
  t['ipam.prefixes'] = ds.prefixes.map((p, i) => {
    const [net = '', len = '0'] = p.prefix.split('/');
    const octets = net.split('.').map(Number);
    const size = 2 ** (32 - Number(len));
    const start = ((octets[0] ?? 0) << 24 >>> 0) + ((octets[1] ?? 0) << 16) + ((octets[2] ?? 0) << 8) + (octets[3] ?? 0);
    const end = start + size - 1;
    const broadcast = [end >>> 24, (end >>> 16) & 255, (end >>> 8) & 255, end & 255].join('.');
    const container = ds.prefixes.some((c) => c.parent === i);
    return {
      id: ids.prefixes[i] as string, prefix: p.prefix, network: net, broadcast, prefix_length: Number(len),
      type: container ? { value: 'container', label: 'Container' } : { value: 'network', label: 'Network' },
      ip_version: 4, date_allocated: null, description: p.description, parent: pick(ids.prefixes, p.parent),
      namespace: ids.namespaces[p.namespace] as string, status: status(p.status), role: pick(ids.roles, p.role),
      tenant: pick(ids.tenants, p.tenant), vlan: pick(ids.vlans, p.vlan), rir: null, ...tail(p.tags),
      locations: p.site === null ? [] : [ids.sites[p.site] as string], vrfs: p.vrf === null ? [] : [ids.vrfs[p.vrf] as string],
    };
  });
  t['ipam.ip-addresses'] = ds.ipAddresses.map((a, i) => {
    const [host = '', len = '32'] = a.address.split('/');
    return {
      id: ids.ipAddresses[i] as string, address: a.address, host, mask_length: Number(len),
      type: { value: 'host', label: 'Host' }, ip_version: 4, dns_name: a.dnsName, description: a.description,
      parent: ids.prefixes[a.parent] as string, status: status(a.status), role: pick(ids.roles, a.role), tenant: pick(ids.tenants, a.tenant),
      nat_inside: null, ...tail(a.tags), nat_outside_list: [],
      interfaces: a.interface === null ? [] : [ids.interfaces[a.interface] as string], vm_interfaces: [],
    };
  });
  t['circuits.providers'] = ds.providers.map((p, i) => ({
    id: ids.providers[i] as string, name: p.name, asn: p.asn, account: p.account, portal_url: '', noc_contact: '',
    admin_contact: '', comments: '', circuit_count: ds.circuits.filter((c) => c.provider === i).length, ...tail(p.tags),
  }));
  t['circuits.provider-networks'] = ds.providerNetworks.map((n, i) => ({
    id: ids.providerNetworks[i] as string, name: n.name, description: n.description, comments: '',
    provider: ids.providers[n.provider] as string, ...tail(n.tags),
  }));
  t['circuits.circuit-types'] = ds.circuitTypes.map((c, i) => ({
    id: ids.circuitTypes[i] as string, name: c.name, description: c.description,
    circuit_count: ds.circuits.filter((x) => x.type === i).length, ...tail(null),
  }));
  t['circuits.circuits'] = ds.circuits.map((c, i) => ({
    id: ids.circuits[i] as string, cid: c.cid, install_date: c.installDate, commit_rate: c.commitRate,
    description: c.description, comments: '', provider: ids.providers[c.provider] as string,
    circuit_type: ids.circuitTypes[c.type] as string, status: status(c.status), tenant: pick(ids.tenants, c.tenant),
    circuit_termination_a: null, circuit_termination_z: null, ...tail(c.tags),
  }));
  return { kind: 'source-dataset', system: 'nautobot', tables: t };
}

/** Objects carrying tag `tag` (Nautobot's `tagged_items` on a tag). */
function taggedItems(ds: Dataset, tag: number): number {
  const lists: { tags: number[] }[][] = [
    ds.deviceTypes, ds.regions, ds.sites, ds.locations, ds.racks, ds.devices, ds.interfaces, ds.routeTargets, ds.vrfs,
    ds.vlans, ds.prefixes, ds.ipAddresses, ds.providers, ds.providerNetworks, ds.circuits,
  ];
  return lists.reduce((n, l) => n + l.filter((x) => x.tags.includes(tag)).length, 0);
}
