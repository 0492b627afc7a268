// The pagination styles of the generic REST source. Styles that reveal the total up front
// (offset with `count_key`, page with `total_pages_key`/`count_key`) fetch the remaining pages
// in parallel; the others walk page by page until a short or empty page, or no next link.
import type { LimitFunction } from 'p-limit';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { RawRecord } from '../types.js';
import type { JsonClient, JsonResponse } from '../rest-paging/json-client.js';
import { readOffsetPaginated, rebase, type PageEnvelope } from '../rest-paging/offset-pager.js';
import { getPath } from './extract.js';
import type { PaginationSettings } from './settings.js';

export interface PagedReadOptions {
  client: JsonClient;
  url: URL;
  pagination: PaginationSettings;
  pageSize: number;
  limit: LimitFunction;
  logger: Logger;
  /** Items of one response body (already checked to be objects). */
  records: (body: unknown, url: URL) => RawRecord[];
  idOf: (r: RawRecord) => string | undefined;
  onProgress?: (loaded: number, total?: number) => void;
  maxPages?: number;
}

export async function readPaged(o: PagedReadOptions): Promise<RawRecord[]> {
  const p = o.pagination;
  switch (p.type) {
    case 'none': {
      const res = await o.client.getJson(o.url, o.limit);
      const rs = o.records(res.body, o.url);
      o.onProgress?.(rs.length, rs.length);
      return rs;
    }
    case 'offset':
      if (p.count_key) {
        const countKey = p.count_key;
        return readOffsetPaginated({
          client: o.client,
          url: o.url,
          pageSize: p.page_size ?? o.pageSize,
          limitParam: p.limit_param,
          offsetParam: p.offset_param,
          limit: o.limit,
          parse: (body, u): PageEnvelope => ({ records: o.records(body, u), count: numberAt(body, countKey) }),
          idOf: o.idOf,
          logger: o.logger,
          onProgress: o.onProgress,
        });
      }
      return walkNumbered(o, (i, size) => ({ [p.offset_param]: String(i * size), [p.limit_param]: String(size) }), 0);
    case 'page':
      return readPages(o, p);
    case 'next':
      return walkLinks(o, (res) => {
        const v = getPath(res.body, p.next_key);
        if (typeof v !== 'string' && typeof v !== 'number') return undefined;
        const s = String(v);
        if (s === '') return undefined;
        return p.cursor_param ? { cursor: [p.cursor_param, s] } : { link: s };
      });
    case 'link':
      return walkLinks(o, (res) => {
        const link = nextFromLinkHeader(res.headers.link);
        return link ? { link } : undefined;
      });
  }
}

function setParams(url: URL, params: Record<string, string>): URL {
  const u = new URL(url.href);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u;
}

/** Sequential numbered pages (offset without a total, or page numbers without a total). The
 *  first page's length is the stride: a server that caps the size still gets walked to the end. */
async function walkNumbered(
  o: PagedReadOptions,
  paramsFor: (index: number, size: number) => Record<string, string>,
  firstIndex: number,
): Promise<RawRecord[]> {
  const requested = pageSizeOf(o);
  const out: RawRecord[] = [];
  let stride = requested;
  const maxPages = o.maxPages ?? 100_000;
  for (let i = firstIndex, n = 0; n < maxPages; i++, n++) {
    const u = setParams(o.url, paramsFor(i, stride));
    const res = await o.client.getJson(u, o.limit);
    const rs = o.records(res.body, u);
    for (const r of rs) out.push(r);
    o.onProgress?.(out.length);
    if (n === 0 && rs.length > 0 && rs.length < requested) stride = rs.length;
    if (rs.length === 0 || rs.length < stride) return dedupe(out, o.idOf);
  }
  throw new AdapterError(o.client.system, `${o.url.pathname}: more than ${maxPages} pages; stopping`);
}

function pageSizeOf(o: PagedReadOptions): number {
  const p = o.pagination;
  return (p.type === 'offset' || p.type === 'page' ? p.page_size : undefined) ?? o.pageSize;
}

