// Nautobot 2.4 REST stand-in (a test double): the read side of /api/ with ?depth,
// exclude_m2m, strict filtering and API version negotiation, over a mutable dataset.
import { renderNautobot } from '../dataset/render-nautobot.js';
import { applyFilters } from '../rest-common/filters.js';
import { startRestServer, type Reply } from '../rest-common/http-server.js';
import { TableIndex, tablePath } from '../rest-common/model-spec.js';
import { paginate } from '../rest-common/pagination.js';
import { cachedText, pageJson, RawJson, RenderCache } from '../rest-common/render-cache.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { NAUTOBOT_MODELS, NAUTOBOT_MODEL_BY_TABLE } from './models.js';
import { serialize } from './serialize.js';

/** The release the stand-in was checked against (tests/peers/nautobot, tests/fixtures/nautobot-real). */
export const NAUTOBOT_VERSION = '2.4.44';
const PYTHON_VERSION = '3.12.1';
export const NAUTOBOT_API_VERSIONS = ['2.0', '2.1', '2.2', '2.3', '2.4'] as const;
const MAX_DEPTH = 10;
/** Fields a list leaves out unless `?include=` names them (empty here: no config contexts,
 *  computed fields or relationships are defined). */
const OPT_IN_FIELDS = ['config_context', 'computed_fields', 'relationships'] as const;

export type NautobotStandinOptions = SourceStandinOptions;
export type NautobotStandin = SourceStandin;

/** DRF's TokenAuthentication as Nautobot subclasses it: another scheme is no credentials at all,
 *  and a wrong key says "Invalid token" without DRF's full stop. */
function authenticate(header: string | undefined, token: string): Reply | undefined {
  const parts = (header ?? '').trim().split(/\s+/).filter(Boolean);
  const denied = (detail: string): Reply => ({ status: 403, body: { detail } });
  if (parts.length === 0 || (parts[0] ?? '').toLowerCase() !== 'token') return denied('Authentication credentials were not provided.');
  if (parts.length === 1) return denied('Invalid token header. No credentials provided.');
  if (parts.length > 2) return denied('Invalid token header. Token string should not contain spaces.');
  return parts[1] === token ? undefined : denied('Invalid token');
}

/** Nautobot's answer to an unhandled exception in an API view (here: its depth assertions). */
function serverError(message: string): Reply {
  return {
    status: 500,
    body: { error: message, exception: 'AssertionError', nautobot_version: NAUTOBOT_VERSION, python_version: PYTHON_VERSION },
  };
}

/** `?depth=` as Nautobot reads it: not an integer means the default, out of range is a 500. */
function parseDepth(raw: string | null): number | Reply {
  if (raw === null || !/^\s*[-+]?\d+\s*$/.test(raw)) return 0;
  const depth = Number(raw);
  if (depth < 0) return serverError("'depth' may not be negative.");
  if (depth > MAX_DEPTH) return serverError(`'depth' may not be greater than ${MAX_DEPTH}.`);
  return depth;
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** `Accept: application/json; version=2.1` or `?api_version=2.1`; undefined = default (newest). */
function requestedVersion(accept: string | undefined, url: URL): { version: string; from: 'query' | 'accept' } | undefined {
  const fromQuery = url.searchParams.get('api_version');
  if (fromQuery) return { version: fromQuery, from: 'query' };
  const m = /version\s*=\s*([^\s;,]+)/i.exec(accept ?? '');
  return m?.[1] ? { version: m[1], from: 'accept' } : undefined;
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
    const asked = requestedVersion(req.headers.accept, url);
    const version = asked?.version ?? newest;
    const headers = { 'API-Version': version };
    if (asked && !(NAUTOBOT_API_VERSIONS as readonly string[]).includes(version)) {
      // DRF's versioning errors: 406 for the Accept header, 404 for the query parameter; no API-Version header.
      const where = asked.from === 'accept' ? 'in "Accept" header' : 'in query parameter';
      return {
        status: asked.from === 'accept' ? 406 : 404,
        body: { detail: `Invalid version "${version}" ${where}. Supported versions are: ${NAUTOBOT_API_VERSIONS.join(', ')}` },
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
        plugins: {}, 'python-version': PYTHON_VERSION,
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
    const depth = parseDepth(q.get('depth'));
    if (typeof depth !== 'number') return depth;
    const include = new Set(q.getAll('include').flatMap((v) => v.split(',')).map((v) => v.trim()));
    // Nautobot 2.x includes many-to-many fields unless exclude_m2m is truthy.
    const includeM2m = !/^(true|1|yes|on)$/i.test(q.get('exclude_m2m') ?? '');
    const optIn = OPT_IN_FIELDS.filter((f) => include.has(f));
    const ctx = { base, lookup: index, includeM2m, optIn, rendered: cache.nestedFor(base) };
    const texts = cache.textsFor(`${base} ${table} ${depth} ${includeM2m} ${optIn.join(',')}`);
    const render = (row: SourceRow): string => cachedText(texts, row, (r) => serialize(r, spec, depth, false, ctx));

    if (parts.length === 4) {
      const row = index.get(table, parts[3] ?? '');
      if (!row) return reply(404, { detail: 'Not found.' });
      return reply(200, new RawJson(render(row)));
    }
    const seen = cache.page(url.href);
    if (seen) return reply(200, seen);
    const badId = [...q.getAll('id'), ...q.getAll('id__n')].some((v) => !UUID_RE.test(v));
    if (badId) return reply(400, { id: ['Enter a valid UUID.'] });
    const { rows, unknown } = applyFilters(dataset.tables[table] ?? [], spec, q, index);
    // STRICT_FILTERING (on by default) rejects query keys that are no filter.
    if (unknown.length) return reply(400, Object.fromEntries(unknown.map((k) => [k, ['Unknown filter field']])));
    const p = paginate(rows, url, page);
    return reply(200, cache.keepPage(url.href, pageJson(p, p.results.map(render))));
  });

  return { ...server, dataset: watchDataset(dataset, invalidate), invalidate };
}
