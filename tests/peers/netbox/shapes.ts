// What the check compares about raw records: the shape of the value at a dotted path
// (absent, null, scalar type, object with or without id/url, list of ...) and, for plain
// values, the values themselves as a sorted multiset.
import type { RawRecord } from '../../../shared/adapters/types.js';

const MISSING = Symbol('missing');

/** The value at `path`, MISSING when a segment is not there (null stops the walk: null). */
function at(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split('.')) {
    if (cur === null) return null;
    if (typeof cur !== 'object' || Array.isArray(cur) || !(part in cur)) return MISSING;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function shapeOf(v: unknown): string {
  if (v === MISSING) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'list(empty)';
    return `list<${[...new Set(v.map(shapeOf))].sort().join('|')}>`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const marks = ['id', 'url'].filter((k) => k in o);
    return `object{${marks.join(',')}}`;
  }
  return typeof v;
}

/** Every shape seen at `path` over all records, sorted. */
export function shapesAt(records: RawRecord[], path: string): string[] {
  return [...new Set(records.map((r) => shapeOf(at(r, path))))].sort();
}

/** Plain values at `path` (objects by their `display`, lists by length), sorted as JSON. */
export function valuesAt(records: RawRecord[], path: string): string[] {
  return records
    .map((r) => {
      const v = at(r, path);
      if (v === MISSING) return '<absent>';
      if (Array.isArray(v)) return `[${v.length}]`;
      if (v !== null && typeof v === 'object') return `{${String((v as Record<string, unknown>).display ?? '?')}}`;
      return JSON.stringify(v);
    })
    .sort();
}

/** Nested reference objects at `path` whose url does not end in /api/<endpoint>/<id>/. */
export function badReferenceUrls(records: RawRecord[], path: string): string[] {
  const bad: string[] = [];
  for (const r of records) {
    const v = at(r, path);
    for (const o of Array.isArray(v) ? v : [v]) {
      if (o === null || o === MISSING || typeof o !== 'object') continue;
      const { id, url } = o as { id?: unknown; url?: unknown };
      if (typeof url !== 'string' || !new RegExp(`/api/[a-z0-9-]+/[a-z0-9-]+/${String(id)}/$`).test(url)) {
        bad.push(`${String(r.id)}: ${JSON.stringify({ id, url })}`);
      }
    }
  }
  return bad;
}