async function readPages(o: PagedReadOptions, p: Extract<PaginationSettings, { type: 'page' }>): Promise<RawRecord[]> {
  const size = p.page_size ?? o.pageSize;
  const paramsFor = (n: number): Record<string, string> => ({
    [p.page_param]: String(n),
    ...(p.size_param ? { [p.size_param]: String(size) } : {}),
  });
  if (!p.total_pages_key && !p.count_key) {
    // Without a size parameter the server picks the size: any non-empty page may be followed by more.
    if (!p.size_param) return walkUntilEmpty(o, (i) => paramsFor(p.start + i));
    return walkNumbered(o, (i) => paramsFor(i), p.start);
  }
  const firstUrl = setParams(o.url, paramsFor(p.start));
  const first = await o.client.getJson(firstUrl, o.limit);
  const firstRecords = o.records(first.body, firstUrl);
  let pages = p.total_pages_key ? numberAt(first.body, p.total_pages_key) : undefined;
  if (pages === undefined && p.count_key) {
    const count = numberAt(first.body, p.count_key);
    const per = firstRecords.length || size;
    if (count !== undefined) pages = Math.ceil(count / per);
  }
  if (pages === undefined) {
    throw new AdapterError(
      o.client.system,
      `${firstUrl.pathname}: the response has no number at ${p.total_pages_key ?? p.count_key}`,
    );
  }
  let loaded = firstRecords.length;
  o.onProgress?.(loaded);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pages - 1) }, async (_, i) => {
      const u = setParams(o.url, paramsFor(p.start + 1 + i));
      const res = await o.client.getJson(u, o.limit);
      const rs = o.records(res.body, u);
      loaded += rs.length;
      o.onProgress?.(loaded);
      return rs;
    }),
  );
  return dedupe(firstRecords.concat(...rest), o.idOf);
}

async function walkUntilEmpty(o: PagedReadOptions, paramsFor: (i: number) => Record<string, string>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const maxPages = o.maxPages ?? 100_000;
  for (let i = 0; i < maxPages; i++) {
    const u = setParams(o.url, paramsFor(i));
    const res = await o.client.getJson(u, o.limit);
    const rs = o.records(res.body, u);
    if (rs.length === 0) return dedupe(out, o.idOf);
    for (const r of rs) out.push(r);
    o.onProgress?.(out.length);
  }
  throw new AdapterError(o.client.system, `${o.url.pathname}: more than ${maxPages} pages; stopping`);
}

type NextStep = { link: string } | { cursor: [string, string] };

async function walkLinks(o: PagedReadOptions, nextOf: (res: JsonResponse) => NextStep | undefined): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const seen = new Set<string>();
  const maxPages = o.maxPages ?? 100_000;
  let u: URL | undefined = o.url;
  while (u) {
    if (seen.has(u.href) || seen.size >= maxPages) {
      throw new AdapterError(o.client.system, `${o.url.pathname}: pagination does not end (a page repeats)`);
    }
    seen.add(u.href);
    const current: URL = u;
    const res = await o.client.getJson(current, o.limit);
    for (const r of o.records(res.body, current)) out.push(r);
    o.onProgress?.(out.length);
    const step = nextOf(res);
    if (!step) u = undefined;
    else if ('link' in step) u = rebase(current, step.link);
    else u = setParams(current, { [step.cursor[0]]: step.cursor[1] });
  }
  return dedupe(out, o.idOf);
}

/** The `rel="next"` target of a Link header, if any. */
export function nextFromLinkHeader(header: string | string[] | undefined): string | undefined {
  if (!header) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const m of text.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const params = m[2] ?? '';
    if (/;\s*rel\s*=\s*"?(?:[^";,]*\s)?next(?:\s[^";,]*)?"?/i.test(params)) return m[1];
  }
  return undefined;
}

function numberAt(body: unknown, key: string): number | undefined {
  const v = getPath(body, key);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function dedupe(records: RawRecord[], idOf: (r: RawRecord) => string | undefined): RawRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const id = idOf(r);
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
