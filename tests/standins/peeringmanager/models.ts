// Peering Manager 1.9 objects the stand-in serves, as v1.9.7 defines them: serializer field
// order (Meta.fields), nested forms (peering/api/nested_serializers.py), which fields are
// choices rendered as {value, label} (ChoiceField), write rules from the models (required,
// unique, choices, defaults, on_delete) and `display` as the models' __str__.
import type { ModelSpec, RowLookup } from '../rest-common/model-spec.js';
import type { Json, SourceRow } from '../rest-common/source-dataset.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export const STATUS_CHOICES: Record<string, string> = {
  enabled: 'Enabled', 'pre-maintenance': 'Pre-maintenance', maintenance: 'Maintenance',
  'post-maintenance': 'Post-maintenance', disabled: 'Disabled',
};

export type FieldKind = 'string' | 'text' | 'slug' | 'int' | 'bool' | 'json' | 'ip4' | 'ip6' | 'vlan';

export interface PmModel extends ModelSpec {
  /** URL path under /api/ (`peering/autonomous-systems`). */
  path: string;
  /** Model verbose name, as uniqueness errors spell it. */
  verbose: string;
  /** Serializer fields in order; `display` and `name` of connections are computed. */
  fields: readonly string[];
  /** Nested (brief) form used wherever another object points at this one. */
  nested: readonly string[];
  /** Writable scalar fields and how they are checked. */
  scalars: Record<string, FieldKind>;
  /** Fields that must be given on create (serializer required, or model field not blank). */
  required: readonly string[];
  /** Fields whose value may be null (model null=True). */
  nullable: readonly string[];
  /** Choice fields: value -> label. `rendered` ones are Peering Manager ChoiceFields ({value, label}). */
  choices: Record<string, { values: Record<string, string>; rendered: boolean }>;
  /** Fields unique across the table: field -> human field name for the error message. */
  unique: Record<string, string>;
  defaults: Record<string, Json>;
  /** Foreign keys: what happens to a row when the row it points at is deleted. */
  onDelete: Record<string, 'cascade' | 'set_null' | 'protect'>;
  /** Fields the API ignores on write. */
  readOnly: readonly string[];
  /** Foreign keys served as a bare pk (DRF's default PrimaryKeyRelatedField), not nested. */
  plainRefs?: readonly string[];
  /** CharField max_length of the model's fields. */
  maxLength?: Record<string, number>;
}

const TIMESTAMPS = ['local_context_data', 'tags', 'created', 'updated'] as const;
const COMMON_RO = ['id', 'display', 'created', 'updated', 'tags'];
const POLICIES = { import_routing_policies: 'peering.routing-policies', export_routing_policies: 'peering.routing-policies', communities: 'peering.communities' };

/** OrganisationalModel (name, slug, description) and PrimaryModel (description) lengths. */
const ORGANISATIONAL = { name: 100, slug: 100, description: 200 };

function model(m: Omit<PmModel, 'objectType' | 'search' | 'brief'> & { search?: readonly string[] }): PmModel {
  return {
    ...m, maxLength: m.maxLength ?? ORGANISATIONAL, objectType: m.table.replace(/-/g, ''),
    search: m.search ?? ['name', 'description'], brief: m.nested,
  };
}

