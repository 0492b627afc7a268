// NetBox 4.1 REST stand-in (a test double): the read side of /api/ as NetBox serves it,
// over a mutable in-memory dataset.
import type { Dataset } from '../dataset/types.js';
import { renderNetbox } from '../dataset/render-netbox.js';
import { applyFilters } from '../rest-common/filters.js';
import { startRestServer, tokenFrom, type Counters, type Reply, type RestStandinOptions } from '../rest-common/http-server.js';
import { TableIndex, tablePath } from '../rest-common/model-spec.js';
import { paginate } from '../rest-common/pagination.js';
import { cachedText, pageJson, RawJson, RenderCache } from '../rest-common/render-cache.js';
import { loadSource, type SourceDataset, type SourceRow } from '../rest-common/source-dataset.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { NETBOX_MODELS, NETBOX_MODEL_BY_TABLE } from './models.js';
import { brief, full, type NetboxRenderContext } from './serialize.js';

export const NETBOX_VERSION = '4.1.11';

export interface StandinOptions extends RestStandinOptions {
  /** A neutral dataset, an already rendered NetBox dataset, or a directory written by `npm run dataset`. */
  dataset: Dataset | SourceDataset | string;
}

export interface Standin {
  url: string;
  stop(): Promise<void>;
  counters: Counters;
  resetCounters(): void;
  /** What is served; mutate rows (or push new ones) and the next request sees it. */
  dataset: SourceDataset;
  /** Drop rendered JSON; only needed after changing a SourceDataset passed in as `dataset`
   *  directly rather than through this `dataset` view. */
  invalidate(): void;
}


function authenticate(header: string | undefined, token: string): Reply | undefined {
  const t = tokenFrom(header);
  if (!t) return { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
  if (t.scheme === 'token' && t.credential === token) return undefined;
  // v2 tokens: `Bearer nbt_<key>.<secret>`; the stand-in checks the secret part (or the whole value).
  if (t.scheme === 'bearer' && t.credential.startsWith('nbt_')) {
    const secret = t.credential.slice(t.credential.indexOf('.') + 1);
    if (secret === token || t.credential === token) return undefined;
  }
  return { status: 403, body: { detail: 'Invalid token' } };
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
  const page = { defaultLimit: opts.defaultPageSize ?? 50, maxPageSize: opts.maxPageSize ?? 1000 };
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
    const omit = new Set(q.getAll('exclude').flatMap((v) => v.split(',')).filter(Boolean));
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
