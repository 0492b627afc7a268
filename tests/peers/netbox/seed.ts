// Writes the project's generated network (what the NetBox stand-in serves) into a real NetBox
// through its REST API, so both hold the same objects. Idempotent: an object already there
// (same natural key) is reused, not created again.
//
//   npx tsx tests/peers/netbox/seed.ts [--size tiny|small] [--seed 1]
//
// NETBOX_ADDRESS and NETBOX_TOKEN come from the environment (tests/peers/netbox/up.sh).
// The real server is NetBox 4.7 while the rows are 4.1-shaped: a prefix's `site` is sent as
// its 4.2+ scope (scope_type dcim.site + scope_id).
import { generateDataset } from '../../standins/dataset/generate.js';
import { renderNetbox } from '../../standins/dataset/render-netbox.js';
import type { DatasetSize } from '../../standins/dataset/types.js';
import type { Json, SourceRow } from '../../standins/rest-common/source-dataset.js';
import { peerEnv, PeerClient } from './peer-client.js';

interface TableSeed {
  table: string;
  /** Fields sent as they are. */
  plain: string[];
  /** Reference fields -> the table they point at (ids are remapped). */
  refs?: Record<string, string>;
  /** Many-reference fields -> table. */
  many?: Record<string, string>;
  /** Choice fields sent as their `value`. */
  choices?: string[];
  /** Natural key: fields compared after remapping references to real ids. */
  key: string[];
  /** Extra payload built from the stand-in row (remapped ids available through `real`). */
  extra?: (row: SourceRow, real: (table: string, id: Json | undefined) => number | null) => Record<string, Json>;
}

const TAGS = { tags: 'extras.tags' };
const named = (table: string, more: Partial<TableSeed> = {}): TableSeed => ({
  table, plain: ['name', 'slug', 'description', ...(more.plain ?? [])], key: ['slug'], ...omitPlain(more),
});
function omitPlain(t: Partial<TableSeed>): Partial<TableSeed> {
  const { plain: _plain, ...rest } = t;
  return rest;
}

