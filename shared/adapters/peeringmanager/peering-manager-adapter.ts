// Peering Manager as a source and as a destination. infrahub-sync's `peeringmanager` adapter is
// its generic REST adapter with Peering Manager's defaults (token auth, `/api`, the `results`
// key, PEERING_MANAGER_* variables), reading one page per endpoint and, as a destination, only
// updating. Here lists are read whole (DRF limit/offset, pages in parallel), and a destination
// run creates, updates and deletes (shared/adapters/rest-write/).
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import type { Change, ChangeResult } from '../../diff/types.js';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { authHeaders } from '../rest/auth.js';
import { joinUrl } from '../rest-paging/api-path.js';
import { readDrfList } from '../rest-paging/drf-list.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { fromEnv, parseBaseUrl, parseSettings } from '../rest-paging/settings.js';
import { applyDrfChanges } from '../rest-write/drf-writer.js';
import { toDestinationRecord } from '../rest-write/field-paths.js';
import type { AdapterContext, AdapterFactory, ApplyContext, LoadRequest, RawRecord, WritableAdapter } from '../types.js';
import { peeringManagerSettingsSchema, type PeeringManagerSettings } from './settings.js';

const SYSTEM = 'peeringmanager';

/** `peering/autonomous-systems` (as the examples write it; `peering.autonomous-systems` too)
 *  -> `/peering/autonomous-systems/`: Django answers the slash-less URL with a redirect. */
export function endpointPath(mapping: string): string {
  const segments = mapping.trim().split(/[./]/).filter((s) => s !== '');
  if (segments.length < 2 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s))) {
    throw new ConfigError(`${SYSTEM}: mapping "${mapping}" must name an app and an endpoint, like peering/autonomous-systems`);
  }
  return `/${segments.join('/')}/`;
}

export class PeeringManagerAdapter implements WritableAdapter {
  readonly system = SYSTEM;
  private readonly settings: PeeringManagerSettings;
  private readonly apiRoot: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    const s = parseSettings(SYSTEM, peeringManagerSettingsSchema, config.settings);
    this.settings = s;
    const urlEnv = fromEnv(ctx.env, s.url_env_vars);
    const rawUrl = urlEnv?.value ?? s.url;
    if (!rawUrl) throw new ConfigError(`${SYSTEM}: url must be set (settings.url or ${s.url_env_vars.join('/')})`);
    const root = parseBaseUrl(SYSTEM, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
    const endpoint = s.api_endpoint.replace(/^\/+|\/+$/g, '');
    this.apiRoot = endpoint ? joinUrl(root, `/${endpoint}`) : root;
    const auth = authHeaders(SYSTEM, s.auth_method, {
      token: fromEnv(ctx.env, s.token_env_vars)?.value ?? s.token,
      username: fromEnv(ctx.env, s.username_env_vars)?.value ?? s.username,
      password: fromEnv(ctx.env, s.password_env_vars)?.value ?? s.password,
    });
    this.client = restClient(SYSTEM, s, { headers: auth.headers, secrets: auth.secrets, logger: ctx.logger });
    this.limit = pLimit(s.concurrency);
    if (s.response_key_pattern !== 'results') {
      ctx.logger.warn(`${SYSTEM}: response_key_pattern "${s.response_key_pattern}" is ignored; Peering Manager lists are read as DRF pages (results)`);
    }
  }

  /** Fails early on a wrong token or an unreachable server. */
  async open(): Promise<void> {
    await this.client.getJsonTolerating(this.url('/'), (s) => s !== 401 && s !== 403);
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    const mapping = req.side === 'source' ? req.path : req.mapping;
    if (!mapping) {
      throw new ConfigError(`${SYSTEM}: ${req.model} has no mapping; the destination side needs its endpoint (such as peering/autonomous-systems)`);
    }
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(this.settings.params)) query[k] = Array.isArray(v) ? v.map(String) : String(v);
    const objects = await readDrfList({
      client: this.client,
      url: this.url(endpointPath(mapping)),
      query,
      // Source: a webhook-scoped run; destination: the verify's read-back of what was written.
      ids: req.scope?.ids,
      pageSize: this.settings.page_size,
      limit: this.limit,
      logger: this.logger,
      onProgress: req.onProgress,
    });
    return req.side === 'source' ? objects : objects.map((o) => toDestinationRecord(o, req.fields));
  }

  async apply(changes: Change[], ctx: ApplyContext): Promise<ChangeResult[]> {
    return applyDrfChanges(changes, ctx, {
      client: this.client,
      limit: this.limit,
      logger: this.logger,
      pageSize: this.settings.page_size,
      endpoint: (mapping) => this.url(endpointPath(mapping)),
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private url(path: string): URL {
    return joinUrl(this.apiRoot, path);
  }
}

export const createPeeringManagerAdapter: AdapterFactory = (config, ctx) => new PeeringManagerAdapter(config, ctx);
