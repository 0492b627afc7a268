// Peering Manager REST stand-in (a test double): the /api/ of Peering Manager 1.9.7 for the
// objects infrahub-sync's examples use (autonomous systems, communities, routing policies,
// BGP groups, internet exchanges, connections, routers), read and write, over a mutable
// in-memory dataset. Token authentication, DRF limit/offset pagination, django-filter
// filters (unknown keys ignored), APPEND_SLASH redirects, DRF validation errors.
import { renderPeeringManager } from '../dataset/render-peering-manager.js';
import { applyFilters } from '../rest-common/filters.js';
import { readBody, startRestServer, type Reply, type RestStandinOptions } from '../rest-common/http-server.js';
import { TableIndex } from '../rest-common/model-spec.js';
import { paginate } from '../rest-common/pagination.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { PM_MODELS, PM_MODEL_BY_PATH } from './models.js';
import { full, type PmRenderContext } from './serialize.js';
import { deleteRow, writeRow, type WriteContext } from './writes.js';

export const PEERING_MANAGER_VERSION = '1.9.7';

export interface PeeringManagerStandinOptions extends SourceStandinOptions {
  /** LOGIN_REQUIRED (Peering Manager's default is false: anonymous reads are allowed). */
  loginRequired?: boolean;
  /** A token that authenticates but may not write (Token.write_enabled = false). */
  readOnlyToken?: string;
}

export interface PeeringManagerStandin extends SourceStandin {
  /** Writes accepted so far, by method (POST/PUT/PATCH/DELETE). */
  writes: Record<string, number>;
}

const NOT_FOUND: Reply = { status: 404, body: { detail: 'Not found.' } };
const NO_CREDENTIALS: Reply = { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function startPeeringManagerStandin(opts: PeeringManagerStandinOptions): Promise<PeeringManagerStandin> {
  const dataset = await loadSource(opts.dataset, 'peeringmanager', renderPeeringManager);
  const token = opts.token ?? 'standin-token';
  const index = new TableIndex(dataset.tables);
  const page = { defaultLimit: opts.defaultPageSize ?? 20, maxPageSize: opts.maxPageSize ?? 1000, capDefault: false };
  const apps = [...new Set(PM_MODELS.map((m) => m.path.split('/')[0] ?? ''))].sort();
  const writes: Record<string, number> = {};
  const wctx: WriteContext = { tables: dataset.tables, index, now: () => new Date().toISOString().replace('Z', '000Z') };

  const server = await startRestServer(opts, async ({ req, url }) => {
    const method = req.method ?? 'GET';
    // DRF TokenAuthentication behind SessionAuthentication: a bad token is a 403, not a 401.
    const auth = /^Token\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
    if (auth && auth[1] !== token && auth[1] !== opts.readOnlyToken) return { status: 403, body: { detail: 'Invalid token' } };
    const authenticated = auth !== null;
    if (!authenticated && (opts.loginRequired || WRITE_METHODS.has(method))) return NO_CREDENTIALS;
    if (WRITE_METHODS.has(method) && auth?.[1] === opts.readOnlyToken) {
      return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    }
    // Django's APPEND_SLASH: the API's URLs all end in a slash.
    if (!url.pathname.endsWith('/')) {
      return { status: 301, body: undefined, headers: { Location: `${url.pathname}/${url.search}` } };
    }
    const base = url.origin;
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'api') return NOT_FOUND;
    if (parts.length === 1) return { status: 200, body: Object.fromEntries([...apps, 'status'].sort().map((a) => [a, `${base}/api/${a}/`])) };
    if (parts[1] === 'status' && parts.length === 2) {
      return {
        status: 200,
        body: { 'django-version': '5.0.8', 'installed-apps': {}, 'peering-manager-version': PEERING_MANAGER_VERSION, 'python-version': '3.12.3', 'rq-workers-running': 1 },
      };
    }
    if (parts.length === 2) {
      const models = PM_MODELS.filter((m) => m.path.startsWith(`${parts[1] ?? ''}/`));
      if (models.length === 0) return NOT_FOUND;
      return { status: 200, body: Object.fromEntries(models.map((m) => [m.path.split('/')[1], `${base}/api/${m.path}/`])) };
    }
    const m = PM_MODEL_BY_PATH.get(`${parts[1] ?? ''}/${parts[2] ?? ''}`);
    if (!m || parts.length > 4) return NOT_FOUND;
    const ctx: PmRenderContext = { base, lookup: index };
    const rows = dataset.tables[m.table] ?? [];

    if (parts.length === 3) {
      if (method === 'GET' || method === 'HEAD') {
        const { rows: matched } = applyFilters(rows, m, url.searchParams, index);
        const p = paginate(matched, url, page);
        return { status: 200, body: { ...p, results: p.results.map((r) => full(r, m, ctx)) } };
      }
      if (method !== 'POST') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      const parsed = await parseJson(req);
      if ('reply' in parsed) return parsed.reply;
      const r = writeRow(m, parsed.body, undefined, false, wctx);
      if (r.errors) return { status: 400, body: r.errors };
      index.reset();
      writes.POST = (writes.POST ?? 0) + 1;
      return { status: 201, body: full(r.row as SourceRow, m, ctx) };
    }

    const pk = /^\d+$/.test(parts[3] ?? '') ? Number(parts[3]) : NaN;
    const row = Number.isInteger(pk) ? index.get(m.table, pk) : undefined;
    if (!row) return NOT_FOUND;
    if (method === 'GET' || method === 'HEAD') return { status: 200, body: full(row, m, ctx) };
    if (method === 'DELETE') {
      deleteRow(m, row, wctx);
      writes.DELETE = (writes.DELETE ?? 0) + 1;
      return { status: 204, body: undefined };
    }
    if (method !== 'PUT' && method !== 'PATCH') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
    const parsed = await parseJson(req);
    if ('reply' in parsed) return parsed.reply;
    const r = writeRow(m, parsed.body, row, method === 'PATCH', wctx);
    if (r.errors) return { status: 400, body: r.errors };
    index.reset();
    writes[method] = (writes[method] ?? 0) + 1;
    return { status: 200, body: full(r.row as SourceRow, m, ctx) };
  }, { 'API-Version': PEERING_MANAGER_VERSION.split('.').slice(0, 2).join('.'), Vary: 'Accept' });

  return { ...server, dataset: watchDataset(dataset, () => index.reset()), invalidate: () => index.reset(), writes };
}

async function parseJson(req: Parameters<typeof readBody>[0]): Promise<{ body: unknown } | { reply: Reply }> {
  const type = String(req.headers['content-type'] ?? '');
  const text = await readBody(req);
  if (!/application\/json/i.test(type)) {
    return { reply: { status: 415, body: { detail: `Unsupported media type "${type}" in request.` } } };
  }
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (err) {
    return { reply: { status: 400, body: { detail: `JSON parse error - ${(err as Error).message}` } } };
  }
}

export type { RestStandinOptions };
