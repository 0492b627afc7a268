// A REST destination keeps a field at the entry field's `mapping` path (`status.value`,
// `comments`, `internet_exchange_point`), while the pipeline speaks destination field names.
// Reading: an object becomes `{ id, <field>: value }` with references as `{ id }`. Writing: field
// values become a request body the way DRF APIs (Peering Manager, NetBox, Nautobot) take them.
import type { Value } from '../../diff/types.js';
import type { LoadField, ModelWriteSpec, RawRecord } from '../types.js';

export function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function asPeer(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'id' in v) {
    const id = (v as { id: unknown }).id;
    return id === null || id === undefined ? null : { id: String(id) };
  }
  return v;
}

/** The destination-side record of one object: each field read at its mapping path. */
export function toDestinationRecord(obj: RawRecord, fields: readonly LoadField[]): RawRecord {
  const out: RawRecord = { id: String(obj.id) };
  for (const f of fields) {
    const v = getPath(obj, f.mapping ?? f.name);
    if (f.reference) out[f.name] = Array.isArray(v) ? v.map(asPeer) : asPeer(v ?? null);
    else out[f.name] = v === undefined ? null : v;
  }
  return out;
}

/** The fields of a write spec as load fields (so a read-back converts the same way). */
export function specFields(spec: ModelWriteSpec, names: Iterable<string>): LoadField[] {
  const out: LoadField[] = [];
  for (const name of names) {
    const f: LoadField = { name, path: name };
    const mapping = spec.fieldMappings?.[name];
    if (mapping) f.mapping = mapping;
    const ref = spec.references[name];
    if (ref) f.reference = ref;
    out.push(f);
  }
  return out;
}

export type PeerResolver = (model: string, key: string) => string | undefined;

export interface WriteBody {
  body: Record<string, unknown>;
  /** Why the body could not be built (a peer not in the destination). */
  error?: string;
}

/** A DRF id is an integer; keep other ids (UUIDs) as they are. */
function pk(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/**
 * The body for `values` (field name -> value, references as peer keys). A field kept at a
 * dotted path writes to its first segment: `status.value` and `peeringdb_netixlan.id` take the
 * value itself (DRF choice fields and primary keys), any other (`router.name`) a lookup object
 * (`{"router": {"name": ...}}`), which DRF's writable nested serializers resolve.
 */
export function toWriteBody(values: Record<string, Value>, spec: ModelWriteSpec, peerId: PeerResolver): WriteBody {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const path = spec.fieldMappings?.[field] ?? field;
    const [head, ...rest] = path.split('.');
    if (!head) continue;
    const peerModel = spec.references[field];
    if (peerModel && rest.length === 0) {
      if (value === null) body[head] = null;
      else if (Array.isArray(value)) {
        const ids: (number | string)[] = [];
        for (const key of value) {
          const id = peerId(peerModel, String(key));
          if (id === undefined) return { body, error: `${field} references ${peerModel} "${String(key)}", which the destination does not have` };
          ids.push(pk(id));
        }
        body[head] = ids;
      } else {
        const id = peerId(peerModel, String(value));
        if (id === undefined) return { body, error: `${field} references ${peerModel} "${String(value)}", which the destination does not have` };
        body[head] = pk(id);
      }
      continue;
    }
    const last = rest[rest.length - 1];
    if (rest.length === 0 || last === 'value' || last === 'id') body[head] = value;
    else {
      const lookup: Record<string, unknown> = {};
      let cur = lookup;
      rest.slice(0, -1).forEach((seg) => {
        cur[seg] = {};
        cur = cur[seg] as Record<string, unknown>;
      });
      cur[last as string] = value;
      body[head] = value === null ? null : lookup;
    }
  }
  return { body };
}

/** Loose equality of a written value and what the server holds (42 equals "42"). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}
