// Neutral network -> what the monitoring and inventory systems of infrahub-sync's generic-REST
// examples hold about it: LibreNMS (API v0), Observium (API v0) and Device42 (API 1.0). Field
// names and value types follow each system's API documentation and recorded responses (see the
// stand-ins' READMEs): LibreNMS sends numbers as numbers, Observium sends every column as a
// string, Device42 sends a building's tags as a list of names. Where the API has no `id` field,
// the row's `id` is the stand-in's own handle and is not served (HIDDEN_ID).
import type { Json, SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import { DEVICE_TYPES, MANUFACTURERS, PLATFORMS } from './catalog.js';
import type { Dataset, Device } from './types.js';

/** Tables whose API objects carry no `id` (the row's `id` is the stand-in's, not served). */
export const HIDDEN_ID: Record<string, ReadonlySet<string>> = {
  librenms: new Set(['devices']),
  observium: new Set(['groups', 'devices']),
  device42: new Set(['tags', 'buildings']),
};

/** The first IP address of each device, without its prefix length (how pollers record it). */
function primaryIps(ds: Dataset): Map<number, string> {
  const out = new Map<number, string>();
  for (const ip of ds.ipAddresses) {
    if (ip.interface === null) continue;
    const dev = ds.interfaces[ip.interface]?.device;
    if (dev !== undefined && !out.has(dev)) out.set(dev, ip.address.split('/')[0] as string);
  }
  return out;
}

/** Devices a poller watches: everything but passive patch panels. */
function polled(ds: Dataset): { d: Device; i: number }[] {
  return ds.devices.map((d, i) => ({ d, i })).filter(({ d }) => DEVICE_TYPES[d.deviceType]?.[5] !== 'patch');
}

const deviceRoles = (ds: Dataset) => ds.roles.filter((r) => r.scope === 'device');
const osOf = (d: Device): string => (d.platform === null ? 'linux' : (PLATFORMS[d.platform]?.[2] || 'linux'));
const vendorOf = (d: Device): string => MANUFACTURERS[DEVICE_TYPES[d.deviceType]?.[1] ?? 0] ?? '';
const stamp = (ds: Dataset, n: number): string => new Date(Date.parse(ds.epoch) + n * 61_000).toISOString().slice(0, 19).replace('T', ' ');

export function renderLibrenms(ds: Dataset): SourceDataset {
  const ips = primaryIps(ds);
  const t: Record<string, SourceRow[]> = {};
  t.devicegroups = deviceRoles(ds).map((r, i) => ({
    id: i + 1, name: r.name, desc: r.description, type: 'dynamic', pattern: null,
    rules: { condition: 'AND', rules: [{ id: 'devices.purpose', field: 'devices.purpose', type: 'string', input: 'text', operator: 'equal', value: r.slug }], valid: true },
  }));
  t.locations = ds.sites.map((s, i) => ({ id: i + 1, location: s.name, lat: null, lng: null, timestamp: stamp(ds, i), fixed_coordinates: 1 }));
  t.devices = polled(ds).map(({ d, i }) => {
    const site = ds.sites[d.site];
    const [model, , , , , role] = DEVICE_TYPES[d.deviceType] ?? DEVICE_TYPES[0];
    return {
      id: i + 1, device_id: i + 1, inserted: stamp(ds, i), hostname: d.hostname, sysName: d.name, display: null,
      ip: ips.get(i) ?? '', overwrite_ip: null, community: null, authlevel: 'authPriv', authalgo: 'SHA', cryptoalgo: 'AES',
      snmpver: 'v3', port: 161, transport: 'udp', timeout: null, retries: null, snmp_disable: 0, bgpLocalAs: null,
      sysObjectID: null, sysDescr: `${vendorOf(d)} ${model}`, sysContact: 'noc@example.net', version: null, hardware: model,
      features: null, location_id: d.site + 1, os: osOf(d), status: d.status === 'active' ? 1 : 0, status_reason: '',
      ignore: 0, disabled: 0, uptime: 86_400 * (i + 1), agent_uptime: 0, last_polled: stamp(ds, 1000 + i),
      last_poll_attempted: null, last_polled_timetaken: 4.2, last_discovered_timetaken: 12.5, last_discovered: stamp(ds, 900 + i),
      last_ping: stamp(ds, 1000 + i), last_ping_timetaken: 0.4, dependency_parent_id: null, dependency_parent_hostname: null, purpose: ds.roles[d.role]?.slug ?? null, type: role === 'server' ? 'server' : role === 'pdu' ? 'power' : 'network',
      serial: d.serial, icon: null, poller_group: 0, override_sysLocation: 0, notes: null, port_association_mode: 1,
      max_depth: 0, disable_notify: 0, ignore_status: 0, location: site?.name ?? null, lat: null, lng: null,
    } satisfies SourceRow;
  });
  return { kind: 'source-dataset', system: 'librenms', tables: t };
}

/** Observium sends every column as a string (PHP over MySQL rows); `null` stays null. */
function strings(row: Record<string, Json>): SourceRow {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v === null ? null : String(v);
  return out as SourceRow;
}

/** Observium device ids start at 100, so the example's `device_id > 100` filter leaves one out. */
export const OBSERVIUM_FIRST_DEVICE_ID = 100;

export function renderObservium(ds: Dataset): SourceDataset {
  const ips = primaryIps(ds);
  const t: Record<string, SourceRow[]> = {};
  t.groups = deviceRoles(ds).map((r, i) => ({
    ...strings({ group_id: i + 1, entity_type: 'device', group_name: r.name, group_descr: r.description, group_menu: 0 }),
    id: String(i + 1),
  }));
  t.devices = polled(ds).map(({ d, i }) => {
    const site = ds.sites[d.site];
    const [model] = DEVICE_TYPES[d.deviceType] ?? DEVICE_TYPES[0];
    const id = OBSERVIUM_FIRST_DEVICE_ID + i;
    return {
      ...strings({
        device_id: id, hostname: d.hostname, sysName: d.name, ip: ips.get(i) ?? '', snmp_version: 'v2c', snmp_port: 161,
        snmp_transport: 'udp', sysObjectID: null, sysDescr: `${vendorOf(d)} ${model}`, sysContact: 'noc@example.net',
        version: null, hardware: model, vendor: vendorOf(d), features: null, location: site?.name ?? '', os: osOf(d),
        status: d.status === 'active' ? 1 : 0, status_type: 'ok', ignore: 0, disabled: 0, uptime: 86_400 * (i + 1),
        last_polled: stamp(ds, 1000 + i), purpose: ds.roles[d.role]?.name ?? null, type: 'network', serial: d.serial,
        icon: null, distro: null, distro_ver: null, kernel: null, arch: null,
      }),
      id: String(id),
    };
  });
  return { kind: 'source-dataset', system: 'observium', tables: t };
}

export function renderDevice42(ds: Dataset): SourceDataset {
  const t: Record<string, SourceRow[]> = {};
  // Device42 lists tags by name only: they have no id in the API.
  t.tags = ds.tags.map((tag, i) => ({ id: `tag-${i + 1}`, name: tag.name }));
  t.customers = ds.tenants.map((x, i) => ({
    id: i + 1, name: x.name, contact_info: '', notes: x.description, tags: [], custom_fields: [],
  }));
  t.buildings = ds.sites.map((s, i) => ({
    id: i + 1, building_id: i + 1, name: s.name, address: s.physicalAddress, contact_name: '', contact_phone: '', notes: '',
    tags: s.tags.map((n) => ds.tags[n]?.name ?? ''), custom_fields: [], latitude: null, longitude: null,
  }));
  return { kind: 'source-dataset', system: 'device42', tables: t };
}
