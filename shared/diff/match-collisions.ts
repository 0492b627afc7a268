// A destination that matches writes by other fields than the sync's identifiers (Infrahub
// upserts by the kind's human-friendly id) merges records the sync keeps apart: two source
// VRFs "PROD" in different namespaces, keyed by name and namespace, would both be upserted into
// the one node whose hfid is "PROD", each run undoing the other and neither ever matching.
// Found before anything is written, and refused.
import { MatchCollisionError } from '../errors.js';
import type { Change, SyncRecord, Value } from './types.js';

function matchValue(fields: readonly string[], values: Record<string, Value | undefined>): string | undefined {
  const out: Value[] = [];
  for (const f of fields) {
    const v = values[f];
    // An empty part: the write cannot match by these fields and does not try.
    if (v === undefined || v === null || v === '') return undefined;
    out.push(v);
  }
  return JSON.stringify(out);
}

/** Creates that the destination would write into a record another key already holds or gets. */
export function findMatchCollisions(
  model: string,
  fields: readonly string[],
  changes: readonly Change[],
  destination: readonly SyncRecord[],
): MatchCollisionError | undefined {
  const creates = changes.filter((c) => c.action === 'create');
  if (creates.length === 0 || fields.length === 0) return undefined;
  // Keys per match value, for the values some create writes; only those can collide, so the
  // destination's records join only where they hold one of them.
  const holders = new Map<string, Set<string>>();
  for (const c of creates) {
    const v = matchValue(fields, { ...c.ids, ...c.attrs });
    if (v !== undefined) holders.set(v, (holders.get(v) ?? new Set<string>()).add(c.key));
  }
  for (const r of destination) {
    const v = matchValue(fields, { ...r.ids, ...r.attrs });
    if (v !== undefined) holders.get(v)?.add(r.key);
  }
  const collisions = [...holders]
    .filter(([, keys]) => keys.size > 1)
    .map(([value, keys]) => ({ value: (JSON.parse(value) as Value[]).map(String).join(' / '), keys: [...keys].sort() }));
  return collisions.length > 0 ? new MatchCollisionError(model, [...fields], collisions) : undefined;
}
