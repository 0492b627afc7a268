// Slurp'it stand-in (a test double): the REST API the slurpit SDK (0.9) drives.
// - `Authorization: Bearer <key>` on every request; a missing or wrong key is 401
//   `{"messages": ["Unauthorized"]}`.
// - GET /api/devices, /api/sites, /api/planning: a JSON list, paged by `offset` and `limit`.
// - POST /api/planning/search `{planning_id, unique_results, offset, limit, hostnames?, search?}`:
//   the planning's result rows (with `hostname` and `timestamp`, no id); unique_results leaves
//   out rows identical to an earlier one but for the timestamp. An unknown planning is 404.
// Sources: tests/standins/slurpit/README.md.
import { renderSlurpit } from '../dataset/render-slurpit.js';
import { readBody, startRestServer, type Reply } from '../rest-common/http-server.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';

const refuse = (status: number, message: string): Reply => ({ status, body: { messages: [message] } });

function paged(rows: SourceRow[], offset: unknown, limit: unknown): Reply {
  const o = Number(offset ?? 0);
  const l = Number(limit ?? 1000);
  if (!Number.isInteger(o) || o < 0 || !Number.isInteger(l) || l <= 0) return refuse(422, 'offset and limit must be non-negative integers');
  return { status: 200, body: rows.slice(o, o + l) };
}

export async function startSlurpitStandin(opts: SourceStandinOptions): Promise<SourceStandin> {
  const dataset = await loadSource(opts.dataset, 'slurpit', renderSlurpit);
  const token = opts.token ?? 'standin-token';
  const server = await startRestServer(opts, async ({ req, url }) => {
    if (req.headers.authorization !== `Bearer ${token}`) return refuse(401, 'Unauthorized');
    const q = url.searchParams;
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && ['/api/devices', '/api/sites', '/api/planning'].includes(path)) {
      return paged(dataset.tables[path.slice('/api/'.length)] ?? [], q.get('offset'), q.get('limit'));
    }
    if (req.method === 'POST' && path === '/api/planning/search') {
      let body: { planning_id?: unknown; unique_results?: unknown; offset?: unknown; limit?: unknown; hostnames?: unknown };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return refuse(400, 'Invalid JSON');
      }
      const planning = (dataset.tables.planning ?? []).find((p) => String(p.id) === String(body.planning_id));
      if (!planning) return refuse(404, `Planning ${String(body.planning_id)} not found`);
      let rows = dataset.tables[`planning-results.${String(planning.slug)}`] ?? [];
      if (Array.isArray(body.hostnames) && body.hostnames.length) rows = rows.filter((r) => (body.hostnames as unknown[]).includes(r.hostname));
      if (body.unique_results) {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const { timestamp: _t, ...rest } = r;
          const k = JSON.stringify(rest);
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      }
      // Result rows carry no id; the stored one is the stand-in's handle.
      return paged(rows.map(({ id: _id, ...r }) => r as SourceRow), body.offset, body.limit);
    }
    return refuse(404, 'Not Found');
  });
  return { ...server, dataset: watchDataset(dataset, () => undefined), invalidate: () => undefined };
}
