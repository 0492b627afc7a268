// NetBox REST stand-in (a test double): the read side of /api/ as NetBox 4.1 serves it (4.5 token auth),
// over a mutable in-memory dataset.
import { renderNetbox } from '../dataset/render-netbox.js';
import { applyFilters } from '../rest-common/filters.js';
import { startRestServer, type Reply } from '../rest-common/http-server.js';
import { TableIndex, tablePath } from '../rest-common/model-spec.js';
import { paginate } from '../rest-common/pagination.js';
import { cachedText, pageJson, RawJson, RenderCache } from '../rest-common/render-cache.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { NETBOX_MODELS, NETBOX_MODEL_BY_TABLE } from './models.js';
import { brief, full, type NetboxRenderContext } from './serialize.js';

export const NETBOX_VERSION = '4.1.11';

export type StandinOptions = SourceStandinOptions;
export type Standin = SourceStandin;


const V2_PREFIX = 'nbt_';
const NO_CREDENTIALS: Reply = { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
const denied = (detail: string): Reply => ({ status: 403, body: { detail } });

/** NetBox 4.5 token authentication (v2 tokens appeared there; the object shapes stay 4.1's).
 *  `Token` and `Bearer` are both accepted keywords and the version comes from the value:
 *  `nbt_<key>.<secret>` is a v2 token whichever keyword carries it, anything else is a v1
 *  token. The stand-in knows one token, `token`: v2 when it starts with `nbt_`. */
function authenticate(header: string | undefined, token: string): Reply | undefined {
  const parts = header?.trim().split(/\s+/) ?? [];
  const keyword = parts[0]?.toLowerCase();
  if (keyword !== 'token' && keyword !== 'bearer') return NO_CREDENTIALS;
  if (parts.length !== 2) {
    return denied('Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"');
  }
  const value = parts[1] ?? '';
  if (!value.startsWith(V2_PREFIX)) return value === token && !token.startsWith(V2_PREFIX) ? undefined : denied('Invalid v1 token');
  const dot = value.indexOf('.');
  if (dot < 0) {
    return denied("Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?");
  }
  return token.startsWith(V2_PREFIX) && value === token ? undefined : denied('Invalid v2 token');
}

export async function startNetboxStandin(opts: StandinOptions): Promise<Standin> {
  const dataset = await loadSource(opts.dataset, 'netbox', renderNetbox);
  const token = opts.token ?? 'standin-token';
  const index = new TableIndex(dataset.tables);
  const cache = new RenderCache();
  const invalidate = (): void => {
    cache.clear();
    index.reset();
  };
  const page = { defaultLimit: opts.defaultPageSize ?? 50, maxPageSize: opts.maxPageSize ?? 1000, capDefault: true };
  const apps = [...new Set(NETBOX_MODELS.map((m) => m.table.split('.')[0] ?? ''))].sort();

  const server = await startRestServer(opts, ({ req, url }) => {
    const denied = authenticate(req.headers.authorization, token);
    if (denied) return denied;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { status: 405, body: { detail: `Method "${req.method ?? ''}" not allowed.` } };
    }
    const base = url.origin;
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'api') return { status: 404, body: { detail: 'Not found.' } };
    if (parts.length === 1) {
      return { status: 200, body: Object.fromEntries([...apps, 'status'].sort().map((a) => [a, `${base}/api/${a}/`])) };
    }
    if (parts[1] === 'status' && parts.length === 2) {
      return {
        status: 200,
        body: {
          'django-version': '5.0.9', 'installed-apps': {}, 'netbox-version': NETBOX_VERSION,
          'netbox-full-version': `${NETBOX_VERSION}`, plugins: {}, 'python-version': '3.12.3', 'rq-workers-running': 1,
        },
      };
    }
    if (parts.length === 2) {
      const models = NETBOX_MODELS.filter((m) => m.table.startsWith(`${parts[1] ?? ''}.`));
      if (models.length === 0) return { status: 404, body: { detail: 'Not found.' } };
      return { status: 200, body: Object.fromEntries(models.map((m) => [m.table.split('.')[1], `${base}/api/${tablePath(m.table)}/`])) };
    }
    const table = `${parts[1] ?? ''}.${parts[2] ?? ''}`;
    const spec = NETBOX_MODEL_BY_TABLE.get(table);
    if (!spec || parts.length > 4) return { status: 404, body: { detail: 'Not found.' } };
    const rows = dataset.tables[table] ?? [];
    const ctx: NetboxRenderContext = { base, lookup: index, briefs: cache.nestedFor(base) };
    const q = url.searchParams;
    // `exclude=config_context` (NetBox up to 4.6) and `omit=<fields>` (4.5 on) both leave fields out.
    const omit = new Set([...q.getAll('exclude'), ...q.getAll('omit')].flatMap((v) => v.split(',')).filter(Boolean));
    const onlyList = q.getAll('fields').flatMap((v) => v.split(',')).filter(Boolean);
    const only = onlyList.length ? new Set(onlyList) : undefined;
    const isBrief = /^(true|1)$/i.test(q.get('brief') ?? '');
    const variant = isBrief
      ? `${base} ${table} brief`
      : `${base} ${table} -${[...omit].sort().join(',')} +${only ? [...only].sort().join(',') : '*'}`;
    const texts = cache.textsFor(variant);
    const render = (row: SourceRow): string =>
      cachedText(texts, row, (r) => (isBrief ? brief(r, spec, ctx) : full(r, spec, ctx, { omit, only })));

    if (parts.length === 4) {
      const row = index.get(table, /^\d+$/.test(parts[3] ?? '') ? Number(parts[3]) : (parts[3] ?? ''));
      if (!row) return { status: 404, body: { detail: 'Not found.' } };
      return { status: 200, body: new RawJson(render(row)) };
    }
    // NetBox ignores query keys it has no filter for.
    const seen = cache.page(url.href);
    if (seen) return { status: 200, body: seen };
    const { rows: matched } = applyFilters(rows, spec, q, index);
    const p = paginate(matched, url, page);
    return { status: 200, body: cache.keepPage(url.href, pageJson(p, p.results.map(render))) };
  }, { 'API-Version': NETBOX_VERSION.split('.').slice(0, 2).join('.') });

  return { ...server, dataset: watchDataset(dataset, invalidate), invalidate };
}
