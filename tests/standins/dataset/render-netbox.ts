// Neutral network -> NetBox 4.1 tables. Field lists follow NetBox v4.1.11's REST serializers
// (netbox/*/api/serializers_/*.py, Meta.fields). url, display_url and display are added
// by the stand-in when it serves a row; references hold integer ids.
import { STATUS_LABELS, MODE_LABELS } from './catalog.js';
import type { Dataset, Ref, StatusSlug } from './types.js';
import type { Json, SourceDataset, SourceRow } from '../rest-common/source-dataset.js';

const status = (s: StatusSlug): Json => ({ value: s, label: STATUS_LABELS[s] });
/** NetBox ids start at 1; a neutral index i becomes id i + 1. */
const id = (i: number): number => i + 1;
const ref = (i: Ref): number | null => (i === null ? null : i + 1);
const refs = (list: number[]): number[] => list.map(id);

function countBy<T>(items: T[], key: (t: T) => Ref): Map<number, number> {
  const m = new Map<number, number>();
  for (const it of items) {
    const k = key(it);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export function renderNetbox(ds: Dataset): SourceDataset {
  const epoch = Date.parse(ds.epoch);
  let clock = 0;
  // Each row gets its own instant so ordering by created is stable and realistic.
  const stamps = (): { created: string; last_updated: string } => {
    clock += 1;
    const created = new Date(epoch + clock * 61_000).toISOString().replace('Z', '000Z');
    return { created, last_updated: new Date(epoch + clock * 61_000 + 3_600_000).toISOString().replace('Z', '000Z') };
  };
  const common = (tags: number[] = []): Record<string, Json> => ({ tags: refs(tags), custom_fields: {}, ...stamps() });

  const devicesBySite = countBy(ds.devices, (d) => d.site);
  const devicesByType = countBy(ds.devices, (d) => d.deviceType);
  const devicesByRole = countBy(ds.devices, (d) => d.role);
  const devicesByPlatform = countBy(ds.devices, (d) => d.platform);
  const devicesByTenant = countBy(ds.devices, (d) => d.tenant);
  const devicesByRack = countBy(ds.devices, (d) => d.rack);
  const ifacesByDevice = countBy(ds.interfaces, (i) => i.device);
  const ipsByIface = countBy(ds.ipAddresses, (ip) => ip.interface);
  const firstIpOfDevice = new Map<number, number>();
  ds.ipAddresses.forEach((ip, n) => {
    if (ip.interface === null) return;
    const dev = ds.interfaces[ip.interface]?.device;
    if (dev !== undefined && !firstIpOfDevice.has(dev)) firstIpOfDevice.set(dev, n);
  });
  const roleTable = (scope: 'device' | 'rack' | 'ipam'): { idx: number; n: number }[] =>
    ds.roles.map((r, idx) => ({ r, idx })).filter(({ r }) => r.scope === scope).map(({ idx }, n) => ({ idx, n }));
  const roleIds = new Map<number, number>();
  for (const scope of ['device', 'rack', 'ipam'] as const) for (const { idx, n } of roleTable(scope)) roleIds.set(idx, n + 1);
  const roleRef = (i: Ref): number | null => (i === null ? null : (roleIds.get(i) ?? null));

  const t: Record<string, SourceRow[]> = {};
  t['extras.tags'] = ds.tags.map((x, i) => ({
    id: id(i), name: x.name, slug: x.slug, color: x.color, description: x.description, object_types: [],
    tagged_items: 0, ...stamps(),
  }));
  t['dcim.manufacturers'] = ds.manufacturers.map((m, i) => ({
    id: id(i), name: m.name, slug: m.slug, description: m.description, ...common(),
    devicetype_count: ds.deviceTypes.filter((d) => d.manufacturer === i).length, inventoryitem_count: 0,
    platform_count: ds.platforms.filter((p) => p.manufacturer === i).length,
  }));
  t['dcim.device-types'] = ds.deviceTypes.map((d, i) => ({
    id: id(i), manufacturer: id(d.manufacturer), default_platform: null, model: d.model, slug: d.slug,
    part_number: d.partNumber, u_height: d.uHeight, exclude_from_utilization: false, is_full_depth: d.isFullDepth,
    subdevice_role: null, airflow: null, weight: null, weight_unit: null, front_image: null, rear_image: null,
    description: d.description, comments: '', ...common(d.tags), device_count: devicesByType.get(i) ?? 0,
    console_port_template_count: 0, console_server_port_template_count: 0, power_port_template_count: 0,
    power_outlet_template_count: 0, interface_template_count: 0, front_port_template_count: 0,
    rear_port_template_count: 0, device_bay_template_count: 0, module_bay_template_count: 0,
    inventory_item_template_count: 0,
  }));
  t['dcim.platforms'] = ds.platforms.map((p, i) => ({
    id: id(i), name: p.name, slug: p.slug, manufacturer: ref(p.manufacturer), config_template: null,
    description: p.description, ...common(), device_count: devicesByPlatform.get(i) ?? 0, virtualmachine_count: 0,
  }));
  const rolesOf = (scope: 'device' | 'rack' | 'ipam') => ds.roles.map((r, idx) => ({ r, idx })).filter(({ r }) => r.scope === scope);
  t['dcim.device-roles'] = rolesOf('device').map(({ r, idx }, n) => ({
    id: n + 1, name: r.name, slug: r.slug, color: r.color, vm_role: false, config_template: null,
    description: r.description, ...common(), device_count: devicesByRole.get(idx) ?? 0, virtualmachine_count: 0,
  }));
  t['dcim.rack-roles'] = rolesOf('rack').map(({ r, idx }, n) => ({
    id: n + 1, name: r.name, slug: r.slug, color: r.color, description: r.description, ...common(),
    rack_count: ds.racks.filter((k) => k.role === idx).length,
  }));
  t['ipam.roles'] = rolesOf('ipam').map(({ r, idx }, n) => ({
    id: n + 1, name: r.name, slug: r.slug, weight: 1000, description: r.description, ...common(),
    prefix_count: ds.prefixes.filter((p) => p.role === idx).length, vlan_count: ds.vlans.filter((v) => v.role === idx).length,
  }));
  t['tenancy.tenant-groups'] = ds.tenantGroups.map((g, i) => ({
    id: id(i), name: g.name, slug: g.slug, parent: ref(g.parent), description: g.description, ...common(),
    tenant_count: ds.tenants.filter((x) => x.group === i).length, _depth: 0,
  }));
  t['tenancy.tenants'] = ds.tenants.map((x, i) => ({
    id: id(i), name: x.name, slug: x.slug, group: ref(x.group), description: x.description, comments: '', ...common(),
    circuit_count: ds.circuits.filter((c) => c.tenant === i).length, device_count: devicesByTenant.get(i) ?? 0,
    ipaddress_count: ds.ipAddresses.filter((a) => a.tenant === i).length,
    prefix_count: ds.prefixes.filter((p) => p.tenant === i).length, rack_count: ds.racks.filter((r) => r.tenant === i).length,
    site_count: ds.sites.filter((s) => s.tenant === i).length, virtualmachine_count: 0,
    vlan_count: ds.vlans.filter((v) => v.tenant === i).length, vrf_count: ds.vrfs.filter((v) => v.tenant === i).length,
    cluster_count: 0,
  }));
  t['dcim.regions'] = ds.regions.map((r, i) => ({
    id: id(i), name: r.name, slug: r.slug, parent: ref(r.parent), description: r.description, ...common(r.tags),
    site_count: ds.sites.filter((s) => s.region === i).length, _depth: 0,
  }));
  t['dcim.site-groups'] = ds.siteGroups.map((g, i) => ({
    id: id(i), name: g.name, slug: g.slug, parent: ref(g.parent), description: g.description, ...common(),
    site_count: ds.sites.filter((s) => s.group === i).length, _depth: 0,
  }));
  t['dcim.sites'] = ds.sites.map((s, i) => ({
    id: id(i), name: s.name, slug: s.slug, status: status(s.status), region: ref(s.region), group: ref(s.group),
    tenant: ref(s.tenant), facility: s.facility, time_zone: s.timeZone, description: s.description,
    physical_address: s.physicalAddress, shipping_address: '', latitude: null, longitude: null, comments: '',
    asns: [], ...common(s.tags), circuit_count: 0, device_count: devicesBySite.get(i) ?? 0,
    prefix_count: ds.prefixes.filter((p) => p.site === i).length, rack_count: ds.racks.filter((r) => r.site === i).length,
    virtualmachine_count: 0, vlan_count: ds.vlans.filter((v) => v.site === i).length,
  }));
  t['dcim.locations'] = ds.locations.map((l, i) => ({
    id: id(i), name: l.name, slug: l.slug, site: id(l.site), parent: ref(l.parent), status: status(l.status),
    tenant: ref(l.tenant), facility: '', description: l.description, ...common(l.tags),
    rack_count: ds.racks.filter((r) => r.location === i).length, device_count: ds.devices.filter((d) => d.location === i).length,
    _depth: 0,
  }));
  t['dcim.racks'] = ds.racks.map((r, i) => ({
    id: id(i), name: r.name, facility_id: r.facilityId, site: id(r.site), location: ref(r.location),
    tenant: ref(r.tenant), status: status(r.status), role: roleRef(r.role), serial: r.serial, asset_tag: r.assetTag,
    rack_type: null, form_factor: { value: '4-post-cabinet', label: '4-post cabinet' },
    width: { value: 19, label: '19 inches' }, u_height: r.uHeight, starting_unit: 1, weight: null, max_weight: null,
    weight_unit: null, desc_units: false, outer_width: null, outer_depth: null, outer_unit: null,
    mounting_depth: null, airflow: null, description: '', comments: '', ...common(r.tags),
    device_count: devicesByRack.get(i) ?? 0, powerfeed_count: 0,
  }));
  t['dcim.devices'] = ds.devices.map((d, i) => {
    const ip = firstIpOfDevice.get(i);
    return {
      id: id(i), name: d.name, device_type: id(d.deviceType), role: roleRef(d.role), tenant: ref(d.tenant),
      platform: ref(d.platform), serial: d.serial, asset_tag: d.assetTag, site: id(d.site), location: ref(d.location),
      rack: ref(d.rack), position: d.position, face: d.face === null ? null : { value: d.face, label: d.face === 'front' ? 'Front' : 'Rear' },
      latitude: null, longitude: null, parent_device: null, status: status(d.status), airflow: null,
      primary_ip: ref(ip ?? null), primary_ip4: ref(ip ?? null), primary_ip6: null, oob_ip: null, cluster: null,
      virtual_chassis: null, vc_position: null, vc_priority: null, description: d.description, comments: '',
      config_template: null, config_context: {}, local_context_data: null, ...common(d.tags),
      console_port_count: 0, console_server_port_count: 0, power_port_count: 0, power_outlet_count: 0,
      interface_count: ifacesByDevice.get(i) ?? 0,
      front_port_count: ds.frontPorts.filter((p) => p.device === i).length,
      rear_port_count: ds.rearPorts.filter((p) => p.device === i).length,
      device_bay_count: 0, module_bay_count: 0, inventory_item_count: 0,
    };
  });
  t['dcim.interfaces'] = ds.interfaces.map((x, i) => ({
    id: id(i), device: id(x.device), vdcs: [], module: null, name: x.name, label: '', type: { ...x.type },
    enabled: x.enabled, parent: null, bridge: null, lag: null, mtu: x.mtu, mac_address: x.macAddress, speed: null,
    duplex: null, wwn: null, mgmt_only: x.mgmtOnly, description: x.description,
    mode: x.mode === null ? null : { value: x.mode, label: MODE_LABELS[x.mode] }, rf_role: null, rf_channel: null,
    poe_mode: null, poe_type: null, rf_channel_frequency: null, rf_channel_width: null, tx_power: null,
    untagged_vlan: ref(x.untaggedVlan), tagged_vlans: refs(x.taggedVlans), mark_connected: false, cable: null,
    cable_end: '', wireless_link: null, link_peers: [], link_peers_type: null, wireless_lans: [], vrf: null,
    l2vpn_termination: null, connected_endpoints: null, connected_endpoints_type: null,
    connected_endpoints_reachable: null, ...common(x.tags), count_ipaddresses: ipsByIface.get(i) ?? 0,
    count_fhrp_groups: 0, _occupied: false,
  }));
  t['dcim.rear-ports'] = ds.rearPorts.map((p, i) => ({
    id: id(i), device: id(p.device), module: null, name: p.name, label: '', type: { ...p.type }, color: '',
    positions: p.positions, description: p.description, mark_connected: false, cable: null, cable_end: '',
    link_peers: [], link_peers_type: null, ...common(), _occupied: false,
  }));
  t['dcim.front-ports'] = ds.frontPorts.map((p, i) => ({
    id: id(i), device: id(p.device), module: null, name: p.name, label: '', type: { ...p.type }, color: '',
    rear_port: id(p.rearPort), rear_port_position: p.rearPortPosition, description: p.description,
    mark_connected: false, cable: null, cable_end: '', link_peers: [], link_peers_type: null, ...common(), _occupied: false,
  }));
  t['ipam.route-targets'] = ds.routeTargets.map((r, i) => ({
    id: id(i), name: r.name, tenant: ref(r.tenant), description: r.description, comments: '', ...common(r.tags),
  }));
  t['ipam.vrfs'] = ds.vrfs.map((v, i) => ({
    id: id(i), name: v.name, rd: v.rd, tenant: ref(v.tenant), enforce_unique: true, description: v.description,
    comments: '', import_targets: refs(v.importTargets), export_targets: refs(v.exportTargets), ...common(v.tags),
    ipaddress_count: ds.ipAddresses.filter((a) => a.vrf === i).length, prefix_count: ds.prefixes.filter((p) => p.vrf === i).length,
  }));
  t['ipam.vlan-groups'] = ds.vlanGroups.map((g, i) => ({
    id: id(i), name: g.name, slug: g.slug, scope_type: g.site === null ? null : 'dcim.site', scope_id: ref(g.site),
    scope: ref(g.site), vid_ranges: [[1, 4094]], description: g.description, ...common(),
    vlan_count: ds.vlans.filter((v) => v.group === i).length, utilization: '0/4094',
  }));
  t['ipam.vlans'] = ds.vlans.map((v, i) => ({
    id: id(i), site: ref(v.site), group: ref(v.group), vid: v.vid, name: v.name, tenant: ref(v.tenant),
    status: status(v.status), role: roleRef(v.role), description: v.description, comments: '',
    l2vpn_termination: null, ...common(v.tags), prefix_count: ds.prefixes.filter((p) => p.vlan === i).length,
  }));
  t['ipam.prefixes'] = ds.prefixes.map((p, i) => ({
    id: id(i), family: { value: 4, label: 'IPv4' }, prefix: p.prefix, site: ref(p.site), vrf: ref(p.vrf),
    tenant: ref(p.tenant), vlan: ref(p.vlan), status: status(p.status), role: roleRef(p.role), is_pool: p.isPool,
    mark_utilized: false, description: p.description, comments: '', ...common(p.tags),
    children: ds.prefixes.filter((c) => c.parent === i).length, _depth: p.parent === null ? 0 : 1,
  }));
  t['ipam.ip-addresses'] = ds.ipAddresses.map((a, i) => ({
    id: id(i), family: { value: 4, label: 'IPv4' }, address: a.address, vrf: ref(a.vrf), tenant: ref(a.tenant),
    status: status(a.status), role: null, assigned_object_type: a.interface === null ? null : 'dcim.interface',
    assigned_object_id: ref(a.interface), assigned_object: ref(a.interface), nat_inside: null, nat_outside: [],
    dns_name: a.dnsName, description: a.description, comments: '', ...common(a.tags),
  }));
  t['circuits.providers'] = ds.providers.map((p, i) => ({
    id: id(i), name: p.name, slug: p.slug, accounts: [], description: p.description, comments: '', asns: [],
    ...common(p.tags), circuit_count: ds.circuits.filter((c) => c.provider === i).length,
  }));
  t['circuits.provider-networks'] = ds.providerNetworks.map((n, i) => ({
    id: id(i), provider: id(n.provider), name: n.name, service_id: n.serviceId, description: n.description,
    comments: '', ...common(n.tags),
  }));
  t['circuits.circuit-types'] = ds.circuitTypes.map((c, i) => ({
    id: id(i), name: c.name, slug: c.slug, color: c.color, description: c.description, ...common(c.tags),
    circuit_count: ds.circuits.filter((x) => x.type === i).length,
  }));
  t['circuits.circuits'] = ds.circuits.map((c, i) => ({
    id: id(i), cid: c.cid, provider: id(c.provider), provider_account: null, type: id(c.type), status: status(c.status),
    tenant: ref(c.tenant), install_date: c.installDate, termination_date: null, commit_rate: c.commitRate,
    description: c.description, termination_a: null, termination_z: null, comments: '', ...common(c.tags),
    assignments: [],
  }));
  return { kind: 'source-dataset', system: 'netbox', tables: t };
}
