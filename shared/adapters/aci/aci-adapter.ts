// Cisco ACI (APIC) as a source. A model's `mapping` is an APIC query path under the API root
// (`class/fvTenant.json`, `class/l1PhysIf.json?query-target-filter=...`); each object of
// `imdata` (`{fvTenant: {attributes: {...}}}`) is a record. As upstream: CISCO_APIC_* variables
// win over settings, `verify` accepts strings, transforms may use `aci_device_name` (node id ->
// fabricNode name; the names are stored with the model's snapshot).
// Beyond upstream: every page of a class is read (`page`/`page-size`, pages in parallel after
// the first gives totalCount; upstream sends one unpaged query, which APIC refuses once the
// result is too big), the session is refreshed before it times out and re-established on 403,
// retries honour Retry-After, and a record's id is its DN (upstream: none but a node's id).
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { AciSession } from './session.js';
import { aciSettingsSchema, type AciSettings } from './settings.js';

const SYSTEM = 'aci';

interface ClassAnswer {
  totalCount?: string | number;
  imdata?: Record<string, { attributes?: Record<string, unknown> }>[];
}

/** An imdata object's attributes (its only key is the class name). */
function attributesOf(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const [first] = Object.values(obj);
  const attrs = (first as { attributes?: unknown } | undefined)?.attributes;
  return attrs && typeof attrs === 'object' ? (attrs as Record<string, unknown>) : undefined;
}

export class AciAdapter implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: AciSettings;
  private readonly client: JsonClient;
  readonly session: AciSession;
  private readonly limit: LimitFunction;
  private nodeNames?: Promise<Record<string, string>>;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    const s = parseSettings(SYSTEM, aciSettingsSchema, config.settings);
    this.settings = s;
    const urlEnv = fromEnv(ctx.env, ['CISCO_APIC_URL']);
    const rawUrl = urlEnv?.value ?? s.url;
    const username = fromEnv(ctx.env, ['CISCO_APIC_USERNAME'])?.value ?? s.username;
    const password = fromEnv(ctx.env, ['CISCO_APIC_PASSWORD'])?.value ?? s.password;
    if (!rawUrl) throw new ConfigError(`${SYSTEM}: url must be set (settings.url or CISCO_APIC_URL)`);
    if (!username || !password) throw new ConfigError(`${SYSTEM}: username and password must be set (settings or CISCO_APIC_USERNAME / CISCO_APIC_PASSWORD)`);
    const verifyEnv = fromEnv(ctx.env, ['CISCO_APIC_VERIFY'])?.value;
    const verify = verifyEnv === undefined ? s.verify : !['0', 'false', 'no'].includes(verifyEnv.trim().toLowerCase());
    const root = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
    const endpoint = s.api_endpoint.replace(/^\/+|\/+$/g, '');
    const base = new URL(root);
    base.pathname = `${root.pathname.replace(/\/+$/, '')}/${endpoint ? `${endpoint}/` : ''}`;
    this.client = restClient(
      SYSTEM,
      { timeout: s.timeout, verify_ssl: verify, retries: s.retries, retry_base_ms: s.retry_base_ms, concurrency: s.concurrency },
      { headers: {}, secrets: [password], logger: ctx.logger },
    );
    this.session = new AciSession(this.client, base, { username, password });
    this.limit = pLimit(s.concurrency);
  }

  /** Logs in: a wrong password or an unreachable APIC fails here, before anything is read. */
  async open(): Promise<void> {
    await this.session.get('class/topSystem.json?page=0&page-size=1', this.limit);
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    if (req.side !== 'source') throw new ConfigError(`${SYSTEM} is a source only; it cannot be a destination`);
    const objects = await this.readAll(req.path, req.onProgress);
    return objects.map((o, i) => {
      const attrs = attributesOf(o);
      const isNode = Object.hasOwn(o, 'fabricNode');
      const id = isNode ? attrs?.id : (attrs?.dn ?? i);
      return { ...o, id: String(id ?? i) };
    });
  }

  async templateData(_model: string, requests: LoadRequest[]): Promise<unknown> {
    if (!requests.some((r) => (r.expressions ?? []).some((e) => e.includes('aci_device_name')))) return undefined;
    this.nodeNames ??= this.readAll('class/fabricNode.json').then((nodes) => {
      const names: Record<string, string> = {};
      for (const n of nodes) {
        const a = attributesOf(n);
        if (a && a.id !== undefined && typeof a.name === 'string' && a.name) names[String(a.id)] = a.name;
      }
      return names;
    });
    return { nodeNames: await this.nodeNames };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Every page of a query: the first gives totalCount, the rest are fetched in parallel. */
  private async readAll(path: string, onProgress?: (n: number, total?: number) => void): Promise<Record<string, unknown>[]> {
    const size = this.settings.page_size;
    const pageUrl = (page: number): string => {
      const [p, q = ''] = path.replace(/^\/+/, '').split('?', 2);
      const params = new URLSearchParams(q);
      params.set('page', String(page));
      params.set('page-size', String(size));
      return `${p}?${params.toString()}`;
    };
    const read = async (page: number): Promise<{ total: number; items: Record<string, unknown>[] }> => {
      const res = await this.session.get(pageUrl(page), this.limit);
      const body = res.body as ClassAnswer | null;
      if (!body || !Array.isArray(body.imdata)) throw new AdapterError(SYSTEM, `${path}: the answer has no imdata list`);
      return { total: Number(body.totalCount ?? body.imdata.length), items: body.imdata };
    };
    const first = await read(0);
    const pages = Math.ceil(first.total / size);
    let loaded = first.items.length;
    onProgress?.(loaded, first.total);
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, pages - 1) }, (_, i) =>
        read(i + 1).then((r) => {
          loaded += r.items.length;
          onProgress?.(loaded, first.total);
          return r.items;
        }),
      ),
    );
    return [first.items, ...rest].flat();
  }
}

export const createAciAdapter: AdapterFactory = (config, ctx) => new AciAdapter(config, ctx);
