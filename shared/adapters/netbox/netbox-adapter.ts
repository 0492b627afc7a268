// NetBox as a read-only source: one REST list endpoint per schema-mapping entry.
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import type { Logger } from '../../log.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { apiListPath, joinUrl } from '../rest-paging/api-path.js';
import { resolveConnection } from '../rest-paging/connection.js';
import { readDrfList } from '../rest-paging/drf-list.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { parseSettings } from '../rest-paging/settings.js';
import { netboxAuthorization } from './auth.js';
import { netboxSettingsSchema, type NetboxSettings } from './settings.js';

const SYSTEM = 'netbox';

/** Endpoints that render config contexts per object unless told not to: costly, and unused
 *  unless the mapping reads them. NetBox up to 4.6 honours `exclude=config_context`; 4.5 added
 *  `omit=<fields>` and 4.7 ignores `exclude` (it served config_context with exclude alone).
 *  Each version ignores the parameter it does not know, so both are sent. */
const CONFIG_CONTEXT_ENDPOINTS = new Set(['/api/dcim/devices/', '/api/virtualization/virtual-machines/']);

export class NetboxSource implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: NetboxSettings;
  private readonly baseUrl: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    this.settings = parseSettings(SYSTEM, netboxSettingsSchema, config.settings);
    const conn = resolveConnection(SYSTEM, 'NETBOX', this.settings, ctx.env, ctx.logger);
    this.baseUrl = conn.baseUrl;
    this.client = restClient(SYSTEM, this.settings, {
      headers: { authorization: netboxAuthorization(conn.token) },
      secrets: [conn.token],
      logger: ctx.logger,
    });
    this.limit = pLimit(this.settings.concurrency);
  }

  /** Fails early on a wrong token or an unreachable server; any other answer is fine. */
  async open(): Promise<void> {
    await this.client.getJsonTolerating(joinUrl(this.baseUrl, '/api/'), (s) => s !== 401 && s !== 403);
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    const path = apiListPath(SYSTEM, req.path);
    const url = joinUrl(this.baseUrl, path);
    const query: Record<string, string> = {};
    const readsConfigContext = req.fields.some((f) => f.path.split('.')[0] === 'config_context');
    if (CONFIG_CONTEXT_ENDPOINTS.has(path) && !readsConfigContext) {
      query.exclude = 'config_context';
      query.omit = 'config_context';
    }
    const records = await readDrfList({
      client: this.client,
      url,
      query,
      ids: req.scope?.ids,
      pageSize: this.settings.page_size,
      limit: this.limit,
      logger: this.logger,
      onProgress: req.onProgress,
    });
    this.logger.debug(`${SYSTEM}: loaded ${records.length} from ${path}`);
    return records;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export const createNetboxAdapter: AdapterFactory = (config, ctx) => new NetboxSource(config, ctx);
