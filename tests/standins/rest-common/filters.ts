// Query-string filters as django-filter exposes them on NetBox and Nautobot list endpoints:
// repeated keys OR together, different keys AND together, `__n`/`__ic`/... lookups.
import type { ModelSpec, RowLookup } from './model-spec.js';
import type { Json, SourceRow } from './source-dataset.js';

/** Query keys that are not filters. */
export const CONTROL_PARAMS = new Set([
  'limit', 'offset', 'depth', 'brief', 'fields', 'omit', 'exclude', 'exclude_m2m', 'include', 'format',
  'ordering', 'sort', 'api_version',
]);

const LOOKUPS = ['n', 'ic', 'nic', 'ie', 'nie', 'isw', 'nisw', 'iew', 'niew', 'gt', 'gte', 'lt', 'lte', 'isnull'] as const;
type Lookup = (typeof LOOKUPS)[number] | 'exact';

export interface FilterResult {
  rows: SourceRow[];
  /** Unknown filter keys (strict filtering answers 400 with these). */
  unknown: string[];
}

function scalar(v: Json | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !Array.isArray(v) && 'value' in v) return scalar(v.value);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function compare(actual: string | null, lookup: Lookup, wanted: string): boolean {
  if (lookup === 'isnull') return (actual === null) === /^(true|1)$/i.test(wanted);
  if (actual === null) return wanted === 'null' && lookup === 'exact';
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  switch (lookup) {
    case 'exact': return actual === wanted || (/^(true|false)$/i.test(wanted) && a === w);
    case 'n': return actual !== wanted;
    case 'ic': return a.includes(w);
    case 'nic': return !a.includes(w);
    case 'ie': return a === w;
    case 'nie': return a !== w;
    case 'isw': return a.startsWith(w);
    case 'nisw': return !a.startsWith(w);
    case 'iew': return a.endsWith(w);
    case 'niew': return !a.endsWith(w);
    case 'gt': return Number(actual) > Number(wanted);
    case 'gte': return Number(actual) >= Number(wanted);
    case 'lt': return Number(actual) < Number(wanted);
    case 'lte': return Number(actual) <= Number(wanted);
  }
}

const negative = (l: Lookup): boolean => l.startsWith('n');

function refMatches(lookup: RowLookup, table: string, id: Json | undefined, wanted: string): boolean {
  if (id === null || id === undefined) return wanted === 'null';
  if (String(id) === wanted) return true;
  const row = typeof id === 'string' || typeof id === 'number' ? lookup.get(table, id) : undefined;
  return row !== undefined && (row.slug === wanted || row.name === wanted);
}

export function applyFilters(rows: SourceRow[], spec: ModelSpec, query: URLSearchParams, lookup: RowLookup): FilterResult {
  const groups = new Map<string, string[]>();
  for (const [k, v] of query) if (!CONTROL_PARAMS.has(k)) groups.set(k, [...(groups.get(k) ?? []), v]);
  const tests: ((row: SourceRow) => boolean)[] = [];
  const unknown: string[] = [];
  const sample = rows[0];

  for (const [key, values] of groups) {
    const sep = key.lastIndexOf('__');
    const maybeLookup = sep > 0 ? key.slice(sep + 2) : '';
    const lk: Lookup = (LOOKUPS as readonly string[]).includes(maybeLookup) ? (maybeLookup as Lookup) : 'exact';
    const field = lk === 'exact' ? key : key.slice(0, sep);
    const any = (pred: (v: string) => boolean): boolean => (negative(lk) ? values.every(pred) : values.some(pred));

    if (field === 'q') {
      tests.push((row) => values.every((v) => spec.search.some((f) => (scalar(row[f]) ?? '').toLowerCase().includes(v.toLowerCase()))));
    } else if (field === 'id') {
      tests.push((row) => any((v) => compare(String(row.id), lk, v)));
    } else if ((field === 'tag' || field === 'tags') && 'tags' in spec.many) {
      tests.push((row) => {
        const ids = Array.isArray(row.tags) ? row.tags : [];
        const has = (v: string): boolean => ids.some((id) => refMatches(lookup, 'extras.tags', id, v));
        return lk === 'n' ? values.every((v) => !has(v)) : values.every(has);
      });
    } else if (field.endsWith('_id') && (spec.refs[field.slice(0, -3)] || spec.many[field.slice(0, -3)])) {
      const f = field.slice(0, -3);
      tests.push((row) => {
        const cur = row[f];
        const ids = Array.isArray(cur) ? cur.map((x) => scalar(x)) : [scalar(cur)];
        return any((v) => ids.some((id) => compare(id, lk, v)));
      });
    } else if (spec.refs[field] !== undefined) {
      const table = spec.refs[field] as string;
      tests.push((row) => any((v) => (lk === 'n' ? !refMatches(lookup, table, row[field], v) : refMatches(lookup, table, row[field], v))));
    } else if (spec.many[field] !== undefined) {
      const table = spec.many[field] as string;
      tests.push((row) => {
        const ids = Array.isArray(row[field]) ? (row[field] as Json[]) : [];
        return any((v) => ids.some((id) => refMatches(lookup, table, id, v)));
      });
    } else if (sample === undefined || field in sample) {
      tests.push((row) => any((v) => compare(scalar(row[field]), lk, v)));
    } else {
      unknown.push(key);
    }
  }
  return { rows: tests.length === 0 ? rows : rows.filter((r) => tests.every((t) => t(r))), unknown };
}
