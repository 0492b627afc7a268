// What the Infrahub schema says about one mapped model, in the shape the pure steps read
// (ModelFacts): relationships behind mapped fields, read-only fields, and every identity Infrahub
// matches or enforces: the human-friendly id, the uniqueness constraints (a node's own or, when it
// declares none, its generic's), unique attributes, and the IPAM identities (a prefix or an address
// within its namespace), which Infrahub does not refuse but which name one network fact.
import type { FieldFacts, Identity, IdentityPart, ModelFacts } from '../../diff/types.js';
import type { InfrahubSchema, KindSchema } from './schema.js';

const IPAM: { generic: string; attribute: string; label: string }[] = [
  { generic: 'BuiltinIPPrefix', attribute: 'prefix', label: 'IPAM prefix within its namespace' },
  { generic: 'BuiltinIPAddress', attribute: 'address', label: 'IPAM address within its namespace' },
];
/** The namespace Infrahub puts a prefix or address in when none is given. */
export const DEFAULT_NAMESPACE = 'default';

/** A schema path (`name__value`, `device`, `device__name__value`) as an identity part. */
function part(path: string): IdentityPart {
  const segs = path.split('__');
  if (segs.length > 1 && segs[segs.length - 1] === 'value') segs.pop();
  const [field, via] = segs;
  return via === undefined ? { field: field ?? path } : { field: field ?? path, via };
}

function sameParts(a: IdentityPart[], b: IdentityPart[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every identity of one node kind, the hfid first, without repeats. */
export function kindIdentities(schema: InfrahubSchema, kind: string): Identity[] {
  const k = schema.get(kind);
  if (!k) return [];
  const out: Identity[] = [];
  const add = (id: Identity): void => {
    if (!out.some((o) => sameParts(o.parts, id.parts))) out.push(id);
  };
  const hfid = schema.hfid(kind);
  if (hfid.length > 0) add({ label: 'human-friendly id', parts: hfid.map(part), enforced: true });
  for (const c of constraintsOf(schema, k)) {
    const parts = c.map(part);
    add({ label: `uniqueness constraint '${parts.map((p) => p.field).join('-')}'`, parts, enforced: true });
  }
  for (const a of k.attributes) if (a.unique) add({ label: `unique attribute '${a.name}'`, parts: [{ field: a.name }], enforced: true });
  for (const ipam of IPAM) {
    if (!(k.inherit_from ?? []).includes(ipam.generic)) continue;
    const parts: IdentityPart[] = [{ field: ipam.attribute }];
    if (schema.relationship(kind, 'ip_namespace')) parts.push({ field: 'ip_namespace', defaultsTo: DEFAULT_NAMESPACE });
    add({ label: ipam.label, parts, enforced: false });
  }
  return out;
}

/** A kind's uniqueness constraints; a node that declares none has its generics' (as Infrahub 1.11). */
function constraintsOf(schema: InfrahubSchema, k: KindSchema): string[][] {
  if (k.uniqueness_constraints && k.uniqueness_constraints.length > 0) return k.uniqueness_constraints;
  for (const g of k.inherit_from ?? []) {
    const c = schema.get(g)?.uniqueness_constraints;
    if (c && c.length > 0) return c;
  }
  return [];
}

/** The identities every concrete kind of a model shares (a generic's creates may land on any). */
function modelIdentities(schema: InfrahubSchema, kinds: string[]): Identity[] {
  const [first, ...rest] = kinds.map((k) => kindIdentities(schema, k));
  if (!first) return [];
  return first.filter((id) => rest.every((other) => other.some((o) => sameParts(o.parts, id.parts))));
}

/** The field as the model has it; a generic's field may exist only on some implementers. */
function fieldFacts(schema: InfrahubSchema, model: string, kinds: string[], name: string): FieldFacts {
  for (const kind of [model, ...kinds]) {
    const attr = schema.attribute(kind, name);
    if (attr) return { kind: 'attribute', readOnly: attr.read_only === true };
    const rel = schema.relationship(kind, name);
    if (!rel) continue;
    const facts: FieldFacts = {
      kind: 'relationship',
      peer: rel.peer,
      peerKinds: schema.concreteKinds(rel.peer),
      cardinality: rel.cardinality,
      readOnly: rel.read_only === true,
    };
    const naming = peerNaming(schema, rel.peer);
    if (naming) Object.assign(facts, naming);
    return facts;
  }
  return { kind: 'missing' };
}

/** How a plain value can name a node of `peer`: its one-attribute hfid, else its default filter. */
function peerNaming(schema: InfrahubSchema, peer: string): { peerAttribute: string; peerHfid: boolean } | undefined {
  const hfid = schema.hfid(peer);
  if (hfid.length === 1) {
    const p = part(hfid[0] as string);
    if (p.via === undefined && schema.attribute(peer, p.field)) return { peerAttribute: p.field, peerHfid: true };
  }
  const filter = schema.get(peer)?.default_filter;
  const attr = filter ? part(filter) : undefined;
  if (attr && attr.via === undefined && schema.attribute(peer, attr.field)) return { peerAttribute: attr.field, peerHfid: false };
  return undefined;
}

export function modelFacts(schema: InfrahubSchema, model: string, fields: readonly string[]): ModelFacts | undefined {
  if (!schema.has(model)) return undefined;
  const kinds = schema.concreteKinds(model);
  return {
    kinds,
    fields: Object.fromEntries(fields.map((f) => [f, fieldFacts(schema, model, kinds, f)])),
    identities: modelIdentities(schema, kinds),
  };
}
