// IP Fabric as a source, after infrahub-sync's `ipfabricsync` adapter (the ipfabric SDK's
// fetch_all): a model's `mapping` is a table path (`tables/inventory/devices`), each row a record.
// - Connection: GET /api/version tells the API version; before 7.5 tables live under
//   /api/v<major.minor>/, from 7.5 under /api/. The token goes in X-API-Token; GET users/me
//   checks it before anything is read.
// - Snapshot: `snapshot_id` ($last by default, $prev, $lastLocked, an id or a name) is resolved
//   against tables/management/snapshots to a loaded snapshot, once, so every table of a run is
//   read from the same snapshot even if a new one finishes meanwhile.
// - Rows: POST /tables/... with every column of the table (table-columns.ts, as the SDK asks;
//   for a table it does not list, the mapped ones), the snapshot, upstream's filters for three
//   tables (no empty platform, model or part name), and `pagination`; `_meta.count` from the first
//   page, the other pages in parallel.
// - As upstream, a field named `speed` takes the column's value divided by 1000.
// References resolve as upstream's build_mapping does (shared/mapping/source-traits.ts).
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { ipfabricSettingsSchema, type IpfabricSettings } from './settings.js';
import { TABLE_COLUMNS } from './table-columns.js';

const SYSTEM = 'ipfabricsync';

/** upstream's ipf_filters */
const TABLE_FILTERS: Readonly<Record<string, unknown>> = {
  'tables/inventory/summary/platforms': { and: [{ platform: ['empty', false] }] },
  'tables/inventory/summary/models': { and: [{ model: ['empty', false] }] },
  'tables/inventory/pn': { and: [{ name: ['empty', false] }] },
};

interface Snapshot {
  id: string;
  name?: string | null;
  status?: string;
  finishStatus?: string;
  loading?: boolean;
  locked?: boolean;
  tsEnd?: number;
}

interface TableAnswer {
  data?: Record<string, unknown>[];
  _meta?: { count?: number };
}

