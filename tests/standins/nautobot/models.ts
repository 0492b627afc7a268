// Nautobot 2.4 tables the stand-in serves: reference targets (depth-0 `{id, object_type, url}`
// or inlined with ?depth), many-to-many fields, display as the 2.x models compute it.
import type { ModelSpec, RowLookup } from '../rest-common/model-spec.js';
import type { SourceRow } from '../rest-common/source-dataset.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const TAGS = { tags: 'extras.tags' } as const;

/** Tree models display their ancestry ("Europe → Amsterdam"). */
const treeDisplay = (table: string) => (row: SourceRow, lookup: RowLookup): string => {
  const names: string[] = [];
  let cur: SourceRow | undefined = row;
  for (let guard = 0; cur && guard < 20; guard++) {
    names.unshift(str(cur.name));
    cur = typeof cur.parent === 'string' ? lookup.get(table, cur.parent) : undefined;
  }
  return names.join(' → ');
};

function spec(
  table: string, objectType: string, refs: Record<string, string>, many: Record<string, string> = { ...TAGS },
  extra: Partial<Pick<ModelSpec, 'display' | 'search' | 'naturalKey'>> = {},
): ModelSpec {
  return {
    table, objectType, refs, many,
    display: extra.display ?? ((r) => str(r.name)),
    search: extra.search ?? ['name', 'description'],
    naturalKey: extra.naturalKey ?? ['name'],
  };
}

