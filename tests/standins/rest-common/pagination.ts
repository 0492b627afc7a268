// Django REST framework LimitOffsetPagination as NetBox and Nautobot configure it: a given
// limit is capped at MAX_PAGE_SIZE, limit=0 means MAX_PAGE_SIZE (everything when that is 0),
// no (or an invalid) limit means PAGINATE_COUNT; next/previous are absolute URLs whose query
// keys are sorted (DRF's replace_query_param).

export interface PageSettings {
  /** PAGINATE_COUNT. */
  defaultLimit: number;
  /** MAX_PAGE_SIZE; 0 = no cap. */
  maxPageSize: number;
  /** NetBox also caps PAGINATE_COUNT at MAX_PAGE_SIZE; Nautobot serves PAGINATE_COUNT as set. */
  capDefault: boolean;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

function parseNonNegative(v: string | null): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export function effectiveLimit(query: URLSearchParams, s: PageSettings): number {
  const max = s.maxPageSize > 0 ? s.maxPageSize : 0;
  const limit = parseNonNegative(query.get('limit'));
  if (limit === undefined) return max && s.capDefault ? Math.min(s.defaultLimit, max) : s.defaultLimit;
  if (max) return limit === 0 ? max : Math.min(limit, max);
  return limit;
}

function withParams(url: URL, set: Record<string, string | null>): string {
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) params.set(k, [...(params.get(k) ?? []), v]);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) params.delete(k);
    else params.set(k, [v]);
  }
  const qs = new URLSearchParams();
  for (const k of [...params.keys()].sort()) for (const v of params.get(k) ?? []) qs.append(k, v);
  const q = qs.toString();
  return `${url.origin}${url.pathname}${q ? `?${q}` : ''}`;
}

export function paginate<T>(items: T[], requestUrl: URL, s: PageSettings): Page<T> {
  const count = items.length;
  const limit = effectiveLimit(requestUrl.searchParams, s);
  const offset = parseNonNegative(requestUrl.searchParams.get('offset')) ?? 0;
  const results = count === 0 || offset > count ? [] : limit ? items.slice(offset, offset + limit) : items.slice(offset);
  let next: string | null = null;
  let previous: string | null = null;
  if (limit) {
    if (offset + limit < count) next = withParams(requestUrl, { limit: String(limit), offset: String(offset + limit) });
    if (offset > 0) {
      previous = offset - limit <= 0
        ? withParams(requestUrl, { limit: String(limit), offset: null })
        : withParams(requestUrl, { limit: String(limit), offset: String(offset - limit) });
    }
  }
  return { count, next, previous, results };
}
