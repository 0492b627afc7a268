// Dotted paths into raw records, matching infrahub-sync's `get_value` (adapters/utils.py):
// - each hop reads a key of a dict; a hop that is missing, null or not a dict gives null
//   (upstream: `if not sub_obj: return None`; any non-dict hop ends in getattr(..., None));
// - the last hop returns the value as it is, so "", 0 and false are values, and a missing key
//   is null;
// - numeric segments do NOT index arrays (`tags.0.name` is null): upstream reads a list with
//   getattr(list, "0") which is None. A config that needs the first tag uses a transform
//   (`{{ tags[0].name }}`).
// Paths are split once and the getter is a closure over the segments.

import { setOwn } from '../own.js';

export type PathGetter = (obj: unknown) => unknown;

function isDict(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function compilePath(dotted: string): PathGetter {
  const segs = dotted.split('.');
  if (segs.length === 1) {
    const k = segs[0] as string;
    return (o) => (isDict(o) && Object.hasOwn(o, k) ? (o[k] ?? null) : null);
  }
  if (segs.length === 2) {
    const [a, b] = segs as [string, string];
    return (o) => {
      if (!isDict(o) || !Object.hasOwn(o, a)) return null;
      const x = o[a];
      return isDict(x) && Object.hasOwn(x, b) ? (x[b] ?? null) : null;
    };
  }
  if (segs.length === 3) {
    const [a, b, c] = segs as [string, string, string];
    return (o) => {
      if (!isDict(o) || !Object.hasOwn(o, a)) return null;
      const x = o[a];
      if (!isDict(x) || !Object.hasOwn(x, b)) return null;
      const y = x[b];
      return isDict(y) && Object.hasOwn(y, c) ? (y[c] ?? null) : null;
    };
  }
  const last = segs.length - 1;
  return (o) => {
    let cur: unknown = o;
    for (let i = 0; i < last; i++) {
      if (!isDict(cur)) return null;
      const k = segs[i] as string;
      if (!Object.hasOwn(cur, k)) return null;
      cur = cur[k];
    }
    const k = segs[last] as string;
    return isDict(cur) && Object.hasOwn(cur, k) ? (cur[k] ?? null) : null;
  };
}

const cache = new Map<string, PathGetter>();

/** The value at a dotted path (null when any hop is missing). */
export function getPath(obj: unknown, dotted: string): unknown {
  let g = cache.get(dotted);
  if (!g) {
    g = compilePath(dotted);
    if (cache.size < 10_000) cache.set(dotted, g);
  }
  return g(obj);
}

/**
 * Writes `value` at a dotted path of `root`, creating objects on the way. Intermediate objects
 * are copied, never changed in place, so a record copied shallowly before the write leaves
 * the adapter's raw object intact.
 */
export function setPathCopy(root: Record<string, unknown>, segs: readonly string[], value: unknown): void {
  let cur = root;
  const last = segs.length - 1;
  for (let i = 0; i < last; i++) {
    const k = segs[i] as string;
    const next = cur[k];
    const copy: Record<string, unknown> = isDict(next) && Object.hasOwn(cur, k) ? { ...next } : {};
    setOwn(cur, k, copy);
    cur = copy;
  }
  setOwn(cur, segs[last] as string, value);
}