export const NAUTOBOT_MODELS: readonly ModelSpec[] = [
  spec('extras.statuses', 'extras.status', {}, {}),
  spec('extras.roles', 'extras.role', {}, {}),
  spec('extras.tags', 'extras.tag', {}, {}),
  spec('dcim.manufacturers', 'dcim.manufacturer', {}, {}),
  spec('dcim.device-types', 'dcim.devicetype', { manufacturer: 'dcim.manufacturers' }, { ...TAGS, software_image_files: 'dcim.software-image-files' },
    { display: (r) => str(r.model), search: ['model', 'part_number', 'comments'], naturalKey: ['manufacturer', 'model'] }),
  spec('dcim.platforms', 'dcim.platform', { manufacturer: 'dcim.manufacturers' }, {}),
  spec('tenancy.tenant-groups', 'tenancy.tenantgroup', { parent: 'tenancy.tenant-groups' }, {}, { display: treeDisplay('tenancy.tenant-groups') }),
  spec('tenancy.tenants', 'tenancy.tenant', { tenant_group: 'tenancy.tenant-groups' }),
  spec('dcim.location-types', 'dcim.locationtype', { parent: 'dcim.location-types' }, {}, { display: treeDisplay('dcim.location-types') }),
  spec('dcim.locations', 'dcim.location', {
    status: 'extras.statuses', parent: 'dcim.locations', location_type: 'dcim.location-types', tenant: 'tenancy.tenants',
  }, TAGS, { display: treeDisplay('dcim.locations'), search: ['name', 'facility', 'description', 'physical_address'], naturalKey: ['name', 'parent'] }),
  spec('dcim.racks', 'dcim.rack', { location: 'dcim.locations', tenant: 'tenancy.tenants', status: 'extras.statuses', role: 'extras.roles' },
    TAGS, { search: ['name', 'facility_id', 'serial', 'asset_tag'], naturalKey: ['name', 'location'] }),
  spec('dcim.devices', 'dcim.device', {
    device_type: 'dcim.device-types', status: 'extras.statuses', role: 'extras.roles', tenant: 'tenancy.tenants',
    platform: 'dcim.platforms', location: 'dcim.locations', rack: 'dcim.racks',
    primary_ip4: 'ipam.ip-addresses', primary_ip6: 'ipam.ip-addresses',
  }, { ...TAGS, software_image_files: 'dcim.software-image-files' },
  { search: ['name', 'serial', 'asset_tag', 'comments'], naturalKey: ['name', 'tenant', 'location'] }),
  spec('dcim.interfaces', 'dcim.interface', {
    untagged_vlan: 'ipam.vlans', device: 'dcim.devices', status: 'extras.statuses', vrf: 'ipam.vrfs',
    parent_interface: 'dcim.interfaces', bridge: 'dcim.interfaces', lag: 'dcim.interfaces',
  }, { ...TAGS, tagged_vlans: 'ipam.vlans', ip_addresses: 'ipam.ip-addresses' },
  { search: ['name', 'label', 'description', 'mac_address'], naturalKey: ['device', 'name'] }),
  spec('dcim.rear-ports', 'dcim.rearport', { device: 'dcim.devices' }, TAGS, { naturalKey: ['device', 'name'] }),
  spec('dcim.front-ports', 'dcim.frontport', { device: 'dcim.devices', rear_port: 'dcim.rear-ports' }, TAGS, { naturalKey: ['device', 'name'] }),
  spec('ipam.namespaces', 'ipam.namespace', { location: 'dcim.locations' }),
  spec('ipam.route-targets', 'ipam.routetarget', { tenant: 'tenancy.tenants' }),
  spec('ipam.vrfs', 'ipam.vrf', { namespace: 'ipam.namespaces', tenant: 'tenancy.tenants', status: 'extras.statuses' },
    {
      ...TAGS, import_targets: 'ipam.route-targets', export_targets: 'ipam.route-targets', devices: 'dcim.devices',
      virtual_machines: 'virtualization.virtual-machines', virtual_device_contexts: 'dcim.virtual-device-contexts', prefixes: 'ipam.prefixes',
    },
    { search: ['name', 'rd', 'description'], naturalKey: ['namespace', 'name'] }),
  spec('ipam.vlan-groups', 'ipam.vlangroup', { location: 'dcim.locations' }),
  spec('ipam.vlans', 'ipam.vlan', { vlan_group: 'ipam.vlan-groups', status: 'extras.statuses', role: 'extras.roles', tenant: 'tenancy.tenants' },
    { ...TAGS, locations: 'dcim.locations' },
    { display: (r) => `${str(r.name)} (${str(r.vid)})`, search: ['name', 'vid', 'description'], naturalKey: ['id'] }),
  spec('ipam.prefixes', 'ipam.prefix', {
    parent: 'ipam.prefixes', namespace: 'ipam.namespaces', status: 'extras.statuses', role: 'extras.roles',
    tenant: 'tenancy.tenants', vlan: 'ipam.vlans',
  }, { ...TAGS, locations: 'dcim.locations', vrfs: 'ipam.vrfs' },
  { display: (r) => str(r.prefix), search: ['prefix', 'description'], naturalKey: ['namespace', 'prefix'] }),
  spec('ipam.ip-addresses', 'ipam.ipaddress', {
    parent: 'ipam.prefixes', status: 'extras.statuses', role: 'extras.roles', tenant: 'tenancy.tenants', nat_inside: 'ipam.ip-addresses',
  }, { ...TAGS, nat_outside_list: 'ipam.ip-addresses', interfaces: 'dcim.interfaces', vm_interfaces: 'virtualization.interfaces' },
  { display: (r) => str(r.address), search: ['address', 'dns_name', 'description'], naturalKey: ['parent', 'host'] }),
  spec('circuits.providers', 'circuits.provider', {}),
  spec('circuits.provider-networks', 'circuits.providernetwork', { provider: 'circuits.providers' }),
  spec('circuits.circuit-types', 'circuits.circuittype', {}, {}),
  spec('circuits.circuits', 'circuits.circuit', {
    provider: 'circuits.providers', circuit_type: 'circuits.circuit-types', status: 'extras.statuses', tenant: 'tenancy.tenants',
  }, TAGS, { display: (r) => str(r.cid), search: ['cid', 'description', 'comments'], naturalKey: ['provider', 'cid'] }),
];

export const NAUTOBOT_MODEL_BY_TABLE: ReadonlyMap<string, ModelSpec> = new Map(NAUTOBOT_MODELS.map((m) => [m.table, m]));