function versionNumber(v: string | number): [number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(String(v).trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

export class IpfabricAdapter implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: IpfabricSettings;
  private readonly root: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;
  private readonly snapshotRef: string;
  private ready?: Promise<{ api: URL; snapshot: Snapshot }>;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    const s = parseSettings(SYSTEM, ipfabricSettingsSchema, config.settings);
    this.settings = s;
    // As upstream: the settings first, the environment when they leave a value out.
    const urlEnv = s.base_url ? undefined : fromEnv(ctx.env, ['IPF_URL']);
    const rawUrl = s.base_url ?? urlEnv?.value;
    const token = s.auth ?? fromEnv(ctx.env, ['IPF_TOKEN'])?.value;
    if (!rawUrl || !token) {
      throw new ConfigError(`${SYSTEM}: both base_url and auth must be set, in the settings or as IPF_URL and IPF_TOKEN`);
    }
    this.root = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.base_url');
    this.snapshotRef = s.snapshot_id ?? fromEnv(ctx.env, ['IPF_SNAPSHOT'])?.value ?? '$last';
    const verifyEnv = fromEnv(ctx.env, ['IPF_VERIFY'])?.value;
    const verify = s.verify ?? (verifyEnv === undefined ? true : !['0', 'false', 'no'].includes(verifyEnv.toLowerCase()));
    this.client = restClient(
      SYSTEM,
      { timeout: s.timeout, verify_ssl: verify, retries: s.retries, retry_base_ms: s.retry_base_ms, concurrency: s.concurrency },
      { headers: { 'x-api-token': token }, secrets: [token], logger: ctx.logger },
    );
    this.limit = pLimit(s.concurrency);
  }

  async open(): Promise<void> {
    await this.connect();
  }

  /** The snapshot the run reads (resolved once). */
  async snapshot(): Promise<Snapshot> {
    return (await this.connect()).snapshot;
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    if (req.side !== 'source') throw new ConfigError(`${SYSTEM} is a source only; it cannot be a destination`);
    const { api, snapshot } = await this.connect();
    const table = req.path.replace(/^\/+|\/+$/g, '');
    const known = TABLE_COLUMNS[table];
    const wanted = [...new Set(['id', ...req.fields.map((f) => f.path.split('.')[0] ?? f.path)])];
    // Every column of a known table, as the SDK asks: a reference is resolved from the row's
    // columns the *peer* maps (a managed IP names its interface by hostname and intName), which
    // this mapping does not name. A table the list does not know gets the mapped columns.
    const columns = known ? [...known] : wanted;
    const missing = known ? wanted.filter((c) => !known.includes(c)) : [];
    if (missing.length) {
      this.logger.warn(`${SYSTEM}: ${table} has no column ${missing.join(', ')}; the mapping reads it as empty`, { table });
    }
    const size = this.settings.page_size;
    const page = async (start: number): Promise<TableAnswer> => {
      const body = { columns, snapshot: snapshot.id, pagination: { start, limit: size }, ...(TABLE_FILTERS[table] ? { filters: TABLE_FILTERS[table] } : {}) };
      const res = await this.client.sendJson('POST', new URL(table, api), body, this.limit, undefined, true);
      const answer = res.body as TableAnswer | null;
      if (!answer || !Array.isArray(answer.data)) throw new AdapterError(SYSTEM, `${table}: the answer has no data list`);
      return answer;
    };
    const first = await page(0);
    const total = Number(first._meta?.count ?? first.data?.length ?? 0);
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, Math.ceil(total / size) - 1) }, (_, i) => page((i + 1) * size).then((a) => a.data ?? [])),
    );
    const rows = [first.data ?? [], ...rest].flat();
    req.onProgress?.(rows.length, total);
    // upstream: "if field.name == 'speed': value / 1000"
    const speedPaths = req.fields.filter((f) => f.name === 'speed' && !f.path.includes('.')).map((f) => f.path);
    const shared = new Set(req.fields.filter((f) => f.name !== 'speed').map((f) => f.path));
    return rows.map((r, i) => {
      const out: RawRecord = { ...r, id: r.id ?? String(i) };
      for (const p of speedPaths) if (!shared.has(p) && typeof out[p] === 'number') out[p] = (out[p] as number) / 1000;
      return out;
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private connect(): Promise<{ api: URL; snapshot: Snapshot }> {
    this.ready ??= (async () => {
      const rootDir = this.root.href.endsWith('/') ? this.root.href : `${this.root.href}/`;
      const version = await this.client.getJson(new URL('api/version', rootDir), this.limit);
      const server = versionNumber(String((version.body as { apiVersion?: string } | null)?.apiVersion ?? ''));
      if (!server) throw new AdapterError(SYSTEM, `${this.root.host}/api/version did not give an API version; is this IP Fabric?`);
      const major = server[0];
      let minor = server[1];
      const wanted = this.settings.api_version === undefined ? undefined : versionNumber(this.settings.api_version);
      if (wanted) {
        if (wanted[0] !== major) throw new ConfigError(`${SYSTEM}: api_version ${String(this.settings.api_version)} does not match the server's major version ${major}`);
        if (wanted[1] < minor) minor = wanted[1];
      }
      const path = major > 7 || (major === 7 && minor >= 5) ? 'api/' : `api/v${major}.${minor}/`;
      const api = new URL(path, rootDir);
      await this.client.getJson(new URL('users/me', api), this.limit);
      return { api, snapshot: await this.resolveSnapshot(api) };
    })();
    return this.ready;
  }

  private async resolveSnapshot(api: URL): Promise<Snapshot> {
    const res = await this.client.sendJson(
      'POST',
      new URL('tables/management/snapshots', api),
      {
        columns: ['id', 'name', 'status', 'finishStatus', 'loading', 'locked', 'tsEnd'],
        sort: { order: 'desc', column: 'tsEnd' },
        pagination: { start: 0, limit: 1000 },
      },
      this.limit,
      undefined,
      true,
    );
    const all = ((res.body as TableAnswer | null)?.data ?? []) as unknown as Snapshot[];
    const loaded = all.filter((s) => s.status === 'done' && s.finishStatus === 'done' && s.loading !== true);
    const ref = this.snapshotRef;
    let found: Snapshot | undefined;
    if (ref === '$last') found = loaded[0];
    else if (ref === '$prev') found = loaded[1];
    else if (ref === '$lastLocked') found = loaded.find((s) => s.locked);
    else {
      const named = all.find((s) => s.id === ref) ?? all.find((s) => s.name === ref);
      if (named && !loaded.includes(named)) throw new AdapterError(SYSTEM, `snapshot ${ref} is not loaded (status ${String(named.status)}); load it in IP Fabric or choose another`);
      found = named;
    }
    if (!found) {
      throw new AdapterError(SYSTEM, `no snapshot matches snapshot_id ${ref} (${loaded.length} loaded of ${all.length})`);
    }
    this.logger.info(`${SYSTEM}: reading snapshot ${found.id}${found.name ? ` (${found.name})` : ''}`, { snapshot: found.id });
    return found;
  }
}

export const createIpfabricAdapter: AdapterFactory = (config, ctx) => new IpfabricAdapter(config, ctx);
