// Nautobot 2.4 REST stand-in (a test double): the read side of /api/ with ?depth,
// exclude_m2m, strict filtering and API version negotiation, over a mutable dataset.
import { renderNautobot } from '../dataset/render-nautobot.js';
import { applyFilters } from '../rest-common/filters.js';
import { startRestServer, tokenFrom, type Reply } from '../rest-common/http-server.js';
import { TableIndex, tablePath } from '../rest-common/model-spec.js';
import { paginate } from '../rest-common/pagination.js';
import { cachedText, pageJson, RawJson, RenderCache } from '../rest-common/render-cache.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { NAUTOBOT_MODELS, NAUTOBOT_MODEL_BY_TABLE } from './models.js';
import { serialize } from './serialize.js';

export const NAUTOBOT_VERSION = '2.4.36';
export const NAUTOBOT_API_VERSIONS = ['2.0', '2.1', '2.2', '2.3', '2.4'] as const;
const MAX_DEPTH = 10;

export type NautobotStandinOptions = SourceStandinOptions;
export type NautobotStandin = SourceStandin;

function authenticate(header: string | undefined, token: string): Reply | undefined {
  const t = tokenFrom(header);
  if (!t) return { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
  if (t.scheme === 'token' && t.credential === token) return undefined;
  return { status: 403, body: { detail: 'Invalid token.' } };
}

/** `Accept: application/json; version=2.1` or `?api_version=2.1`; undefined = default (newest). */
function requestedVersion(accept: string | undefined, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('api_version');
  if (fromQuery) return fromQuery;
  const m = /version\s*=\s*([0-9.]+)/i.exec(accept ?? '');
  return m?.[1];
}

export async function startNautobotStandin(opts: NautobotStandinOptions): Promise<NautobotStandin> {
  const dataset = await loadSource(opts.dataset, 'nautobot', renderNautobot);
  const token = opts.token ?? 'standin-token';
  const index = new TableIndex(dataset.tables);
  const cache = new RenderCache();
  const invalidate = (): void => {
    cache.clear();
    index.reset();
  };
  const page = { defaultLimit: opts.defaultPageSize ?? 50, maxPageSize: opts.maxPageSize ?? 1000, capDefault: false };
  const apps = [...new Set(NAUTOBOT_MODELS.map((m) => m.table.split('.')[0] ?? ''))].sort();
  const newest = NAUTOBOT_API_VERSIONS[NAUTOBOT_API_VERSIONS.length - 1] as string;

  const server = await startRestServer(opts, ({ req, url }) => {
    const version = requestedVersion(req.headers.accept, url) ?? newest;
    const headers = { 'API-Version': version };
    if (!(NAUTOBOT_API_VERSIONS as readonly string[]).includes(version)) {
      return {
        status: 406,
        body: { detail: `Invalid version in "Accept" header. Supported versions are ${NAUTOBOT_API_VERSIONS.join(', ')}` },
        headers: { 'API-Version': newest },
      };
    }
    const reply = (status: number, body: unknown): Reply => ({ status, body, headers });
    const denied = authenticate(req.headers.authorization, token);
    if (denied) return { ...denied, headers };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { detail: `Method "${req.method ?? ''}" not allowed.` });

    const base = url.origin;
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'api') return reply(404, { detail: 'Not found.' });
    if (parts.length === 1) {
      return reply(200, Object.fromEntries([...apps, 'graphql', 'plugins', 'status', 'users'].sort().map((a) => [a, `${base}/api/${a}/`])));
    }
    if (parts[1] === 'status' && parts.length === 2) {
      return reply(200, {
        'celery-workers-running': 1, 'django-version': '4.2.20', 'installed-apps': {}, 'nautobot-version': NAUTOBOT_VERSION,
        plugins: {}, 'python-version': '3.12.3',
      });
    }
    if (parts.length === 2) {
      const models = NAUTOBOT_MODELS.filter((m) => m.table.startsWith(`${parts[1] ?? ''}.`));
      if (models.length === 0) return reply(404, { detail: 'Not found.' });
      return reply(200, Object.fromEntries(models.map((m) => [m.table.split('.')[1], `${base}/api/${tablePath(m.table)}/`])));
    }
    const table = `${parts[1] ?? ''}.${parts[2] ?? ''}`;
    const spec = NAUTOBOT_MODEL_BY_TABLE.get(table);
    if (!spec || parts.length > 4) return reply(404, { detail: 'Not found.' });

    const q = url.searchParams;
    const depthRaw = q.get('depth') ?? '0';
    const depth = /^\d+$/.test(depthRaw) ? Number(depthRaw) : NaN;
    if (!(depth >= 0 && depth <= MAX_DEPTH)) {
      return reply(400, { detail: `Invalid depth: ${depthRaw}. Depth must be an integer between 0 and ${MAX_DEPTH}.` });
    }
    // Nautobot 2.x includes many-to-many fields unless exclude_m2m is truthy.
    const includeM2m = !/^(true|1|yes|on)$/i.test(q.get('exclude_m2m') ?? '');
    const ctx = { base, lookup: index, includeM2m, rendered: cache.nestedFor(base) };
    const texts = cache.textsFor(`${base} ${table} ${depth} ${includeM2m}`);
    const render = (row: SourceRow): string => cachedText(texts, row, (r) => serialize(r, spec, depth, false, ctx));

    if (parts.length === 4) {
      const row = index.get(table, parts[3] ?? '');
      if (!row) return reply(404, { detail: 'Not found.' });
      return reply(200, new RawJson(render(row)));
    }
    const seen = cache.page(url.href);
    if (seen) return reply(200, seen);
    const { rows, unknown } = applyFilters(dataset.tables[table] ?? [], spec, q, index);
    // STRICT_FILTERING (on by default) rejects query keys that are no filter.
    if (unknown.length) return reply(400, Object.fromEntries(unknown.map((k) => [k, ['Unknown filter field']])));
    const p = paginate(rows, url, page);
    return reply(200, cache.keepPage(url.href, pageJson(p, p.results.map(render))));
  });

  return { ...server, dataset: watchDataset(dataset, invalidate), invalidate };
}
