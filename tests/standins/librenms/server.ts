// LibreNMS REST stand-in (a test double): the API v0 routes of infrahub-sync's librenms example
// (devices, devicegroups, resources/locations) as LibreNMS serves them: X-Auth-Token, Laravel's
// "Unauthenticated." 401, `{status, <list>, count}` envelopes (device groups under `groups`), no
// paging. Sources: tests/standins/librenms/README.md.
import { renderLibrenms, HIDDEN_ID } from '../dataset/render-monitoring.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { filterRows, served, startTableStandin } from '../rest-common/table-standin.js';

export async function startLibrenmsStandin(opts: SourceStandinOptions): Promise<SourceStandin> {
  return startTableStandin({
    system: 'librenms',
    render: renderLibrenms,
    authenticate(req, creds) {
      return req.headers['x-auth-token'] === creds.token ? undefined : { status: 401, body: { message: 'Unauthenticated.' } };
    },
    route(url, tables) {
      // Laravel redirects a trailing slash away.
      if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
        return { status: 301, body: undefined, headers: { Location: `${url.pathname.replace(/\/+$/, '')}${url.search}` } };
      }
      const hide = (t: string) => (r: Parameters<typeof served>[0]) => served(r, HIDDEN_ID.librenms?.has(t) ?? false);
      switch (url.pathname) {
        case '/api/v0/devices': {
          const rows = filterRows(tables.devices ?? [], url.searchParams, new Set(['type', 'query', 'order']));
          return { status: 200, body: { status: 'ok', devices: rows.map(hide('devices')), count: rows.length } };
        }
        case '/api/v0/devicegroups': {
          const rows = tables.devicegroups ?? [];
          return { status: 200, body: { status: 'ok', groups: rows.map(hide('devicegroups')), message: `Found ${rows.length} device groups`, count: rows.length } };
        }
        case '/api/v0/resources/locations': {
          const rows = tables.locations ?? [];
          return { status: 200, body: { status: 'ok', locations: rows.map(hide('locations')), count: rows.length } };
        }
        default:
          return { status: 404, body: { status: 'error', message: 'This API route does not exist.' } };
      }
    },
  }, opts);
}
