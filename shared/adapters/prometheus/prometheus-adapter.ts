// Prometheus as a source, in infrahub-sync's two modes:
// - scrape: one GET of a text exposition endpoint (node_exporter's /metrics); a model's
//   `mapping` names a metric, each sample is a record.
// - api: PromQL instant queries (GET /api/v1/query?query=...), one per resource of
//   `settings.promql.resources`; a model's `mapping` names a resource, each series is a record.
// Records are `{id, __metric__, labels, value, timestamp, help, type}`; `id` is upstream's local
// id, the metric name and its sorted labels. Transforms may call `lookup()` to join another
// metric of the same scrape (shared/mapping/extensions/prometheus-lookup.ts): the samples it
// needs are stored with the model's snapshot (templateData).
// Beyond upstream: retries with backoff honouring Retry-After, queries in flight bounded, the
// scrape fetched once per run step instead of once per model, clear errors for a mapping that
// names no metric or resource.
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { PromSample } from '../../mapping/extensions/prometheus-lookup.js';
import { setOwn } from '../../own.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { parseExposition, promNumber } from './exposition.js';
import { prometheusSettingsSchema, type PrometheusSettings } from './settings.js';

const SYSTEM = 'prometheus';
const TEXT_ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** upstream's _derive_identifier_key: `name|k=v,...` over sorted label names. */
export function sampleId(s: PromSample): string {
  const names = Object.keys(s.labels).sort();
  const key = names.map((k) => `${k}=${s.labels[k] ?? ''}`).join(',');
  return key ? `${s.__metric__}|${key}` : s.__metric__;
}

/** Metric (or resource) names the expressions pass to lookup() as a literal; 'all' when a
 *  lookup names its metric any other way. */
