// Seeds the real Nautobot peer with the dataset the stand-in serves (default: tiny, seed 1),
// through the REST API, keeping the dataset's UUIDs (Nautobot 2.x accepts `id` on create).
// Rows that exist already (same id, or a built-in status/role/namespace of the same name) are
// brought to the dataset's values instead. Run: npx tsx tests/peers/nautobot/seed.ts [--size small] [--seed 1]
import { parseArgs } from 'node:util';
import { generateDataset } from '../../standins/dataset/generate.js';
import { renderNautobot } from '../../standins/dataset/render-nautobot.js';
import type { DatasetSize } from '../../standins/dataset/types.js';
import { NAUTOBOT_MODEL_BY_TABLE } from '../../standins/nautobot/models.js';
import { tablePath } from '../../standins/rest-common/model-spec.js';
import type { Json, SourceRow } from '../../standins/rest-common/source-dataset.js';
import { call, isObject, listAll, peerFromEnv, type Peer } from './peer-env.js';

/** Creation order: everything a row points at comes before it. */
export const SEED_ORDER = [
  'extras.statuses', 'extras.roles', 'extras.tags', 'dcim.manufacturers', 'dcim.device-types', 'dcim.platforms',
  'tenancy.tenant-groups', 'tenancy.tenants', 'dcim.location-types', 'dcim.locations', 'dcim.racks',
  'circuits.providers', 'circuits.provider-networks', 'circuits.circuit-types', 'circuits.circuits',
  'ipam.namespaces', 'ipam.route-targets', 'ipam.vrfs', 'ipam.vlan-groups', 'ipam.vlans', 'ipam.prefixes',
  'ipam.ip-addresses', 'dcim.devices', 'dcim.interfaces', 'dcim.rear-ports', 'dcim.front-ports',
] as const;

/** Built-in rows a fresh Nautobot already has, matched by name. */
const BUILT_IN_BY_NAME = new Set(['extras.statuses', 'extras.roles', 'ipam.namespaces']);

/** Server-computed or read-only; sending them is at best ignored. */
const NEVER_SENT = new Set([
  'created', 'last_updated', 'custom_fields', 'tree_depth', 'network_driver_mappings', 'natural_slug', 'display',
  'cable', 'cable_peer', 'cable_peer_type', 'connected_endpoint', 'connected_endpoint_type', 'connected_endpoint_reachable',
]);

/** Written after the rows exist, through their own endpoints or a later PATCH. */
const DEFERRED: Record<string, readonly string[]> = {
  'ipam.vlans': ['locations'],
  'ipam.prefixes': ['locations', 'vrfs', 'parent'],
  'ipam.ip-addresses': ['interfaces', 'nat_outside_list', 'vm_interfaces'],
  'dcim.devices': ['primary_ip4', 'primary_ip6'],
  'dcim.interfaces': ['ip_addresses'],
};

interface Failure { table: string; id: string; status: number; body: unknown }

class Seeder {
  /** Dataset id -> id on the server (they differ only for adopted built-ins). */
  readonly ids = new Map<string, string>();
  readonly failures: Failure[] = [];
  created = 0;
  updated = 0;

  constructor(private readonly peer: Peer, private readonly tables: Record<string, SourceRow[]>) {}

  private mapId(v: Json | undefined): Json {
    if (typeof v !== 'string') return v ?? null;
    return this.ids.get(v) ?? v;
  }

