// Reads a whole limit/offset-paginated list (Nautobot, NetBox, offset-style REST APIs).
// The first page tells the total; the rest are fetched in parallel by offset. The server caps
// `limit` at its MAX_PAGE_SIZE without saying so, so the number of results the first page
// actually held is the stride for the other offsets. Objects created or deleted during the read
// shift offsets (duplicates or gaps): the read is de-duplicated by id, checked against the
// count, and repeated once when they disagree.
import type { LimitFunction } from 'p-limit';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { RawRecord } from '../types.js';
import type { JsonClient } from './json-client.js';

export interface PageEnvelope {
  records: RawRecord[];
  /** Total the server reports, when it does. */
  count?: number;
  /** Absolute or root-relative URL of the next page, when the server gives one. */
  next?: string | null;
}

export interface OffsetReadOptions {
  client: JsonClient;
  /** The list URL with every fixed query parameter (filters, depth, ...). */
  url: URL;
  pageSize: number;
  limitParam?: string;
  offsetParam?: string;
  /** Shared limiter: wraps single requests only, so nested reads cannot deadlock. */
  limit: LimitFunction;
  parse: (body: unknown, url: URL) => PageEnvelope;
  /** Identity for de-duplication; records without one are kept as they are. */
  idOf?: (r: RawRecord) => string | undefined;
  logger: Logger;
  onProgress?: (loaded: number, total?: number) => void;
  /** Full reads before accepting a result that disagrees with the count (default 2). */
  maxReads?: number;
  /** Guard against servers whose `next` never ends (default 100,000 pages). */
  maxPages?: number;
}

interface ReadResult {
  records: RawRecord[];
  count?: number;
  /** Every page reported the same count and the expected number of results. */
  consistent: boolean;
}

export async function readOffsetPaginated(opts: OffsetReadOptions): Promise<RawRecord[]> {
  const maxReads = opts.maxReads ?? 2;
  let last: RawRecord[] = [];
  let lastCount: number | undefined;
  for (let read = 1; read <= maxReads; read++) {
    const r = await readOnce(opts);
    const unique = dedupe(r.records, opts.idOf);
    if (r.count === undefined || (unique.length === r.count && r.consistent)) return unique;
    last = unique;
    lastCount = r.count;
    opts.logger.info(`${opts.client.system}: list changed while it was read; reading it again`, {
      path: opts.url.pathname,
      read,
      count: r.count,
      received: r.records.length,
      unique: unique.length,
    });
  }
  opts.logger.warn(
    `${opts.client.system}: ${opts.url.pathname} returned ${last.length} distinct objects but counted ${lastCount}; ` +
      'objects were probably created or deleted during the read, the next run will pick them up',
    { path: opts.url.pathname, count: lastCount, received: last.length },
  );
  return last;
}

async function readOnce(opts: OffsetReadOptions): Promise<ReadResult> {
  const limitParam = opts.limitParam ?? 'limit';
  const offsetParam = opts.offsetParam ?? 'offset';
  const pageUrl = (offset: number, size: number): URL => {
    const u = new URL(opts.url.href);
    u.searchParams.set(limitParam, String(size));
    u.searchParams.set(offsetParam, String(offset));
    return u;
  };
  const fetchPage = async (u: URL): Promise<PageEnvelope> => {
    const res = await opts.client.getJson(u, opts.limit);
    return opts.parse(res.body, u);
  };

  const first = await fetchPage(pageUrl(0, opts.pageSize));
  let loaded = first.records.length;
  opts.onProgress?.(loaded, first.count);
  if (first.count === undefined) {
    // No total: only `next` can tell whether more pages exist.
    const rest = await followNext(opts, first.next, fetchPage, (n) => {
      loaded += n;
      opts.onProgress?.(loaded);
    });
    return { records: first.records.concat(rest), consistent: true };
  }
  const count = first.count;
  const stride = first.records.length;
  if (stride >= count || (stride === 0 && !first.next)) {
    return { records: first.records, count, consistent: stride === count };
  }
  if (stride === 0) {
    const rest = await followNext(opts, first.next, fetchPage, (n) => {
      loaded += n;
      opts.onProgress?.(loaded, count);
    });
    return { records: rest, count, consistent: true };
  }

  const offsets: number[] = [];
  for (let o = stride; o < count; o += stride) offsets.push(o);
  const pages = await Promise.all(
    offsets.map(async (o) => {
      const page = await fetchPage(pageUrl(o, stride));
      loaded += page.records.length;
      opts.onProgress?.(loaded, count);
      return page;
    }),
  );
  let consistent = true;
  const records = first.records.slice();
  pages.forEach((p, i) => {
    const expected = Math.min(stride, count - (offsets[i] ?? 0));
    if (p.count !== count || p.records.length !== expected) consistent = false;
    for (const r of p.records) records.push(r);
  });
  return { records, count, consistent };
}

async function followNext(
  opts: OffsetReadOptions,
  next: string | null | undefined,
  fetchPage: (u: URL) => Promise<PageEnvelope>,
  onPage: (n: number) => void,
): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const seen = new Set<string>();
  const maxPages = opts.maxPages ?? 100_000;
  let cursor = next;
  while (cursor) {
    const u = rebase(opts.url, cursor);
    if (seen.has(u.href) || seen.size >= maxPages) {
      throw new AdapterError(opts.client.system, `pagination of ${opts.url.pathname} does not end (next repeats)`);
    }
    seen.add(u.href);
    const page = await fetchPage(u);
    for (const r of page.records) out.push(r);
    onPage(page.records.length);
    cursor = page.next;
  }
  return out;
}

/** A server's `next` link on our own origin: behind a proxy the server may name itself
 *  with another scheme or host than the one we reach it by. */
export function rebase(base: URL, link: string): URL {
  const target = new URL(link, base);
  const u = new URL(base.href);
  u.pathname = target.pathname;
  u.search = target.search;
  return u;
}

function dedupe(records: RawRecord[], idOf?: (r: RawRecord) => string | undefined): RawRecord[] {
  if (!idOf) return records;
  const seen = new Set<string>();
  const out: RawRecord[] = [];
  for (const r of records) {
    const id = idOf(r);
    if (id === undefined) {
      out.push(r);
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

/** `{count, next, previous, results}` as Nautobot and NetBox send it; a bare list is accepted
 *  too (some plugin endpoints are not paginated). */
export function parseDrfPage(system: string) {
  return (body: unknown, url: URL): PageEnvelope => {
    if (Array.isArray(body)) return { records: body.filter(isRecord), next: null };
    if (isRecord(body) && Array.isArray(body.results)) {
      return {
        records: body.results.filter(isRecord),
        count: typeof body.count === 'number' ? body.count : undefined,
        next: typeof body.next === 'string' ? body.next : null,
      };
    }
    throw new AdapterError(system, `${url.host}${url.pathname} did not answer with a list ({count, results})`);
  };
}

export function isRecord(v: unknown): v is RawRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `id` of a Nautobot/NetBox object as a string (NetBox ids are integers). */
export function drfId(r: RawRecord): string | undefined {
  const id = r.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
