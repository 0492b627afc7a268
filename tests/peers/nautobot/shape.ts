// What a mapping path finds in a raw record, reduced to its kind, so that a real server's
// records and a stand-in's can be compared without comparing their data.

export type Shape = 'absent' | 'null' | 'string' | 'number' | 'boolean' | 'object' | 'ref' | 'list' | 'list-empty';

function kindOf(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'list-empty' : 'list';
  if (typeof v === 'object') return 'id' in (v as Record<string, unknown>) ? 'ref' : 'object';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v === '' ? 'string' : typeof v as Shape;
  return 'absent';
}

/** Kinds found at `path` in one record; a list on the way is walked item by item (as the
 *  mapping does for many-references), and its own kind is kept too. */
export function shapesAt(record: Record<string, unknown>, path: string): Set<Shape> {
  const out = new Set<Shape>();
  let cur: unknown[] = [record];
  const segs = path.split('.').filter(Boolean);
  segs.forEach((seg, i) => {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null) {
        out.add('null');
        continue;
      }
      if (typeof v !== 'object' || Array.isArray(v) || !(seg in (v as Record<string, unknown>))) {
        out.add('absent');
        continue;
      }
      const value = (v as Record<string, unknown>)[seg];
      if (i === segs.length - 1) {
        out.add(kindOf(value));
        if (Array.isArray(value)) for (const item of value) out.add(kindOf(item));
      } else if (Array.isArray(value)) {
        next.push(...value);
      } else next.push(value);
    }
    cur = next;
  });
  return out;
}

/** Kinds at `path` over all records. */
export function shapesOver(records: readonly Record<string, unknown>[], path: string): Set<Shape> {
  const out = new Set<Shape>();
  for (const r of records) for (const s of shapesAt(r, path)) out.add(s);
  return out;
}

/** `null` and an empty list depend on the data, not on the server: a difference made only of
 *  them is soft. */
const DATA_DEPENDENT = new Set<Shape>(['null', 'list-empty']);

export function compareShapes(a: Set<Shape>, b: Set<Shape>): 'same' | 'soft' | 'hard' {
  const onlyA = [...a].filter((s) => !b.has(s));
  const onlyB = [...b].filter((s) => !a.has(s));
  if (onlyA.length === 0 && onlyB.length === 0) return 'same';
  return [...onlyA, ...onlyB].every((s) => DATA_DEPENDENT.has(s)) ? 'soft' : 'hard';
}

/** The value a mapping path yields, with related objects reduced to their id. */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  let cur: unknown = record;
  for (const seg of path.split('.').filter(Boolean)) {
    if (Array.isArray(cur)) cur = cur.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[seg] : undefined));
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  const reduce = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) && 'id' in v ? (v as { id: unknown }).id : v);
  return Array.isArray(cur) ? cur.map(reduce).map(String).sort() : reduce(cur);
}
