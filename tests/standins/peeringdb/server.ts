// PeeringDB REST stand-in (a test double): `/api/<tag>` for net, org and ix as PeeringDB serves
// them: `{data, meta}`, `limit`/`skip` paging, field filters with `__in`, `fields`, anonymous
// reads allowed and `Authorization: Api-Key <key>` checked when given, throttling answered
// with 429 and Retry-After. Sources: tests/standins/peeringdb/README.md.
import { renderPeeringdb } from '../dataset/render-peeringdb.js';
import type { RestStandinOptions } from '../rest-common/http-server.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { filterRows, startTableStandin } from '../rest-common/table-standin.js';

const TAGS = new Set(['net', 'org', 'ix']);
const CONTROL = new Set(['limit', 'skip', 'depth', 'fields', 'since']);

export interface PeeringdbStandinOptions extends SourceStandinOptions, RestStandinOptions {
  /** Requests an anonymous client may make per window before it is throttled (default unlimited). */
  anonymousLimit?: number;
  /** The throttling window (default 1000 ms). */
  windowMs?: number;
}

export async function startPeeringdbStandin(opts: PeeringdbStandinOptions): Promise<SourceStandin> {
  const windowMs = opts.windowMs ?? 1000;
  let recent: number[] = [];
  return startTableStandin({
    system: 'peeringdb',
    render: renderPeeringdb,
    authenticate(req, creds) {
      const header = req.headers.authorization?.trim();
      if (header === undefined) {
        if (opts.anonymousLimit === undefined) return undefined;
        const now = Date.now();
        recent = recent.filter((t) => now - t < windowMs);
        if (recent.length >= opts.anonymousLimit) {
          const wait = Math.max(1, Math.ceil((windowMs - (now - (recent[0] ?? now))) / 1000));
          return {
            status: 429,
            body: { message: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.` },
            headers: { 'Retry-After': String(wait) },
          };
        }
        recent.push(now);
        return undefined;
      }
      const m = /^Api-Key\s+(\S+)$/.exec(header);
      return m?.[1] === creds.token ? undefined : { status: 401, body: { meta: { error: 'Invalid API key' } } };
    },
    route(url, tables) {
      const tag = /^\/api\/([a-z]+)\/?$/.exec(url.pathname)?.[1] ?? '';
      if (!TAGS.has(tag)) return { status: 404, body: { meta: { error: 'API endpoint not found' } } };
      const q = url.searchParams;
      let rows = filterRows(tables[tag] ?? [], q, CONTROL);
      const skip = /^\d+$/.test(q.get('skip') ?? '') ? Number(q.get('skip')) : 0;
      const limit = /^\d+$/.test(q.get('limit') ?? '') ? Number(q.get('limit')) : 0;
      rows = limit > 0 ? rows.slice(skip, skip + limit) : rows.slice(skip);
      const fields = q.get('fields')?.split(',').filter(Boolean);
      const data = fields ? rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => fields.includes(k)))) : rows;
      return { status: 200, body: { data, meta: {} } };
    },
  }, opts);
}