  payload(table: string, row: SourceRow): Record<string, Json> {
    const spec = NAUTOBOT_MODEL_BY_TABLE.get(table);
    const skip = new Set(DEFERRED[table] ?? []);
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(row)) {
      if (NEVER_SENT.has(k) || skip.has(k) || k.endsWith('_count')) continue;
      if (spec?.refs[k] !== undefined) out[k] = this.mapId(v);
      else if (spec?.many[k] !== undefined) out[k] = Array.isArray(v) ? v.map((x) => this.mapId(x)) : [];
      else if (isObject(v) && 'value' in v) out[k] = v.value as Json;
      else out[k] = v;
    }
    if (table === 'ipam.ip-addresses' && typeof row.parent === 'string') {
      const parent = this.tables['ipam.prefixes']?.find((p) => p.id === row.parent);
      if (parent) out.namespace = this.mapId(parent.namespace);
    }
    return out;
  }

  async table(table: string): Promise<void> {
    const rows = this.tables[table] ?? [];
    if (rows.length === 0) return;
    const path = `/api/${tablePath(table)}/`;
    const existing = await listAll(this.peer, path);
    const byId = new Set(existing.map((r) => String(r.id)));
    const byName = new Map(existing.map((r) => [String(r.name), String(r.id)]));
    for (const row of rows) {
      const id = String(row.id);
      const body = this.payload(table, row);
      const builtIn = BUILT_IN_BY_NAME.has(table) ? byName.get(String(row.name)) : undefined;
      const target = byId.has(id) ? id : builtIn;
      if (target !== undefined) {
        this.ids.set(id, target);
        const { id: _drop, ...rest } = body;
        await this.expect(table, id, await call(this.peer, 'PATCH', `${path}${target}/`, rest), 200);
        this.updated += 1;
        continue;
      }
      this.ids.set(id, id);
      if (await this.expect(table, id, await call(this.peer, 'POST', path, body), 201)) this.created += 1;
    }
  }

  /** Writes the fields DEFERRED kept back: location and VRF assignments, IP-to-interface, primary IPs. */
  async deferred(): Promise<void> {
    const t = this.tables;
    const assign = async (path: string, body: Record<string, Json>, label: string): Promise<void> => {
      const res = await call(this.peer, 'POST', path, body);
      // 400 "must make a unique set" = already assigned by an earlier run.
      if (res.status === 201 || (res.status === 400 && /unique/i.test(JSON.stringify(res.body)))) return;
      this.failures.push({ table: path, id: label, status: res.status, body: res.body });
    };
    for (const v of t['ipam.vlans'] ?? []) {
      for (const loc of asList(v.locations)) {
        await assign('/api/ipam/vlan-location-assignments/', { vlan: this.mapId(v.id), location: this.mapId(loc) }, String(v.id));
      }
    }
    for (const p of t['ipam.prefixes'] ?? []) {
      for (const loc of asList(p.locations)) {
        await assign('/api/ipam/prefix-location-assignments/', { prefix: this.mapId(p.id), location: this.mapId(loc) }, String(p.id));
      }
      for (const vrf of asList(p.vrfs)) {
        await assign('/api/ipam/vrf-prefix-assignments/', { prefix: this.mapId(p.id), vrf: this.mapId(vrf) }, String(p.id));
      }
    }
    for (const a of t['ipam.ip-addresses'] ?? []) {
      for (const iface of asList(a.interfaces)) {
        await assign('/api/ipam/ip-address-to-interface/', { ip_address: this.mapId(a.id), interface: this.mapId(iface) }, String(a.id));
      }
    }
    for (const d of t['dcim.devices'] ?? []) {
      if (d.primary_ip4 === null || d.primary_ip4 === undefined) continue;
      const res = await call(this.peer, 'PATCH', `/api/dcim/devices/${String(this.mapId(d.id))}/`, { primary_ip4: this.mapId(d.primary_ip4) });
      await this.expect('dcim.devices primary_ip4', String(d.id), res, 200);
    }
  }

  private async expect(table: string, id: string, res: { status: number; body: unknown }, want: number): Promise<boolean> {
    if (res.status === want) return true;
    this.failures.push({ table, id, status: res.status, body: res.body });
    return false;
  }
}

function asList(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'tiny' }, seed: { type: 'string', default: '1' } } });
  const size = values.size as DatasetSize;
  const ds = renderNautobot(generateDataset({ size, seed: Number(values.seed) }));
  const peer = peerFromEnv();
  const seeder = new Seeder(peer, ds.tables);
  const started = Date.now();
  for (const table of SEED_ORDER) await seeder.table(table);
  await seeder.deferred();
  const missing = Object.keys(ds.tables).filter((t) => !(SEED_ORDER as readonly string[]).includes(t));
  process.stdout.write(
    `seeded ${size} (seed ${values.seed}) into ${peer.url}: ${seeder.created} created, ${seeder.updated} updated, ` +
      `${seeder.failures.length} failed in ${Date.now() - started} ms${missing.length ? `; tables not seeded: ${missing.join(', ')}` : ''}\n`,
  );
  for (const f of seeder.failures) {
    process.stdout.write(`  FAILED ${f.table} ${f.id}: HTTP ${f.status} ${JSON.stringify(f.body).slice(0, 400)}\n`);
  }
  if (seeder.failures.length > 0) process.exitCode = 1;
}

await main();
