// Reads one Nautobot/NetBox list endpoint completely, or only some ids of it (webhook-scoped
// runs: `?id=a&id=b`, in chunks that keep URLs short).
import type { LimitFunction } from 'p-limit';
import type { Logger } from '../../log.js';
import type { RawRecord } from '../types.js';
import type { JsonClient } from './json-client.js';
import { drfId, parseDrfPage, readOffsetPaginated } from './offset-pager.js';

/** 100 UUIDs make a query string of about 4 KB, well under common 8 KB URL limits. */
export const IDS_PER_REQUEST = 100;

export interface DrfListRequest {
  client: JsonClient;
  /** Endpoint URL (origin + optional prefix + `/api/app/endpoint/`). */
  url: URL;
  /** Fixed query parameters; a value list repeats the parameter. */
  query: Record<string, string | string[]>;
  ids?: string[];
  pageSize: number;
  limit: LimitFunction;
  logger: Logger;
  onProgress?: (loaded: number, total?: number) => void;
}

export async function readDrfList(req: DrfListRequest): Promise<RawRecord[]> {
  const parse = parseDrfPage(req.client.system);
  const read = (extra: Record<string, string[]>, onProgress?: (n: number, t?: number) => void) =>
    readOffsetPaginated({
      client: req.client,
      url: withQuery(req.url, { ...req.query, ...extra }),
      pageSize: req.pageSize,
      limit: req.limit,
      parse,
      idOf: drfId,
      logger: req.logger,
      onProgress,
    });

  if (req.ids === undefined) return read({}, req.onProgress);
  const ids = [...new Set(req.ids)];
  if (ids.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) chunks.push(ids.slice(i, i + IDS_PER_REQUEST));
  let loaded = 0;
  const parts = await Promise.all(
    chunks.map((chunk) =>
      read({ id: chunk }).then((rs) => {
        loaded += rs.length;
        req.onProgress?.(loaded, ids.length);
        return rs;
      }),
    ),
  );
  // An id the server does not know is just absent; ignore-unknown filters never widen the result,
  // but keep only asked-for ids in case a server ignores the filter altogether.
  const wanted = new Set(ids);
  return parts.flat().filter((r) => {
    const id = drfId(r);
    return id !== undefined && wanted.has(id);
  });
}

export function withQuery(url: URL, query: Record<string, string | string[]>): URL {
  const u = new URL(url.href);
  for (const [k, v] of Object.entries(query)) {
    u.searchParams.delete(k);
    for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, item);
  }
  return u;
}
