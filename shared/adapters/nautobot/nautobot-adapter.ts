// Nautobot as a read-only source: one REST list endpoint per schema-mapping entry.
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Adapter, AdapterContext, AdapterFactory, LoadRequest, RawRecord } from '../types.js';
import { apiListPath, joinUrl } from '../rest-paging/api-path.js';
import { resolveConnection } from '../rest-paging/connection.js';
import { readDrfList } from '../rest-paging/drf-list.js';
import { restClient, type JsonClient } from '../rest-paging/json-client.js';
import { parseSettings } from '../rest-paging/settings.js';
import { includesFor, planDepth, stubbedPaths } from './depth.js';
import { nautobotSettingsSchema, type NautobotSettings } from './settings.js';

const SYSTEM = 'nautobot';

export class NautobotSource implements Adapter {
  readonly system = SYSTEM;
  private readonly settings: NautobotSettings;
  private readonly baseUrl: URL;
  private readonly client: JsonClient;
  private readonly limit: LimitFunction;
  private readonly logger: Logger;
  /** Learned on the first model whose many-to-many fields came back missing. */
  private askForM2m = false;

  constructor(config: AdapterConfig, ctx: AdapterContext) {
    this.logger = ctx.logger;
    this.settings = parseSettings(SYSTEM, nautobotSettingsSchema, config.settings);
    const conn = resolveConnection(SYSTEM, 'NAUTOBOT', this.settings, ctx.env, ctx.logger);
    this.baseUrl = conn.baseUrl;
    const accept = this.settings.api_version
      ? `application/json; version=${this.settings.api_version}`
      : 'application/json';
    this.client = restClient(SYSTEM, this.settings, {
      headers: { authorization: `Token ${conn.token}`, accept },
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
    const url = joinUrl(this.baseUrl, apiListPath(SYSTEM, req.path));
    const plan = planDepth(req.fields);
    const tryLow = this.settings.depth === undefined ? plan.optimistic : undefined;
    const query: Record<string, string | string[]> = {
      depth: String(this.settings.depth ?? tryLow?.depth ?? plan.depth),
    };
    const include = includesFor(req.fields);
    if (include.length > 0) query.include = include;
    if (this.settings.exclude_m2m !== undefined) query.exclude_m2m = String(this.settings.exclude_m2m);
    else if (this.askForM2m) query.exclude_m2m = 'false';

    const read = (q: Record<string, string | string[]>) =>
      readDrfList({
        client: this.client,
        url,
        query: q,
        ids: req.scope?.ids,
        pageSize: this.settings.page_size,
        limit: this.limit,
        logger: this.logger,
        onProgress: req.onProgress,
      });
    let records = await read(query);
    if (tryLow) {
      const stubbed = stubbedPaths(records, tryLow.paths);
      if (stubbed.length > 0) {
        this.logger.info(
          `${SYSTEM}: ${stubbed.join(', ')} on ${url.pathname} are related objects, not choices; reading again at depth ${plan.depth}`,
          { path: url.pathname, fields: stubbed },
        );
        query.depth = String(plan.depth);
        records = await read(query);
      }
    }
    this.logger.debug(`${SYSTEM}: loaded ${records.length} from ${url.pathname}`, { depth: query.depth });

    if (query.exclude_m2m !== undefined || records.length === 0) return records;
    const missing = missingReferenceFields(req, records[0] ?? {});
    if (missing.length === 0) return records;
    this.logger.info(
      `${SYSTEM}: ${url.pathname} has no ${missing.join(', ')}; reading again with exclude_m2m=false`,
      { path: url.pathname, fields: missing },
    );
    try {
      const again = await read({ ...query, exclude_m2m: 'false' });
      this.askForM2m = true;
      const still = again.length > 0 ? missingReferenceFields(req, again[0] ?? {}) : [];
      if (still.length > 0) {
        // The plan warns about every mapped field no record has (absentMappedFields), once.
        this.logger.info(`${SYSTEM}: ${url.pathname} objects have no ${still.join(', ')}, even with exclude_m2m=false`, {
          path: url.pathname,
          fields: still,
        });
      }
      return again;
    } catch (error) {
      // Before 2.4 the parameter does not exist and strict filtering rejects it: keep the first read.
      if (error instanceof AdapterError && error.status === 400) {
        this.logger.warn(`${SYSTEM}: ${url.pathname} does not return ${missing.join(', ')}`, { fields: missing });
        return records;
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Reference fields (the only many-to-many candidates) whose top-level key the server left out. */
function missingReferenceFields(req: LoadRequest, sample: RawRecord): string[] {
  const out = new Set<string>();
  for (const f of req.fields) {
    if (!f.reference) continue;
    const top = f.path.split('.')[0] ?? '';
    if (top && !(top in sample)) out.add(top);
  }
  return [...out];
}

export const createNautobotAdapter: AdapterFactory = (config, ctx) => new NautobotSource(config, ctx);