export const PM_MODELS: readonly PmModel[] = [
  model({
    table: 'peering.autonomous-systems', path: 'peering/autonomous-systems', verbose: 'autonomous system',
    fields: ['id', 'display', 'asn', 'name', 'name_peeringdb_sync', 'description', 'comments', 'irr_as_set', 'irr_as_set_peeringdb_sync',
      'ipv6_max_prefixes', 'ipv6_max_prefixes_peeringdb_sync', 'ipv4_max_prefixes', 'ipv4_max_prefixes_peeringdb_sync',
      'import_routing_policies', 'export_routing_policies', 'communities', 'prefixes', 'affiliated', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'asn', 'name', 'ipv6_max_prefixes', 'ipv4_max_prefixes'],
    scalars: {
      asn: 'int', name: 'string', name_peeringdb_sync: 'bool', description: 'string', comments: 'text', irr_as_set: 'string',
      irr_as_set_peeringdb_sync: 'bool', ipv6_max_prefixes: 'int', ipv6_max_prefixes_peeringdb_sync: 'bool',
      ipv4_max_prefixes: 'int', ipv4_max_prefixes_peeringdb_sync: 'bool', affiliated: 'bool', local_context_data: 'json',
    },
    required: ['asn', 'name'], nullable: ['irr_as_set', 'ipv6_max_prefixes', 'ipv4_max_prefixes', 'local_context_data'],
    choices: {}, unique: { asn: 'ASN' },
    defaults: {
      name_peeringdb_sync: true, description: '', comments: '', irr_as_set: null, irr_as_set_peeringdb_sync: true,
      ipv6_max_prefixes: 0, ipv6_max_prefixes_peeringdb_sync: true, ipv4_max_prefixes: 0, ipv4_max_prefixes_peeringdb_sync: true,
      prefixes: null, affiliated: false, local_context_data: null,
    },
    refs: {}, many: POLICIES, onDelete: {}, readOnly: [...COMMON_RO, 'prefixes'],
    maxLength: { name: 200, description: 200, irr_as_set: 255 },
    display: (r) => `AS${str(r.asn)} - ${str(r.name)}`, search: ['name', 'irr_as_set', 'comments'],
  }),
  model({
    table: 'peering.bgp-groups', path: 'peering/bgp-groups', verbose: 'bgp group',
    fields: ['id', 'display', 'name', 'slug', 'description', 'status', 'import_routing_policies', 'export_routing_policies', 'communities', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'name', 'slug', 'status'],
    scalars: { name: 'string', slug: 'slug', description: 'string', local_context_data: 'json' },
    required: ['name', 'slug'], nullable: ['local_context_data'],
    choices: { status: { values: STATUS_CHOICES, rendered: true } }, unique: { name: 'name', slug: 'slug' },
    defaults: { description: '', status: 'enabled', local_context_data: null },
    refs: {}, many: POLICIES, onDelete: {}, readOnly: COMMON_RO, display: (r) => str(r.name),
  }),
  model({
    table: 'peering.communities', path: 'peering/communities', verbose: 'community',
    fields: ['id', 'display', 'name', 'slug', 'description', 'value', 'type', 'kind', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'name', 'slug', 'value', 'type'],
    scalars: { name: 'string', slug: 'slug', description: 'string', value: 'string', local_context_data: 'json' },
    required: ['name', 'slug', 'value'], nullable: ['type', 'local_context_data'],
    choices: { type: { values: { egress: 'Egress', ingress: 'Ingress' }, rendered: false } }, unique: { name: 'name', slug: 'slug' },
    defaults: { description: '', type: null, local_context_data: null },
    refs: {}, many: {}, onDelete: {}, readOnly: [...COMMON_RO, 'kind'], display: (r) => str(r.name), search: ['name', 'value', 'description'],
  }),
  model({
    table: 'peering.internet-exchanges', path: 'peering/internet-exchanges', verbose: 'internet exchange',
    fields: ['id', 'display', 'peeringdb_ixlan', 'peeringdb_prefixes', 'ixapi_endpoint', 'name', 'slug', 'description', 'status',
      'local_autonomous_system', 'import_routing_policies', 'export_routing_policies', 'communities', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'name', 'slug', 'status'],
    scalars: { name: 'string', slug: 'slug', description: 'string', local_context_data: 'json' },
    required: ['name', 'slug', 'local_autonomous_system'], nullable: ['peeringdb_ixlan', 'ixapi_endpoint', 'local_context_data'],
    choices: { status: { values: STATUS_CHOICES, rendered: true } }, unique: { name: 'name', slug: 'slug' },
    defaults: { description: '', status: 'enabled', peeringdb_ixlan: null, peeringdb_prefixes: {}, ixapi_endpoint: null, local_context_data: null },
    refs: { local_autonomous_system: 'peering.autonomous-systems' }, many: POLICIES,
    onDelete: { local_autonomous_system: 'cascade' }, readOnly: [...COMMON_RO, 'peeringdb_prefixes', 'peeringdb_ixlan', 'ixapi_endpoint'],
    display: (r) => str(r.name),
  }),
  model({
    table: 'peering.routing-policies', path: 'peering/routing-policies', verbose: 'routing policy',
    fields: ['id', 'display', 'name', 'slug', 'description', 'type', 'weight', 'address_family', 'communities', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'name', 'slug', 'type'],
    scalars: { name: 'string', slug: 'slug', description: 'string', weight: 'int', local_context_data: 'json' },
    required: ['name', 'slug'], nullable: ['local_context_data'],
    choices: {
      type: { values: { 'export-policy': 'Export', 'import-policy': 'Import', 'import-export-policy': 'Import+Export' }, rendered: false },
      address_family: { values: { 0: 'All', 4: 'IPv4', 6: 'IPv6' }, rendered: false },
    },
    unique: { name: 'name', slug: 'slug' },
    defaults: { description: '', type: 'import-policy', weight: 0, address_family: 0, local_context_data: null },
    refs: {}, many: { communities: 'peering.communities' }, onDelete: {}, readOnly: COMMON_RO, display: (r) => str(r.name),
  }),
  model({
    table: 'net.connections', path: 'net/connections', verbose: 'connection',
    fields: ['id', 'display', 'name', 'peeringdb_netixlan', 'status', 'vlan', 'mac_address', 'ipv6_address', 'ipv4_address',
      'internet_exchange_point', 'router', 'interface', 'description', 'local_context_data', 'comments', 'tags', 'created', 'updated'],
    nested: ['id', 'url', 'display', 'name', 'mac_address', 'ipv6_address', 'ipv4_address'],
    scalars: {
      vlan: 'vlan', mac_address: 'string', ipv6_address: 'ip6', ipv4_address: 'ip4', interface: 'string', description: 'string',
      comments: 'text', local_context_data: 'json',
    },
    required: ['internet_exchange_point', 'router'],
    nullable: ['peeringdb_netixlan', 'vlan', 'mac_address', 'ipv6_address', 'ipv4_address', 'internet_exchange_point', 'router', 'local_context_data'],
    choices: { status: { values: STATUS_CHOICES, rendered: true } }, unique: {},
    defaults: {
      peeringdb_netixlan: null, status: 'enabled', vlan: null, mac_address: null, ipv6_address: null, ipv4_address: null,
      interface: '', description: '', comments: '', local_context_data: null,
    },
    refs: { internet_exchange_point: 'peering.internet-exchanges', router: 'devices.routers', peeringdb_netixlan: 'peeringdb.netixlan' },
    many: {}, onDelete: { internet_exchange_point: 'cascade', router: 'set_null', peeringdb_netixlan: 'set_null' },
    readOnly: [...COMMON_RO, 'name'], plainRefs: ['peeringdb_netixlan'], display: connectionName, search: ['interface', 'description'],
    maxLength: { interface: 200, description: 200 },
  }),
  model({
    table: 'devices.routers', path: 'devices/routers', verbose: 'router',
    fields: ['id', 'display', 'name', 'hostname', 'local_autonomous_system', 'description', 'comments', ...TIMESTAMPS],
    nested: ['id', 'url', 'display', 'name', 'hostname'],
    scalars: { name: 'string', hostname: 'string', description: 'string', comments: 'text', local_context_data: 'json' },
    required: ['name', 'hostname'], nullable: ['local_autonomous_system', 'local_context_data'],
    choices: {}, unique: {}, defaults: { description: '', comments: '', local_context_data: null, local_autonomous_system: null },
    refs: { local_autonomous_system: 'peering.autonomous-systems' }, many: {}, onDelete: { local_autonomous_system: 'cascade' },
    readOnly: COMMON_RO, display: (r) => str(r.name), search: ['name', 'hostname'],
    maxLength: { name: 128, hostname: 256, description: 200 },
  }),
];

/** Connection.__str__: "<IXP> on <router> <interface>", whichever parts exist, else "Connection #<pk>". */
export function connectionName(row: SourceRow, lookup: RowLookup): string {
  let s = '';
  const ixp = typeof row.internet_exchange_point === 'number' ? lookup.get('peering.internet-exchanges', row.internet_exchange_point) : undefined;
  if (ixp) s += str(ixp.name);
  const router = typeof row.router === 'number' ? lookup.get('devices.routers', row.router) : undefined;
  if (router) {
    if (s) s += ' on ';
    s += str(router.name);
    if (row.interface) s += ` ${str(row.interface)}`;
  }
  return s || `Connection #${str(row.id)}`;
}

export const PM_MODEL_BY_PATH = new Map(PM_MODELS.map((m) => [m.path, m]));
export const PM_MODEL_BY_TABLE = new Map(PM_MODELS.map((m) => [m.table, m]));
