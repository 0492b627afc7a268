// `genericrestapi`: any JSON REST API as a read-only source. `req.path` is the endpoint,
// appended to `url` + `api_endpoint`; `params` go on every request.
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { isRecord } from '../rest-paging/offset-pager.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import { authHeaders } from './auth.js';
import { deriveId, extractItems } from './extract.js';
import { readPaged } from './paginators.js';
import { restSettingsSchema, type RestSettings } from './settings.js';

const SYSTEM = 'genericrestapi';

export class RestSource implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: RestSettings;
  private readonly base: string;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    const s = parseSettings(SYSTEM, restSettingsSchema, config.settings);
    this.settings = s;
    // As in infrahub-sync, each value's environment variables win over the setting.
    const urlEnv = fromEnv(ctx.env, s.url_env_vars);
    const rawUrl = urlEnv?.value ?? s.url;
    if (!rawUrl) throw new ConfigError(`${SYSTEM}: url must be set (settings.url or ${s.url_env_vars.join('/')})`);
    const root = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
    const endpoint = s.api_endpoint.replace(/^\/+|\/+$/g, '');
    this.base = endpoint ? `${root.href.replace(/\/+$/, '')}/${endpoint}` : root.href.replace(/\/+$/, '');
    const auth = authHeaders(SYSTEM, s.auth_method, {
      token: fromEnv(ctx.env, s.token_env_vars)?.value ?? s.token,
      username: fromEnv(ctx.env, s.username_env_vars)?.value ?? s.username,
      password: fromEnv(ctx.env, s.password_env_vars)?.value ?? s.password,
    });
    const paramSecrets = Object.values(s.params).flat().map(String);
    this.client = restClient(SYSTEM, s, {
      headers: auth.headers,
      secrets: [...auth.secrets, ...paramSecrets.filter((p) => p.length >= 8)],
      logger: ctx.logger,
    });
    this.limit = pLimit(s.concurrency);
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    const url = this.endpointUrl(req.path);
    let missingKeyWarned = false;
    let guessNoted = false;
    let position = 0;
    const records = (body: unknown, u: URL): RawRecord[] => {
      const ex = extractItems(body, req.path, this.settings.response_key_pattern);
      if (!ex.found && !missingKeyWarned) {
        missingKeyWarned = true;
        this.logger.warn(`${SYSTEM}: ${u.pathname} has no list under the expected key; loading nothing from it`, {
          path: u.pathname,
          keys: isRecord(body) ? Object.keys(body).slice(0, 20) : typeof body,
        });
      }
      if (ex.guessed && !guessNoted) {
        guessNoted = true;
        this.logger.info(`${SYSTEM}: ${u.pathname} has no "${req.path}" key; reading its only list, "${ex.key ?? ''}"`, { path: u.pathname, key: ex.key });
      }
      return ex.items.map((item) => withId(item, u, req.path, position++));
    };
    const all = await readPaged({
      client: this.client,
      url,
      pagination: this.settings.pagination,
      pageSize: this.settings.page_size,
      limit: this.limit,
      logger: this.logger,
      records,
      idOf: (r) => deriveId(r),
      onProgress: req.onProgress,
    });
    if (!req.scope) return all;
    // REST APIs have no common id filter: narrow after reading.
    const wanted = new Set(req.scope.ids);
    return all.filter((r) => wanted.has(String(r.id)));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private endpointUrl(path: string): URL {
    const full = `${this.base}/${path.replace(/^\/+/, '')}`;
    let url: URL;
    try {
      url = new URL(full);
    } catch {
      throw new ConfigError(`${SYSTEM}: mapping "${path}" does not make a valid URL`);
    }
    for (const [k, v] of Object.entries(this.settings.params)) {
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    return url;
  }
}

/** The record with `id` set: the adapter contract wants one, and the reference derives it from
 *  the first `*_id` key when there is no `id`. An object with neither (Device42 tags are names
 *  only; the reference fails on them) gets its position in the list: references to it are by
 *  value then, and only a webhook-scoped run, which needs stable ids, cannot select it. */
function withId(item: unknown, u: URL, endpoint: string, position: number): RawRecord {
  if (!isRecord(item)) {
    throw new AdapterError(SYSTEM, `${u.host}${u.pathname} returned a list item that is not an object`);
  }
  if (item.id !== undefined && item.id !== null) return item;
  const id = deriveId(item) ?? `${endpoint}#${position}`;
  return { ...item, id };
}

export const createRestAdapter: AdapterFactory = (config, ctx) => new RestSource(config, ctx);
