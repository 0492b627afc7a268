// Slurp'it as a source, after infrahub-sync's `slurpitsync` adapter (the slurpit SDK). A model's
// `mapping` names what to read:
// - `device.get_devices`, `site.get_sites` (an SDK call: GET /api/devices, /api/sites);
// - `planning_results.<slug>`: the planning with that slug (GET /api/planning), its unique results
//   (POST /api/planning/search with planning_id and unique_results);
// - `unique_vendors`, `unique_device_type`: the distinct brands, and (brand, device_type,
//   device_os), of the devices;
// - `filter_networks`, `filter_interfaces`: the routing-table and interfaces plannings, normalised
//   (networks.ts).
// The API key goes as `Authorization: Bearer <key>` (SDK 0.9); lists are paged by offset/limit
// (the SDK's `_pager`), pages after the first in parallel here. A row without an id (planning
// results) gets its position. Records whose referenced peer is not loaded are left out and
// repeated keys keep the first row, as upstream (shared/mapping/source-traits.ts).
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { filterInterfaces, filterNetworks } from './networks.js';
import { slurpitSettingsSchema, type SlurpitSettings } from './settings.js';

const SYSTEM = 'slurpitsync';
type Row = Record<string, unknown>;

/** The SDK calls a `<app>.<method>` mapping may name, and the list each reads. */
const SDK_CALLS: Readonly<Record<string, string>> = {
  'device.get_devices': 'devices',
  'site.get_sites': 'sites',
  'planning.get_plannings': 'planning',
  'tag.get_tags': 'tags',
};

export class SlurpitAdapter implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: SlurpitSettings;
  private readonly api: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly cache = new Map<string, Promise<Row[]>>();

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    const s = parseSettings(SYSTEM, slurpitSettingsSchema, config.settings);
    this.settings = s;
    const urlEnv = s.url ? undefined : fromEnv(ctx.env, ['SLURPIT_URL']);
    const rawUrl = s.url ?? urlEnv?.value;
    const key = s.api_key ?? fromEnv(ctx.env, ['SLURPIT_API_KEY'])?.value;
    if (!rawUrl || !key) throw new ConfigError(`${SYSTEM}: url and api_key must be set (in the settings, or SLURPIT_URL / SLURPIT_API_KEY)`);
    const root = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
    this.api = new URL(`${root.pathname.replace(/\/+$/, '')}/api/`, root);
    this.client = restClient(
      SYSTEM,
      { timeout: s.timeout, verify_ssl: s.verify, retries: s.retries, retry_base_ms: s.retry_base_ms, concurrency: s.concurrency },
      { headers: { authorization: `Bearer ${key}` }, secrets: [key], logger: ctx.logger },
    );
    this.limit = pLimit(s.concurrency);
  }

  /** upstream checks the connection by reading the devices. */
  async open(): Promise<void> {
    await this.list('devices');
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    if (req.side !== 'source') throw new ConfigError(`${SYSTEM} is a source only; it cannot be a destination`);
    const rows = await this.resource(req.path.trim());
    req.onProgress?.(rows.length, rows.length);
    return rows.map((r, i) => ({ ...r, id: r.id === undefined || r.id === null ? String(i) : r.id }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async resource(mapping: string): Promise<Row[]> {
    if (mapping.startsWith('planning_results.')) return this.planningResults(mapping.slice('planning_results.'.length));
    switch (mapping) {
      case 'unique_vendors': {
        const brands = new Set((await this.list('devices')).map((d) => d.brand));
        return [...brands].map((brand) => ({ brand }));
      }
      case 'unique_device_type': {
        const seen = new Map<string, Row>();
        for (const d of await this.list('devices')) {
          const row = { brand: d.brand, device_type: d.device_type, device_os: d.device_os };
          seen.set(JSON.stringify(row), row);
        }
        return [...seen.values()];
      }
      case 'filter_networks':
        return filterNetworks(await this.planningResults('routing-table'));
      case 'filter_interfaces': {
        const [interfaces, routes] = await Promise.all([this.planningResults('interfaces'), this.planningResults('routing-table')]);
        return filterInterfaces(interfaces, filterNetworks(routes));
      }
      default: {
        const path = SDK_CALLS[mapping];
        if (path) return this.list(path);
        throw new ConfigError(
          `${SYSTEM}: mapping "${mapping}" is not one this adapter reads (${[...Object.keys(SDK_CALLS), 'planning_results.<slug>', 'unique_vendors', 'unique_device_type', 'filter_networks', 'filter_interfaces'].join(', ')})`,
        );
      }
    }
  }

  private planningResults(slug: string): Promise<Row[]> {
    return this.cached(`planning:${slug}`, async () => {
      const planning = (await this.list('planning')).find((p) => p.slug === slug);
      if (!planning) throw new AdapterError(SYSTEM, `no planning found for name: ${slug}`);
      return this.pages('planning/search', { planning_id: Number(planning.id), unique_results: true });
    });
  }

  private list(path: string): Promise<Row[]> {
    return this.cached(`list:${path}`, () => this.pages(path));
  }

  private cached(key: string, load: () => Promise<Row[]>): Promise<Row[]> {
    let p = this.cache.get(key);
    if (!p) {
      p = load();
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  /** offset/limit pages (GET query, or a POST body with `search`) until one comes back short. */
  private async pages(path: string, search?: Row): Promise<Row[]> {
    const size = this.settings.page_size;
    const page = async (offset: number): Promise<Row[]> => {
      const url = new URL(path, this.api);
      let body: unknown;
      if (search) {
        const res = await this.client.sendJson('POST', url, { ...search, offset, limit: size }, this.limit, undefined, true);
        body = res.body;
      } else {
        url.searchParams.set('offset', String(offset));
        url.searchParams.set('limit', String(size));
        body = (await this.client.getJson(url, this.limit)).body;
      }
      const rows = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
      if (!Array.isArray(rows)) throw new AdapterError(SYSTEM, `${path}: the answer is not a list of rows`);
      return rows as Row[];
    };
    const out: Row[] = [];
    // The API gives no total: pages go out `concurrency` at a time until one is short.
    for (let offset = 0; ; ) {
      const batch = await Promise.all(Array.from({ length: this.settings.concurrency }, (_, i) => page(offset + i * size)));
      for (const rows of batch) out.push(...rows);
      const short = batch.findIndex((rows) => rows.length < size);
      if (short >= 0) {
        // Pages after a short one are past the end; drop whatever they held (nothing, normally).
        out.length = out.length - batch.slice(short + 1).reduce((n, rows) => n + rows.length, 0);
        return out;
      }
      offset += batch.length * size;
    }
  }
}

export const createSlurpitAdapter: AdapterFactory = (config, ctx) => new SlurpitAdapter(config, ctx);
