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
  const holders = new Map<string, { keys: Set<string>; created: boolean }>();
  const add = (value: string | undefined, key: string, created: boolean): void => {
    if (value === undefined) return;
    const h = holders.get(value) ?? { keys: new Set<string>(), created: false };
    h.keys.add(key);
    h.created ||= created;
    holders.set(value, h);
  };
  // Only values some create uses can collide, so the destination side is indexed for those only.
  const wanted = new Set<string>();
  for (const c of creates) {
    const v = matchValue(fields, { ...c.ids, ...c.attrs });
    if (v !== undefined) wanted.add(v);
    add(v, c.key, true);
  }
  for (const r of destination) {
    const v = matchValue(fields, { ...r.ids, ...r.attrs });
    if (v !== undefined && wanted.has(v)) add(v, r.key, false);
  }
  const collisions = [...holders]
    .filter(([, h]) => h.created && h.keys.size > 1)
    .map(([value, h]) => ({ value: (JSON.parse(value) as Value[]).map(String).join(' / '), keys: [...h.keys].sort() }));
  return collisions.length > 0 ? new MatchCollisionError(model, [...fields], collisions) : undefined;
}
