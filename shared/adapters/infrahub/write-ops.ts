// Turns one Change into one Infrahub mutation call: which mutation, keyed how, with which input.
// Values travel as GraphQL variables (one input object per call), never spliced into the document,
// so no value can change the query's meaning.
import type { ApplyContext } from '../types.js';
import type { Change, Value } from '../../diff/types.js';
import type { WriteLineage } from './lineage.js';
import type { AttributeSchema, InfrahubSchema, RelationshipSchema } from './schema.js';

export interface MutationOp {
  change: Change;
  /** e.g. InfraDeviceUpsert, InfraDeviceUpdate, InfraDeviceDelete. */
  mutation: string;
  /** GraphQL input type of `data`. */
  inputType: string;
  data: Record<string, unknown>;
  isDelete: boolean;
  /** Said in the change's result when it is applied (a create written as an update of a found node). */
  note?: string;
}

export class OpError extends Error {}

export function namedPeerKey(kind: string, attribute: string, value: string): string {
  return `${kind}\u0000${attribute}\u0000${value}`;
}

/** The destination node's concrete kind, when the model is a generic (mutations exist only on nodes). */
export type ConcreteKindOf = (id: string) => string | undefined;

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Converts a canonical value to what the attribute kind's input accepts. */
export function attributeValue(kind: string, attr: AttributeSchema, v: Value | undefined): unknown {
  if (v === null || v === undefined) return null;
  const where = `${kind}.${attr.name}`;
  switch (attr.kind) {
    case 'Number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      // Infrahub's Number input is a BigInt: integers only.
      if (!Number.isInteger(n)) throw new OpError(`${where}: ${JSON.stringify(v)} is not an integer`);
      return n;
    }
    case 'Boolean':
    case 'Checkbox': {
      if (typeof v === 'boolean') return v;
      const s = String(v).toLowerCase();
      if (['true', '1', 'yes'].includes(s)) return true;
      if (['false', '0', 'no', ''].includes(s)) return false;
      throw new OpError(`${where}: ${JSON.stringify(v)} is not a boolean`);
    }
    case 'JSON':
    case 'Any':
      return v;
    case 'List': {
      if (Array.isArray(v)) return v;
      throw new OpError(`${where}: ${JSON.stringify(v)} is not a list`);
    }
    default:
      if (isScalar(v)) return String(v);
      throw new OpError(`${where}: ${JSON.stringify(v)} is not a ${attr.kind} value`);
  }
}

function hfidSegments(component: string): string[] {
  const segs = component.split('__');
  if (segs.length > 1 && segs[segs.length - 1] === 'value') segs.pop();
  return segs;
}

export class OpBuilder {
  /** What every written attribute and relationship peer carries (infrahub-sync's lineage). */
  private readonly attrLineage: Record<string, unknown>;
  private readonly peerLineage: Record<string, unknown>;

  constructor(
    private readonly schema: InfrahubSchema,
    private readonly ctx: ApplyContext,
    lineage: WriteLineage = {},
  ) {
    this.attrLineage = { ...(lineage.source ? { source: lineage.source } : {}), ...(lineage.owner ? { owner: lineage.owner } : {}), is_protected: true };
    this.peerLineage = Object.fromEntries(Object.entries(this.attrLineage).map(([k, v]) => [`_relation__${k}`, v]));
  }

  /** Identifier values of a record known only by model and key: the key split on `__`, when that
   *  split yields exactly one part per identifier. */
  private identityFromKey(model: string, key: string): Record<string, Value> | undefined {
    let identifiers = this.ctx.models[model]?.identifiers ?? [];
    if (identifiers.length === 0 && !this.ctx.models[model]) {
      // A peer kind the config does not sync ("must exist beforehand", says the Observium
      // example): a key names it when its human-friendly id is one plain attribute.
      const hfid = this.schema.hfid(model).map(hfidSegments);
      const only = hfid.length === 1 && hfid[0]?.length === 1 ? hfid[0][0] : undefined;
      if (only !== undefined && this.schema.attribute(model, only)) identifiers = [only];
    }
    if (identifiers.length === 0) return undefined;
    const parts = identifiers.length === 1 ? [key] : key.split('__');
    if (parts.length !== identifiers.length) return undefined;
    return Object.fromEntries(identifiers.map((f, i) => [f, parts[i] ?? null]));
  }

  private refModel(model: string, field: string, rel: RelationshipSchema): string {
    return this.ctx.models[model]?.references[field] ?? rel.peer;
  }

