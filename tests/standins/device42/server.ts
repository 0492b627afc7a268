// Device42 REST stand-in (a test double): the API 1.0 list endpoints of infrahub-sync's
// device42 example (tags, customers, buildings) as Device42 serves them: HTTP basic auth,
// each list under its own key (`Customers` capitalised), `limit`/`offset` paging with
// `total_count`, Django's APPEND_SLASH redirect. Sources: tests/standins/device42/README.md.
import { renderDevice42, HIDDEN_ID } from '../dataset/render-monitoring.js';
import type { Reply } from '../rest-common/http-server.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { basicAuth, filterRows, served, startTableStandin } from '../rest-common/table-standin.js';

/** Endpoint -> the key its list comes under. */
const LISTS: Record<string, string> = { tags: 'tags', customers: 'Customers', buildings: 'buildings' };
const CONTROL = new Set(['limit', 'offset', 'include_cols']);
const UNAUTHORIZED = (detail: string): Reply => ({ status: 401, body: { detail }, headers: { 'WWW-Authenticate': 'Basic realm="api"' } });

export async function startDevice42Standin(opts: SourceStandinOptions): Promise<SourceStandin> {
  return startTableStandin({
    system: 'device42',
    render: renderDevice42,
    authenticate(req, creds) {
      const given = basicAuth(req);
      if (!given) return UNAUTHORIZED('Authentication credentials were not provided.');
      return given.username === creds.username && given.password === creds.password ? undefined : UNAUTHORIZED('Invalid username/password.');
    },
    route(url, tables) {
      if (!url.pathname.endsWith('/')) return { status: 301, body: undefined, headers: { Location: `${url.pathname}/${url.search}` } };
      const m = /^\/api\/1\.0\/([a-z_]+)\/$/.exec(url.pathname);
      const endpoint = m?.[1] ?? '';
      const key = LISTS[endpoint];
      if (!key) return { status: 404, body: { detail: 'Not found.' } };
      const rows = filterRows(tables[endpoint] ?? [], url.searchParams, CONTROL);
      const q = url.searchParams;
      const limit = /^\d+$/.test(q.get('limit') ?? '') ? Math.min(Number(q.get('limit')), 1000) : undefined;
      const offset = /^\d+$/.test(q.get('offset') ?? '') ? Number(q.get('offset')) : 0;
      const page = limit === undefined ? rows.slice(offset) : rows.slice(offset, offset + limit);
      const cols = q.get('include_cols')?.split(',').filter(Boolean);
      const items = page.map((r) => served(r, HIDDEN_ID.device42?.has(endpoint) ?? false)).map((r) =>
        cols ? Object.fromEntries(Object.entries(r).filter(([k]) => cols.includes(k))) : r);
      const body: Record<string, unknown> = { total_count: rows.length, [key]: items };
      if (limit !== undefined) Object.assign(body, { limit, offset });
      return { status: 200, body };
    },
  }, opts);
}
