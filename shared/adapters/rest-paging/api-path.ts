// Turns a Nautobot/NetBox schema-mapping path (`dcim.device_roles`) into its list endpoint
// (`/api/dcim/device-roles/`). pynautobot and pynetbox turn underscores into dashes on every
// segment, and the example configs already use dashed names (`tenancy.tenant-groups`).
import { ConfigError } from '../../errors.js';

export function apiListPath(system: string, mapping: string): string {
  const trimmed = mapping.trim().replace(/^\/+|\/+$/g, '');
  const raw = trimmed.startsWith('api/') ? trimmed.slice(4) : trimmed;
  const segments = raw.split(/[./]/).filter((s) => s !== '');
  if (segments.length < 2) {
    throw new ConfigError(`${system}: mapping "${mapping}" must name an app and an endpoint, like dcim.devices`);
  }
  // `plugin.bgp.autonomous-systems` (nautobot-v2 example) means the plugins API root.
  if (segments[0] === 'plugin') segments[0] = 'plugins';
  for (const s of segments) {
    if (!/^[A-Za-z0-9_-]+$/.test(s)) {
      throw new ConfigError(`${system}: mapping "${mapping}" has an invalid segment "${s}"`);
    }
  }
  return `/api/${segments.map((s) => s.replace(/_/g, '-')).join('/')}/`;
}

/** `base` (which may carry a path prefix such as `/netbox`) joined with an absolute API path. */
export function joinUrl(base: URL, path: string): URL {
  const u = new URL(base.href);
  u.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}