  /** The value a (possibly relationship-crossing) hfid path takes for a record. */
  private pathValue(model: string, fields: Record<string, Value>, segs: string[]): string | undefined {
    const [head, ...rest] = segs;
    if (head === undefined) return undefined;
    const v = fields[head];
    if (rest.length === 0) return isScalar(v) ? String(v) : undefined;
    const rel = this.schema.relationship(model, head);
    if (!rel || typeof v !== 'string') return undefined;
    const peerModel = this.refModel(model, head, rel);
    const peerFields = this.identityFromKey(peerModel, v);
    return peerFields ? this.pathValue(peerModel, peerFields, rest) : undefined;
  }

  /** The kind's human-friendly id for a record, or undefined when the kind has none or a part is unknown. */
  hfidFor(model: string, fields: Record<string, Value>): string[] | undefined {
    const components = this.schema.hfid(model);
    if (components.length === 0) return undefined;
    const out: string[] = [];
    for (const c of components) {
      const v = this.pathValue(model, fields, hfidSegments(c));
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  /** How a mutation would name the peer `v` of `model.field`: its node id when known, else its
   *  hfid; undefined when it could name it neither way. */
  peerReference(model: string, field: string, v: Value): { id: string } | { hfid: string[] } | undefined {
    const rel = this.schema.relationship(model, field);
    if (!rel) return undefined;
    try {
      return this.peerRef(model, field, rel, v);
    } catch (err) {
      if (err instanceof OpError) return undefined;
      throw err;
    }
  }

  /** Nodes found by a peer kind's naming attribute (peer-names.ts): `<kind>\0<attr>\0<value>` -> ids. */
  namedPeers = new Map<string, string[]>();

  /** How a peer named by its naming attribute (ModelWriteSpec.peerAttributes) is sent: by hfid when
   *  that attribute is the peer kind's whole hfid, else by the node the lookup found. */
  private namedPeer(model: string, field: string, rel: RelationshipSchema, attribute: string, value: string): { id: string } | { hfid: string[] } {
    if (!this.schema.isGeneric(rel.peer) && JSON.stringify(this.schema.hfid(rel.peer)) === JSON.stringify([`${attribute}__value`])) {
      return { hfid: [value] };
    }
    const ids = this.namedPeers.get(namedPeerKey(rel.peer, attribute, value)) ?? [];
    if (ids.length === 1) return { id: ids[0] as string };
    throw new OpError(
      ids.length === 0
        ? `${model}.${field}: peer not found: no ${rel.peer} has ${attribute} "${value}"`
        : `${model}.${field}: ${ids.length} ${rel.peer} nodes have ${attribute} "${value}"; cannot tell which one is meant`,
    );
  }

  private peerRef(model: string, field: string, rel: RelationshipSchema, v: Value): { id: string } | { hfid: string[] } {
    const obj = typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
    if (obj && typeof obj.id === 'string') return { id: obj.id };
    if (!isScalar(v)) throw new OpError(`${model}.${field}: ${JSON.stringify(v)} is not a reference key`);
    const attribute = this.ctx.models[model]?.peerAttributes?.[field];
    if (attribute && !this.ctx.models[model]?.references[field]) return this.namedPeer(model, field, rel, attribute, String(v));
    const peerModel = this.refModel(model, field, rel);
    const key = String(v);
    const id = this.ctx.peerId(peerModel, key);
    if (id) return { id };
    const identity = this.identityFromKey(peerModel, key);
    const hfid = identity ? this.hfidFor(peerModel, identity) : undefined;
    if (hfid && !this.schema.isGeneric(peerModel)) return { hfid };
    throw new OpError(`${model}.${field}: peer not found: ${peerModel} "${key}"`);
  }

  /** Mutation input for the fields of a change: attributes as `{ value }`, peers as `{ id }` / `{ hfid }`,
   *  each with the lineage (source, owner, is_protected).
   *  Read-only fields (an address's ip_prefix, a prefix's utilization) are Infrahub's to compute:
   *  they are read and compared, never sent (the mutation input types do not have them). */
  private fieldsInput(model: string, fields: Record<string, Value>): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(fields)) {
      const attr = this.schema.attribute(model, name);
      if (attr) {
        if (attr.read_only) continue;
        data[name] = { value: attributeValue(model, attr, v), ...this.attrLineage };
        continue;
      }
      const rel = this.schema.relationship(model, name);
      if (!rel) throw new OpError(`${model} has no attribute or relationship "${name}"`);
      if (rel.read_only) continue;
      if (rel.cardinality === 'one') {
        // null clears the relationship.
        data[name] = v === null || v === undefined ? null : { ...this.peerRef(model, name, rel, v), ...this.peerLineage };
      } else {
        const list = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
        // The whole set is sent: Infrahub replaces the peers, so stale ones are removed.
        data[name] = list.map((p) => ({ ...this.peerRef(model, name, rel, p), ...this.peerLineage }));
      }
    }
    return data;
  }

