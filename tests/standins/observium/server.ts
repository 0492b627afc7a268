// Observium REST stand-in (a test double): the API v0 entities of infrahub-sync's observium
// example (devices, groups) as Observium serves them: HTTP basic auth, `{status, count, <entity>}`
// with the entities as an object keyed by id and every column a string, column filters in the
// query string. Sources: tests/standins/observium/README.md.
import { renderObservium, HIDDEN_ID } from '../dataset/render-monitoring.js';
import type { Reply } from '../rest-common/http-server.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { basicAuth, filterRows, served, startTableStandin } from '../rest-common/table-standin.js';

const KEYS: Record<string, string> = { devices: 'device_id', groups: 'group_id' };
const UNAUTHORIZED: Reply = { status: 401, body: { status: 'failed', message: 'Authentication failed' }, headers: { 'WWW-Authenticate': 'Basic realm="Observium API"' } };

export async function startObserviumStandin(opts: SourceStandinOptions): Promise<SourceStandin> {
  return startTableStandin({
    system: 'observium',
    render: renderObservium,
    authenticate(req, creds) {
      const given = basicAuth(req);
      return given?.username === creds.username && given.password === creds.password ? undefined : UNAUTHORIZED;
    },
    route(url, tables) {
      const m = /^\/api\/v0\/([a-z_]+)\/?$/.exec(url.pathname);
      const entity = m?.[1] ?? '';
      const key = KEYS[entity];
      if (!key) return { status: 404, body: { status: 'failed', message: 'Unknown entity type' } };
      const rows = filterRows(tables[entity] ?? [], url.searchParams, new Set(['pagination', 'pageno', 'pagesize', 'sort']));
      const byId = Object.fromEntries(rows.map((r) => [String(r[key]), served(r, HIDDEN_ID.observium?.has(entity) ?? false)]));
      return { status: 200, body: { status: 'ok', count: rows.length, [entity]: byId } };
    },
  }, opts);
}
