// A destination identifies records by more than the sync's key: Infrahub upserts by the kind's
// human-friendly id, refuses a second node with a uniqueness constraint's values, and its IPAM holds
// one prefix or address per namespace. Two source records the sync keys apart but that share one of
// those identities would be written into one node (the NetBox demo's 63 VLANs, whose names repeat
// per site, landed on 4 nodes unique by name), each run undoing the other. Found before anything
// is written, and refused, naming the records and what would tell them apart.
//
// A create whose identity a destination record holds that no source record keeps (the record was
// written under another key: an identifier changed, or an earlier run keyed it differently) is not
// a collision: the create becomes an update of that node, and the plan says so.
import { MatchCollisionError } from '../errors.js';
import type { Change, Identity, IdentityPart, SyncRecord, Value } from './types.js';

/** The value of a part through a relationship: the peer's attribute, by the peer's key. */
export type PeerAttribute = (field: string, peerKey: string, attribute: string) => Value | undefined;

export interface CollisionOutcome {
  error?: MatchCollisionError;
  /** The changes, with creates that found their node turned into updates of it (and that node's
   *  delete, if any, dropped). */
  changes: Change[];
  adopted: number;
  droppedDeletes: number;
  /** Records sharing an identity the destination does not enforce (an address within its
   *  namespace): written as separate nodes, which the destination's IPAM cannot tell apart. */
  shared: { value: string; keys: string[]; by: string }[];
}

function isEmpty(v: Value | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** One identity's value for a record, or undefined when it does not apply (an empty part). */
function identityValue(parts: readonly IdentityPart[], values: Record<string, Value>, peer: PeerAttribute): string | undefined {
  const out: Value[] = [];
  for (const p of parts) {
    let v: Value | undefined = values[p.field];
    if (isEmpty(v) && p.defaultsTo !== undefined) v = p.defaultsTo;
    else if (p.via !== undefined && typeof v === 'string') v = peer(p.field, v, p.via);
    else if (p.via !== undefined && !isEmpty(v)) return undefined;
    if (isEmpty(v)) return undefined;
    out.push(v as Value);
  }
  return JSON.stringify(out);
}

function render(value: string): string {
  return (JSON.parse(value) as Value[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' / ');
}

function all(r: { ids: Record<string, Value>; attrs: Record<string, Value> }): Record<string, Value> {
  return { ...r.ids, ...r.attrs };
}

/** The update that writes a create's values onto the destination record it found. */
function adoption(create: Change, dst: SyncRecord, by: string): Change {
  const want = all(create);
  const have = all(dst);
  const attrs: Record<string, Value> = {};
  const previous: Record<string, Value> = {};
  for (const [name, v] of Object.entries(want)) {
    if (Object.hasOwn(have, name) && JSON.stringify(have[name]) === JSON.stringify(v)) continue;
    attrs[name] = v;
    previous[name] = have[name] ?? null;
  }
  const change: Change = {
    id: `${create.model}/update/${create.key}`,
    action: 'update',
    model: create.model,
    key: create.key,
    ids: create.ids,
    attrs,
    previous,
    adopts: { key: dst.key, by },
  };
  if (dst.localId !== undefined) change.destinationId = dst.localId;
  return change;
}

/**
 * Checks a model's creates against every identity of the destination. A record both sides hold is
 * compared with its source values (what it holds once synced) and is never adopted; a destination
 * record no source record keeps is compared as it is, and may be adopted by one create.
 */
export function findMatchCollisions(
  model: string,
  identities: readonly Identity[],
  changes: readonly Change[],
  source: readonly SyncRecord[],
  destination: readonly SyncRecord[],
  peer: PeerAttribute = () => undefined,
): CollisionOutcome {
  const creates = changes.filter((c) => c.action === 'create');
  const shared: CollisionOutcome['shared'] = [];
  const unchanged = { changes: [...changes], adopted: 0, droppedDeletes: 0, shared };
  if (creates.length === 0 || identities.length === 0) return unchanged;

  const sourceKeys = new Set(source.map((r) => r.key));
  const destinationKeys = new Set(destination.map((r) => r.key));
  const collisions: { value: string; keys: string[]; by: string }[] = [];
  /** create key -> the destination record it found, and by which identity. */
  const found = new Map<string, { dst: SyncRecord; by: string }>();
  const conflicted = new Set<string>();
  for (const identity of [...identities].sort((a, b) => Number(b.enforced) - Number(a.enforced))) {
    const byValue = new Map<string, { creates: Change[]; kept: string[]; orphans: SyncRecord[] }>();
    for (const c of creates) {
      const v = identityValue(identity.parts, all(c), peer);
      if (v === undefined) continue;
      const g = byValue.get(v) ?? { creates: [], kept: [], orphans: [] };
      g.creates.push(c);
      byValue.set(v, g);
    }
    if (byValue.size === 0) continue;
    for (const r of source) {
      if (!destinationKeys.has(r.key)) continue;
      const v = identityValue(identity.parts, all(r), peer);
      if (v !== undefined) byValue.get(v)?.kept.push(r.key);
    }
    for (const r of destination) {
      if (sourceKeys.has(r.key)) continue;
      const v = identityValue(identity.parts, all(r), peer);
      if (v !== undefined) byValue.get(v)?.orphans.push(r);
    }
    for (const [value, g] of byValue) {
      // An identity the destination does not enforce (an address within its namespace) may be
      // shared: NetBox holds one prefix per VRF, all in the default namespace. It only finds a node
      // for a create that alone claims it.
      if (!identity.enforced && g.creates.length + g.kept.length > 1) {
        shared.push({ value: render(value), keys: [...new Set([...g.creates.map((c) => c.key), ...g.kept])].sort(), by: identity.label });
        continue;
      }
      if (g.creates.length + g.kept.length > 1) {
        const keys = [...new Set([...g.creates.map((c) => c.key), ...g.kept])].sort();
        collisions.push({ value: render(value), keys, by: identity.label });
        continue;
      }
      const [c] = g.creates;
      const [dst] = g.orphans.sort((a, b) => String(a.localId).localeCompare(String(b.localId)));
      if (!c || !dst) continue;
      const before = found.get(c.key);
      if (before && before.dst !== dst && !identity.enforced) continue;
      if (before && before.dst !== dst) {
        // One create, two nodes: its identities name different records.
        collisions.push({ value: render(value), keys: [c.key, before.dst.key, dst.key].sort(), by: `${before.by} and ${identity.label}` });
        conflicted.add(c.key);
      } else if (!before) found.set(c.key, { dst, by: identity.label });
    }
  }
  if (collisions.length > 0) {
    return { ...unchanged, error: new MatchCollisionError(model, collisions) };
  }
  if (found.size === 0) return unchanged;
  const adoptedKeys = new Set([...found.values()].map((f) => f.dst.key));
  let droppedDeletes = 0;
  const out: Change[] = [];
  for (const c of changes) {
    const f = c.action === 'create' && !conflicted.has(c.key) ? found.get(c.key) : undefined;
    if (f) out.push(adoption(c, f.dst, f.by));
    else if (c.action === 'delete' && adoptedKeys.has(c.key)) droppedDeletes++;
    else out.push(c);
  }
  return { changes: out, adopted: found.size, droppedDeletes, shared };
}