  /** The concrete node kind to mutate; generics have no mutations of their own. */
  private mutationKind(change: Change, concreteKindOf: ConcreteKindOf): string {
    if (!this.schema.has(change.model)) throw new OpError(`kind ${change.model} not found in the Infrahub schema`);
    if (!this.schema.isGeneric(change.model)) return change.model;
    const concrete = change.destinationId ? concreteKindOf(change.destinationId) : undefined;
    if (concrete) return concrete;
    const impls = this.schema.concreteKinds(change.model);
    if (change.action === 'create' && impls.length === 1 && impls[0]) return impls[0];
    throw new OpError(
      `${change.model} is a generic; cannot ${change.action} "${change.key}" without knowing its concrete kind` +
        (impls.length > 0 ? ` (one of ${impls.join(', ')})` : ''),
    );
  }

  /** `existingId`: the node a create of a kind without hfid was found to duplicate
   *  (create-lookup.ts); the create then updates it with the same data, so sending it again
   *  changes nothing. */
  build(change: Change, concreteKindOf: ConcreteKindOf, existingId?: string): MutationOp | 'gone' {
    // A generic's node whose id no longer resolves to a concrete kind has already been deleted.
    if (
      change.action === 'delete' &&
      change.destinationId &&
      this.schema.isGeneric(change.model) &&
      !concreteKindOf(change.destinationId)
    ) {
      return 'gone';
    }
    const kind = this.mutationKind(change, concreteKindOf);
    const all: Record<string, Value> = { ...change.ids, ...change.attrs };
    if (change.action === 'delete') {
      if (change.destinationId) {
        return { change, mutation: `${kind}Delete`, inputType: 'DeleteInput', data: { id: change.destinationId }, isDelete: true };
      }
      const hfid = this.hfidFor(kind, change.ids);
      if (!hfid) throw new OpError(`cannot delete "${change.key}": no node id and ${kind} has no usable human-friendly id`);
      return { change, mutation: `${kind}Delete`, inputType: 'DeleteInput', data: { hfid }, isDelete: true };
    }
    if (change.action === 'update' && change.destinationId) {
      const data = { id: change.destinationId, ...this.fieldsInput(kind, change.attrs) };
      return { change, mutation: `${kind}Update`, inputType: `${kind}UpdateInput`, data, isDelete: false };
    }
    if (change.action === 'create' && existingId) {
      const data = { id: existingId, ...this.fieldsInput(kind, all) };
      return { change, mutation: `${kind}Update`, inputType: `${kind}UpdateInput`, data, isDelete: false };
    }
    const hfid = this.hfidFor(kind, all);
    if (change.action === 'update') {
      // An update with no known node id is keyed by hfid; Update (unlike Upsert) needs no mandatory fields.
      if (!hfid) throw new OpError(`cannot update "${change.key}": no node id and ${kind} has no usable human-friendly id`);
      const data = { hfid, ...this.fieldsInput(kind, change.attrs) };
      return { change, mutation: `${kind}Update`, inputType: `${kind}UpdateInput`, data, isDelete: false };
    }
    const data = { ...(hfid ? { hfid } : {}), ...this.fieldsInput(kind, all) };
    if (this.schema.hfid(kind).length === 0) {
      // No hfid: an Upsert would match by the default filter's value alone (a prefix of another
      // VRF, a device of one name at another site) or by nothing. Looked up first instead, and
      // created only when nothing holds its identity (create-lookup.ts).
      return { change, mutation: `${kind}Create`, inputType: `${kind}CreateInput`, data, isDelete: false };
    }
    // Create as Upsert keyed by hfid: a redelivered or retried create then updates the node instead of duplicating it.
    return { change, mutation: `${kind}Upsert`, inputType: `${kind}UpsertInput`, data, isDelete: false };
  }
}
