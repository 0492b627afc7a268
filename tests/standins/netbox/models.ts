// NetBox 4.1 tables the stand-in serves: reference targets and brief fields as in
// NetBox v4.1.11's serializers (Meta.brief_fields), display as the models' __str__.
import type { ModelSpec, RowLookup } from '../rest-common/model-spec.js';
import type { SourceRow } from '../rest-common/source-dataset.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const byName = (row: SourceRow): string => str(row.name);
const TAGS = { tags: 'extras.tags' } as const;
const NAMED_BRIEF = ['id', 'url', 'display', 'name', 'slug', 'description'] as const;

function spec(
  table: string, objectType: string, refs: Record<string, string>, brief: readonly string[],
  extra: Partial<Pick<ModelSpec, 'display' | 'search' | 'many'>> = {},
): ModelSpec {
  return {
    table, objectType, refs, brief,
    many: extra.many ?? { ...TAGS },
    display: extra.display ?? byName,
    search: extra.search ?? ['name', 'description'],
  };
}

/** Device.__str__: the asset tag follows the name; an unnamed device is "<manufacturer> <model> (<asset tag or id>)".
 *  (Virtual-chassis labels are left out: the stand-in has no virtual chassis.) */
function deviceDisplay(row: SourceRow, lookup: RowLookup): string {
  const tag = row.asset_tag ? ` (${str(row.asset_tag)})` : '';
  if (row.name) return `${str(row.name)}${tag}`;
  const dt = typeof row.device_type === 'number' ? lookup.get('dcim.device-types', row.device_type) : undefined;
  const maker = typeof dt?.manufacturer === 'number' ? lookup.get('dcim.manufacturers', dt.manufacturer) : undefined;
  return `${str(maker?.name)} ${str(dt?.model)}${tag || ` (${str(row.id)})`}`;
}

/** Rack.__str__ adds the facility id. */
const rackDisplay = (row: SourceRow): string => (row.facility_id ? `${str(row.name)} (${str(row.facility_id)})` : str(row.name));