/** In dependency order. Rear and front ports are left out: no mapping of the example reads them. */
const SEEDS: TableSeed[] = [
  named('extras.tags', { plain: ['color'] }),
  named('dcim.manufacturers'),
  {
    table: 'dcim.device-types', plain: ['model', 'slug', 'part_number', 'u_height', 'is_full_depth', 'description'],
    refs: { manufacturer: 'dcim.manufacturers' }, many: TAGS, key: ['manufacturer', 'slug'],
  },
  named('dcim.platforms', { refs: { manufacturer: 'dcim.manufacturers' } }),
  named('dcim.device-roles', { plain: ['color', 'vm_role'] }),
  named('dcim.rack-roles', { plain: ['color'] }),
  named('ipam.roles', { plain: ['weight'] }),
  named('tenancy.tenant-groups', { refs: { parent: 'tenancy.tenant-groups' } }),
  named('tenancy.tenants', { refs: { group: 'tenancy.tenant-groups' } }),
  named('dcim.regions', { refs: { parent: 'dcim.regions' }, many: TAGS }),
  named('dcim.site-groups', { refs: { parent: 'dcim.site-groups' } }),
  named('dcim.sites', {
    plain: ['facility', 'time_zone', 'physical_address'], choices: ['status'],
    refs: { region: 'dcim.regions', group: 'dcim.site-groups', tenant: 'tenancy.tenants' }, many: TAGS,
  }),
  named('dcim.locations', {
    choices: ['status'], refs: { site: 'dcim.sites', parent: 'dcim.locations', tenant: 'tenancy.tenants' },
    many: TAGS, key: ['site', 'slug'],
  }),
  {
    table: 'dcim.racks', plain: ['name', 'facility_id', 'serial', 'asset_tag', 'u_height', 'description'],
    choices: ['status', 'form_factor', 'width'],
    refs: { site: 'dcim.sites', location: 'dcim.locations', tenant: 'tenancy.tenants', role: 'dcim.rack-roles' },
    many: TAGS, key: ['site', 'name'],
  },
  {
    table: 'dcim.devices', plain: ['name', 'serial', 'asset_tag', 'position', 'description'], choices: ['status', 'face'],
    refs: {
      device_type: 'dcim.device-types', role: 'dcim.device-roles', tenant: 'tenancy.tenants', platform: 'dcim.platforms',
      site: 'dcim.sites', location: 'dcim.locations', rack: 'dcim.racks',
    },
    many: TAGS, key: ['site', 'name'],
  },
  { table: 'ipam.route-targets', plain: ['name', 'description'], refs: { tenant: 'tenancy.tenants' }, many: TAGS, key: ['name'] },
  {
    table: 'ipam.vrfs', plain: ['name', 'rd', 'enforce_unique', 'description'], refs: { tenant: 'tenancy.tenants' },
    many: { ...TAGS, import_targets: 'ipam.route-targets', export_targets: 'ipam.route-targets' }, key: ['name'],
  },
  named('ipam.vlan-groups', {
    plain: ['scope_type'],
    extra: (row, real) => ({ scope_id: row.scope_type === 'dcim.site' ? real('dcim.sites', row.scope_id) : null }),
  }),
  {
    table: 'ipam.vlans', plain: ['vid', 'name', 'description'], choices: ['status'],
    refs: { site: 'dcim.sites', group: 'ipam.vlan-groups', tenant: 'tenancy.tenants', role: 'ipam.roles' },
    many: TAGS, key: ['group', 'site', 'vid', 'name'],
  },
  {
    table: 'ipam.prefixes', plain: ['prefix', 'is_pool', 'description'], choices: ['status'],
    refs: { vrf: 'ipam.vrfs', tenant: 'tenancy.tenants', vlan: 'ipam.vlans', role: 'ipam.roles' },
    many: TAGS, key: ['vrf', 'prefix'],
    extra: (row, real): Record<string, Json> => {
      const site = real('dcim.sites', row.site);
      return site === null ? {} : { scope_type: 'dcim.site', scope_id: site };
    },
  },
  {
    table: 'dcim.interfaces', plain: ['name', 'enabled', 'mtu', 'mac_address', 'mgmt_only', 'description'],
    choices: ['type', 'mode'], refs: { device: 'dcim.devices', untagged_vlan: 'ipam.vlans' },
    many: { ...TAGS, tagged_vlans: 'ipam.vlans' }, key: ['device', 'name'],
  },
  {
    table: 'ipam.ip-addresses', plain: ['address', 'dns_name', 'description', 'assigned_object_type'], choices: ['status'],
    refs: { vrf: 'ipam.vrfs', tenant: 'tenancy.tenants' }, many: TAGS, key: ['vrf', 'address'],
    extra: (row, real) => ({ assigned_object_id: real('dcim.interfaces', row.assigned_object_id) }),
  },
  named('circuits.providers', { many: TAGS }),
  {
    table: 'circuits.provider-networks', plain: ['name', 'service_id', 'description'],
    refs: { provider: 'circuits.providers' }, many: TAGS, key: ['provider', 'name'],
  },
  named('circuits.circuit-types', { plain: ['color'], many: TAGS }),
  {
    table: 'circuits.circuits', plain: ['cid', 'install_date', 'commit_rate', 'description'], choices: ['status'],
    refs: { provider: 'circuits.providers', type: 'circuits.circuit-types', tenant: 'tenancy.tenants' },
    many: TAGS, key: ['provider', 'cid'],
  },
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

async function main(): Promise<void> {
  const size = arg('size', 'tiny') as DatasetSize;
  const seed = Number(arg('seed', '1'));
  const client = new PeerClient(peerEnv());
  const tables = renderNetbox(generateDataset({ size, seed })).tables;
  /** stand-in id -> real id, per table. */
  const ids = new Map<string, Map<string, number>>();
  const real = (table: string, id: Json | undefined): number | null => {
    if (id === null || id === undefined) return null;
    const got = ids.get(table)?.get(String(id));
    if (got === undefined) throw new Error(`${table} ${String(id)} was not seeded before it is referenced`);
    return got;
  };

  for (const s of SEEDS) {
    const rows = tables[s.table] ?? [];
    const map = new Map<string, number>();
    ids.set(s.table, map);
    const existing = await client.list(s.table);
    const realKey = (rec: Record<string, unknown>): string =>
      JSON.stringify(s.key.map((k) => {
        const v = rec[k];
        if (s.refs?.[k] !== undefined) return (v as { id?: number } | null)?.id ?? null;
        return v ?? null;
      }));
    const byKey = new Map(existing.map((r) => [realKey(r), r.id as number]));
    const payloads: Record<string, Json>[] = [];
    const pending: SourceRow[] = [];
    for (const row of rows) {
      const p: Record<string, Json> = {};
      for (const f of s.plain) if (row[f] !== undefined) p[f] = row[f] as Json;
      for (const f of s.choices ?? []) {
        const v = row[f];
        if (v !== undefined) p[f] = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v.value ?? null) : v;
      }
      for (const [f, t] of Object.entries(s.refs ?? {})) p[f] = real(t, row[f]);
      for (const [f, t] of Object.entries(s.many ?? {})) {
        p[f] = Array.isArray(row[f]) ? (row[f] as Json[]).map((x) => real(t, x)) : [];
      }
      Object.assign(p, s.extra?.(row, real) ?? {});
      const key = JSON.stringify(s.key.map((k) => p[k] ?? null));
      const found = byKey.get(key);
      if (found !== undefined) map.set(String(row.id), found);
      else {
        payloads.push(p);
        pending.push(row);
      }
    }
    if (payloads.length > 0) {
      const created = await client.createMany(s.table, payloads);
      created.forEach((c, i) => map.set(String(pending[i]?.id), c.id as number));
    }
    process.stdout.write(`${s.table}: ${rows.length} rows, ${rows.length - payloads.length} already there, ${payloads.length} created\n`);
  }
}

await main();