export function lookupTargets(expressions: readonly string[]): Set<string> | 'all' {
  const names = new Set<string>();
  for (const e of expressions) {
    for (const m of e.matchAll(/\blookup\s*\(\s*(?:(['"])((?:(?!\1).)*)\1\s*,|())/g)) {
      if (m[2] === undefined) return 'all';
      names.add(m[2]);
    }
  }
  return names;
}

interface QueryResult {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

export class PrometheusAdapter implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: PrometheusSettings;
  private readonly target: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;
  private scraped?: Promise<Record<string, PromSample[]>>;
  private readonly queries = new Map<string, Promise<PromSample[]>>();

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    const s = parseSettings(SYSTEM, prometheusSettingsSchema, config.settings);
    this.settings = s;
    const urlEnv = fromEnv(ctx.env, ['PROM_URL', 'PROM_ADDRESS']);
    const rawUrl = urlEnv?.value ?? s.url;
    if (!rawUrl) throw new ConfigError(`${SYSTEM}: url must be set (settings.url, or PROM_URL / PROM_ADDRESS)`);
    const base = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
    const endpoint = s.endpoint ?? (s.mode === 'scrape' ? '/metrics' : '/api/v1/query');
    this.target = new URL(base);
    this.target.pathname = `${base.pathname.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`;

    const username = fromEnv(ctx.env, ['PROM_USERNAME'])?.value ?? s.username;
    const password = fromEnv(ctx.env, ['PROM_PASSWORD'])?.value ?? s.password;
    const token = fromEnv(ctx.env, ['PROM_TOKEN'])?.value ?? s.token;
    const headers: Record<string, string> = {};
    const secrets: string[] = [];
    if (s.auth_method === 'basic') {
      if (username === undefined) throw new ConfigError(`${SYSTEM}: auth_method basic needs a username (settings.username or PROM_USERNAME)`);
      headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
      if (password) secrets.push(password);
    } else if (s.auth_method === 'bearer') {
      if (!token) throw new ConfigError(`${SYSTEM}: auth_method bearer needs a token (settings.token or PROM_TOKEN)`);
      headers.authorization = `Bearer ${token}`;
      secrets.push(token);
    }
    // Explicit headers win, as upstream's setdefault lets them.
    for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v;
    for (const [k, v] of Object.entries(s.headers)) if (/authorization|token|key/i.test(k)) secrets.push(v);
    this.client = restClient(
      SYSTEM,
      { timeout: s.timeout, verify_ssl: s.verify_ssl, retries: s.retries, retry_base_ms: s.retry_base_ms, concurrency: s.concurrency },
      { headers, secrets, logger: ctx.logger },
    );
    this.limit = pLimit(s.concurrency);
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    if (req.side !== 'source') throw new ConfigError(`${SYSTEM} is a source only; it cannot be a destination`);
    const samples = this.settings.mode === 'scrape' ? await this.metric(req.path) : await this.resource(req.path);
    const out = samples.map((s) => ({ id: sampleId(s), ...s }) as RawRecord);
    req.onProgress?.(out.length, out.length);
    return out;
  }

  async templateData(_model: string, requests: LoadRequest[]): Promise<unknown> {
    const targets = lookupTargets(requests.flatMap((r) => r.expressions ?? []));
    if (targets !== 'all' && targets.size === 0) return undefined;
    const samples: Record<string, PromSample[]> = {};
    if (this.settings.mode === 'scrape') {
      const all = await this.scrape();
      for (const name of targets === 'all' ? Object.keys(all) : targets) if (Object.hasOwn(all, name)) setOwn(samples, name, all[name]);
    } else {
      const names = targets === 'all' ? Object.keys(this.settings.promql.resources) : [...targets].filter((n) => Object.hasOwn(this.settings.promql.resources, n));
      const lists = await Promise.all(names.map((n) => this.resource(n)));
      names.forEach((n, i) => setOwn(samples, n, lists[i]));
    }
    return { samples };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async metric(name: string): Promise<PromSample[]> {
    const all = await this.scrape();
    if (!Object.hasOwn(all, name)) {
      this.logger.warn(`${SYSTEM}: the scrape of ${this.target.host}${this.target.pathname} has no metric ${name}; nothing is loaded for it`, {
        metrics: Object.keys(all).length,
      });
      return [];
    }
    return all[name] ?? [];
  }

  private scrape(): Promise<Record<string, PromSample[]>> {
    this.scraped ??= (async () => {
      const url = new URL(this.target);
      for (const [k, v] of Object.entries(this.settings.params)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
      }
      const res = await this.client.getText(url, this.limit, { accept: TEXT_ACCEPT });
      try {
        return parseExposition(res.text);
      } catch (e) {
        throw new AdapterError(SYSTEM, `${url.host}${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    return this.scraped;
  }

  private resource(name: string): Promise<PromSample[]> {
    const resources = this.settings.promql.resources;
    if (!Object.hasOwn(resources, name)) {
      const known = Object.keys(resources);
      return Promise.reject(
        new ConfigError(`${SYSTEM}: mapping "${name}" is not one of settings.promql.resources (${known.length ? known.join(', ') : 'none are set'})`),
      );
    }
    let p = this.queries.get(name);
    if (!p) {
      p = this.instantQuery(name, resources[name] as string);
      this.queries.set(name, p);
    }
    return p;
  }

  private async instantQuery(resource: string, query: string): Promise<PromSample[]> {
    const url = new URL(this.target);
    url.searchParams.set('query', query);
    const res = await this.client.getJson(url, this.limit);
    const body = res.body as QueryResult | null;
    const fail = (why: string): AdapterError => new AdapterError(SYSTEM, `query for '${resource}' failed: ${why}`);
    if (!body || body.status !== 'success') throw fail(`${body?.errorType ?? 'error'}: ${body?.error ?? 'the answer is not a Prometheus API response'}`);
    const type = body.data?.resultType;
    const result = body.data?.result;
    if (type === 'scalar' && Array.isArray(result)) {
      return [{ __metric__: resource, labels: {}, value: promNumber(String(result[1])), timestamp: Number(result[0]), help: '', type: 'vector' }];
    }
    if (type !== 'vector' || !Array.isArray(result)) throw fail(`unsupported result type ${String(type)} (an instant vector or scalar is needed)`);
    return result.map((entry: { metric?: Record<string, string>; value?: [number, string] }) => {
      const labels: Record<string, string> = {};
      let name = '';
      for (const [k, v] of Object.entries(entry.metric ?? {})) {
        if (k === '__name__') name = v;
        else setOwn(labels, k, v);
      }
      const [ts, val] = entry.value ?? [null, undefined];
      return { __metric__: name || resource, labels, value: promNumber(val), timestamp: ts === null ? null : Number(ts), help: '', type: 'vector' };
    });
  }
}

export const createPrometheusAdapter: AdapterFactory = (config, ctx) => new PrometheusAdapter(config, ctx);