export const NETBOX_MODELS: readonly ModelSpec[] = [
  spec('extras.tags', 'extras.tag', {}, ['id', 'url', 'display_url', 'display', 'name', 'slug', 'color'], { many: {}, search: ['name', 'slug', 'description'] }),
  spec('dcim.manufacturers', 'dcim.manufacturer', {}, [...NAMED_BRIEF, 'devicetype_count']),
  spec('dcim.device-types', 'dcim.devicetype', { manufacturer: 'dcim.manufacturers', default_platform: 'dcim.platforms' },
    ['id', 'url', 'display', 'manufacturer', 'model', 'slug', 'description', 'device_count'],
    { display: (r) => str(r.model), search: ['model', 'part_number', 'description'] }),
  spec('dcim.platforms', 'dcim.platform', { manufacturer: 'dcim.manufacturers' }, [...NAMED_BRIEF, 'device_count', 'virtualmachine_count']),
  spec('dcim.device-roles', 'dcim.devicerole', {}, [...NAMED_BRIEF, 'device_count', 'virtualmachine_count']),
  spec('dcim.rack-roles', 'dcim.rackrole', {}, [...NAMED_BRIEF, 'rack_count']),
  spec('ipam.roles', 'ipam.role', {}, [...NAMED_BRIEF, 'prefix_count', 'vlan_count']),
  spec('tenancy.tenant-groups', 'tenancy.tenantgroup', { parent: 'tenancy.tenant-groups' }, [...NAMED_BRIEF, 'tenant_count', '_depth']),
  spec('tenancy.tenants', 'tenancy.tenant', { group: 'tenancy.tenant-groups' }, NAMED_BRIEF),
  spec('dcim.regions', 'dcim.region', { parent: 'dcim.regions' }, [...NAMED_BRIEF, 'site_count', '_depth']),
  spec('dcim.site-groups', 'dcim.sitegroup', { parent: 'dcim.site-groups' }, [...NAMED_BRIEF, 'site_count', '_depth']),
  spec('dcim.sites', 'dcim.site', { region: 'dcim.regions', group: 'dcim.site-groups', tenant: 'tenancy.tenants' },
    ['id', 'url', 'display', 'name', 'description', 'slug'], { search: ['name', 'slug', 'facility', 'description', 'physical_address'] }),
  spec('dcim.locations', 'dcim.location', { site: 'dcim.sites', parent: 'dcim.locations', tenant: 'tenancy.tenants' },
    [...NAMED_BRIEF, 'rack_count', '_depth']),
  spec('dcim.racks', 'dcim.rack', { site: 'dcim.sites', location: 'dcim.locations', tenant: 'tenancy.tenants', role: 'dcim.rack-roles' },
    ['id', 'url', 'display', 'name', 'description', 'device_count'],
    { display: rackDisplay, search: ['name', 'facility_id', 'serial', 'asset_tag', 'description'] }),
  spec('dcim.devices', 'dcim.device', {
    device_type: 'dcim.device-types', role: 'dcim.device-roles', tenant: 'tenancy.tenants', platform: 'dcim.platforms',
    site: 'dcim.sites', location: 'dcim.locations', rack: 'dcim.racks', primary_ip: 'ipam.ip-addresses',
    primary_ip4: 'ipam.ip-addresses', primary_ip6: 'ipam.ip-addresses', oob_ip: 'ipam.ip-addresses',
  }, ['id', 'url', 'display', 'name', 'description'], { display: deviceDisplay, search: ['name', 'serial', 'asset_tag', 'description'] }),
  spec('dcim.interfaces', 'dcim.interface', {
    device: 'dcim.devices', parent: 'dcim.interfaces', bridge: 'dcim.interfaces', lag: 'dcim.interfaces',
    untagged_vlan: 'ipam.vlans', vrf: 'ipam.vrfs',
  }, ['id', 'url', 'display', 'device', 'name', 'description', 'cable', '_occupied'],
  { many: { ...TAGS, tagged_vlans: 'ipam.vlans' }, search: ['name', 'label', 'description', 'mac_address'] }),
  spec('dcim.rear-ports', 'dcim.rearport', { device: 'dcim.devices' }, ['id', 'url', 'display', 'device', 'name', 'description', 'cable', '_occupied']),
  spec('dcim.front-ports', 'dcim.frontport', { device: 'dcim.devices', rear_port: 'dcim.rear-ports' },
    ['id', 'url', 'display', 'device', 'name', 'description', 'cable', '_occupied']),
  spec('ipam.route-targets', 'ipam.routetarget', { tenant: 'tenancy.tenants' }, ['id', 'url', 'display', 'name', 'description']),
  spec('ipam.vrfs', 'ipam.vrf', { tenant: 'tenancy.tenants' }, ['id', 'url', 'display', 'name', 'rd', 'description', 'prefix_count'], {
    many: { ...TAGS, import_targets: 'ipam.route-targets', export_targets: 'ipam.route-targets' },
    display: (r) => (r.rd ? `${str(r.name)} (${str(r.rd)})` : str(r.name)), search: ['name', 'rd', 'description'],
  }),
  spec('ipam.vlan-groups', 'ipam.vlangroup', { scope: 'dcim.sites' }, [...NAMED_BRIEF, 'vlan_count']),
  spec('ipam.vlans', 'ipam.vlan', { site: 'dcim.sites', group: 'ipam.vlan-groups', tenant: 'tenancy.tenants', role: 'ipam.roles' },
    ['id', 'url', 'display', 'vid', 'name', 'description'], { display: (r) => `${str(r.name)} (${str(r.vid)})`, search: ['name', 'vid', 'description'] }),
  // `scope` is NetBox 4.2+'s (always a site in this dataset); rows carry it only when a test
  // reshapes them that way, the dataset itself has 4.1's `site`.
  spec('ipam.prefixes', 'ipam.prefix', { site: 'dcim.sites', scope: 'dcim.sites', vrf: 'ipam.vrfs', tenant: 'tenancy.tenants', vlan: 'ipam.vlans', role: 'ipam.roles' },
    ['id', 'url', 'display', 'family', 'prefix', 'description', '_depth'], { display: (r) => str(r.prefix), search: ['prefix', 'description'] }),
  spec('ipam.ip-addresses', 'ipam.ipaddress', { vrf: 'ipam.vrfs', tenant: 'tenancy.tenants', assigned_object: 'dcim.interfaces', nat_inside: 'ipam.ip-addresses' },
    ['id', 'url', 'display', 'family', 'address', 'description'], { display: (r) => str(r.address), search: ['address', 'dns_name', 'description'] }),
  spec('circuits.providers', 'circuits.provider', {}, [...NAMED_BRIEF, 'circuit_count']),
  spec('circuits.provider-networks', 'circuits.providernetwork', { provider: 'circuits.providers' }, ['id', 'url', 'display', 'name', 'description'],
    { search: ['name', 'service_id', 'description'] }),
  spec('circuits.circuit-types', 'circuits.circuittype', {}, [...NAMED_BRIEF, 'circuit_count']),
  spec('circuits.circuits', 'circuits.circuit', { provider: 'circuits.providers', type: 'circuits.circuit-types', tenant: 'tenancy.tenants' },
    ['id', 'url', 'display', 'provider', 'cid', 'description'], { display: (r) => str(r.cid), search: ['cid', 'description'] }),
];

export const NETBOX_MODEL_BY_TABLE: ReadonlyMap<string, ModelSpec> = new Map(NETBOX_MODELS.map((m) => [m.table, m]));
