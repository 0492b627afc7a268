// Finds the node a create of a kind without hfid would duplicate, before it is written. Such a
// create cannot go as an Upsert keyed by hfid, and a plain Create sent twice (a redelivered
// message; a batch resent after a connection lost once the server had written it) makes a second
// node, or, where Infrahub enforces a uniqueness constraint, a refusal for a node that was in fact
// written. So the create is matched first against the kind's identities in Infrahub:
// - an enforced one (a uniqueness constraint, a unique attribute) by its values alone: a node that
//   holds them is the node, whatever else it holds;
// - an IPAM identity (an address or prefix within its namespace), which Infrahub does not enforce,
//   together with the sync's identifiers: NetBox holds one prefix per VRF, all in one namespace;
// - for a kind with neither, by the sync's identifiers.
// One query per (kind, identity) for a batch, filtered by one plain attribute of the identity.
// A create that finds a node becomes an update of it; one that finds two different nodes fails.
import type { Change, Identity, Value } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import { isTransientError } from '../http/retry.js';
import type { ApplyContext } from '../types.js';
import type { InfrahubClient } from './client.js';
import { kindIdentities } from './model-facts.js';
import { buildListQuery, buildSelection, nodeToRecord } from './read-query.js';
import type { InfrahubSchema } from './schema.js';
import { attributeValue, OpError, type OpBuilder } from './write-ops.js';

export interface LookupOptions {
  client: InfrahubClient;
  schema: InfrahubSchema;
  branch: string | undefined;
  pageSize: number;
}

export interface LookupResult {
  /** change id -> node id of the node the create would duplicate. */
  existing: Map<string, { id: string; by: string }>;
  /** change id -> why its kind could not be looked up, or why the create names two nodes
   *  (the create is then not sent). */
  failed: Map<string, string>;
}

/** Variable type of `<attr>__values` per attribute kind (Infrahub's filter arguments). */
export function listType(attrKind: string): string | undefined {
  if (attrKind === 'Number' || attrKind === 'Bandwidth') return '[BigInt]';
  if (attrKind === 'Boolean' || attrKind === 'Checkbox') return '[Boolean]';
  if (attrKind === 'List' || attrKind === 'JSON' || attrKind === 'Any') return undefined;
  return '[String]';
}

/** The node kind a create of `model` mutates, when it is known without a node id. */
export function createKind(schema: InfrahubSchema, model: string): string | undefined {
  if (!schema.has(model)) return undefined;
  if (!schema.isGeneric(model)) return model;
  const impls = schema.concreteKinds(model);
  return impls.length === 1 ? impls[0] : undefined;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An attribute value as the mutation would write it, for comparing; undefined when it cannot be written. */
function comparable(kind: string, schema: InfrahubSchema, field: string, v: unknown): string | undefined {
  const attr = schema.attribute(kind, field);
  if (!attr) return undefined;
  try {
    return JSON.stringify(attributeValue(kind, attr, (v ?? null) as Value));
  } catch (err) {
    if (err instanceof OpError) return undefined;
    throw err;
  }
}

type PeerName = { id: string } | { hfid: string[] };

/** The peers a change names for a reference field, each by node id or, when the run does not know
 *  the id (a webhook-scoped run loads no peers), by hfid; undefined when one cannot be named. */
function wantedPeers(builder: OpBuilder, model: string, field: string, v: Value | undefined): PeerName[] | undefined {
  const list = v === null || v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];
  const out: PeerName[] = [];
  for (const p of list) {
    const name = builder.peerReference(model, field, p);
    if (!name) return undefined;
    out.push(name);
  }
  return out;
}

/** The peers a node holds for a relationship, as nodeToRecord reads them (`{id, hfid?}`). */
function heldPeers(v: unknown): { id: string; hfid: string }[] {
  const list = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.flatMap((p) =>
    isObj(p) && typeof p.id === 'string' ? [{ id: p.id, hfid: Array.isArray(p.hfid) ? JSON.stringify(p.hfid) : '' }] : [],
  );
}

/** Whether the named peers are exactly the held ones, each matched once, by id or by hfid. */
function samePeers(want: PeerName[], have: { id: string; hfid: string }[]): boolean {
  if (want.length !== have.length) return false;
  const left = [...have];
  for (const w of want) {
    const i = left.findIndex((h) => ('id' in w ? h.id === w.id : h.hfid !== '' && h.hfid === JSON.stringify(w.hfid)));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** What one query finds a create's node by: an identity's fields, plus the sync's identifiers
 *  when the identity is not one Infrahub enforces. */
interface Probe {
  label: string;
  /** Fields that must all match; a field in `defaults` left empty by the create means that value. */
  fields: string[];
  defaults: Record<string, string>;
  /** A plain attribute among the fields, to filter the query by. */
  filterAttr: string;
}

function probesFor(kind: string, identifiers: string[], schema: InfrahubSchema): Probe[] {
  const probes: Probe[] = [];
  const usable = (id: Identity) => id.parts.every((p) => p.via === undefined && (schema.attribute(kind, p.field) || schema.relationship(kind, p.field)));
  const filterable = (fields: string[]) => fields.find((f) => listType(schema.attribute(kind, f)?.kind ?? 'JSON') !== undefined);
  const ids = kindIdentities(schema, kind).filter(usable);
  for (const id of ids) {
    const fields = [...new Set([...id.parts.map((p) => p.field), ...(id.enforced ? [] : identifiers)])];
    const filterAttr = filterable(id.parts.map((p) => p.field));
    if (!filterAttr) continue;
    const defaults = Object.fromEntries(id.parts.flatMap((p) => (p.defaultsTo === undefined ? [] : [[p.field, p.defaultsTo]])));
    probes.push({ label: id.label, fields, defaults, filterAttr });
  }
  if (probes.length === 0 && identifiers.length > 0) {
    // No identity Infrahub knows: the sync's own key is all there is.
    const fields = identifiers.filter((f) => schema.attribute(kind, f) || schema.relationship(kind, f));
    const filter = schema.get(kind)?.default_filter?.split('__')[0];
    const filterAttr = filter && fields.includes(filter) && listType(schema.attribute(kind, filter)?.kind ?? 'JSON') ? filter : filterable(fields);
    if (filterAttr && fields.length === identifiers.length) probes.push({ label: `identifiers (${identifiers.join(', ')})`, fields, defaults: {}, filterAttr });
  }
  return probes;
}

/** Whether a looked-up node holds what a create would write in every probe field. */
function matches(kind: string, change: Change, node: Record<string, unknown>, probe: Probe, opts: LookupOptions, builder: OpBuilder): boolean {
  const all: Record<string, Value> = { ...change.ids, ...change.attrs };
  for (const f of probe.fields) {
    if (opts.schema.relationship(kind, f)) {
      const given = all[f];
      const fallback = probe.defaults[f];
      const want =
        (given === undefined || given === null || given === '') && fallback !== undefined
          ? [{ hfid: [fallback] }]
          : wantedPeers(builder, change.model, f, given);
      if (!want || !samePeers(want, heldPeers(node[f]))) return false;
      continue;
    }
    const want = comparable(kind, opts.schema, f, all[f]);
    if (want === undefined || want !== comparable(kind, opts.schema, f, node[f])) return false;
  }
  return true;
}

/** A lookup the server refused (GraphQL errors): that kind's creates fail, others go on. */
class LookupError extends Error {}

interface Group {
  kind: string;
  probe: Probe;
  changes: Change[];
  values: unknown[];
}

async function fetchCandidates(group: Group, opts: LookupOptions): Promise<Record<string, unknown>[]> {
  const { kind, probe } = group;
  const attr = opts.schema.attribute(kind, probe.filterAttr);
  const type = attr ? listType(attr.kind) : undefined;
  if (!attr || !type) throw new LookupError(`${kind}: cannot filter on ${probe.filterAttr}`);
  // Relationships are read with their peers' hfid too: a peer the change names only by hfid.
  const paths = probe.fields.flatMap((f) => (opts.schema.relationship(kind, f) ? [f, `${f}.hfid`] : [f]));
  const sel = buildSelection(opts.schema, kind, paths);
  const query = buildListQuery(kind, sel, {
    withIds: false,
    withHfid: false,
    withTypename: false,
    filter: { arg: `${probe.filterAttr}__values`, type },
  });
  type Page = Record<string, { count: number; edges: { node: Record<string, unknown> }[] } | undefined>;
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  // Usually one page: only nodes sharing a value with this batch's creates come back.
  for (let offset = 0; ; offset += opts.pageSize) {
    const res = await opts.client.execute<Page>(query, { offset, limit: opts.pageSize, filter: group.values }, opts.branch);
    const page = res.data?.[kind];
    if (res.errors.length > 0 || !page) {
      throw new LookupError(res.errors.map((e) => e.message).join('; ') || `no "${kind}" in the lookup result`);
    }
    for (const e of page.edges) {
      const id = String(e.node.id);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(nodeToRecord(e.node, sel));
    }
    if (page.edges.length === 0 || offset + opts.pageSize >= page.count) break;
  }
  // Stable choice when a duplicate already exists: the lowest node id.
  return out.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Whether creates of a kind are looked up before they are written: kinds without an hfid (those
 *  with one go as an Upsert keyed by it, which finds the node itself). */
export function looksUpCreates(schema: InfrahubSchema, kind: string): boolean {
  return schema.hfid(kind).length === 0;
}

/** Looks up, per kind without hfid, the nodes the given creates would duplicate. Auth failures and
 *  an unavailable server (unreachable, 5xx, 429 after retries) throw; any other lookup failure fails that kind's creates (never sent blind). */
export async function findExisting(
  changes: Change[],
  ctx: ApplyContext,
  builder: OpBuilder,
  opts: LookupOptions,
): Promise<LookupResult> {
  const res: LookupResult = { existing: new Map(), failed: new Map() };
  const groups = new Map<string, Group>();
  for (const c of changes) {
    if (c.action !== 'create') continue;
    const kind = createKind(opts.schema, c.model);
    if (!kind || !looksUpCreates(opts.schema, kind)) continue;
    const identifiers = ctx.models[c.model]?.identifiers ?? [];
    for (const probe of probesFor(kind, identifiers, opts.schema)) {
      const attr = opts.schema.attribute(kind, probe.filterAttr);
      const v = { ...c.ids, ...c.attrs }[probe.filterAttr];
      if (!attr || v === null || v === undefined || v === '') continue;
      let value: unknown;
      try {
        value = attributeValue(kind, attr, v);
      } catch (err) {
        if (err instanceof OpError) continue; // the create itself reports the bad value
        throw err;
      }
      const k = `${kind}\u0000${probe.label}`;
      const g = groups.get(k) ?? { kind, probe, changes: [], values: [] };
      g.changes.push(c);
      if (!g.values.some((x) => JSON.stringify(x) === JSON.stringify(value))) g.values.push(value);
      groups.set(k, g);
    }
  }
  const found = new Map<string, { id: string; by: string }[]>();
  for (const g of groups.values()) {
    let nodes: Record<string, unknown>[];
    try {
      nodes = await fetchCandidates(g, opts);
    } catch (err) {
      // Auth failures and an unavailable server (unreachable, 5xx, 429 after retries) stop the
      // apply, as they would at the first batch.
      if (err instanceof AdapterError && (err.status === 401 || err.status === 403 || isTransientError(err))) throw err;
      if (!(err instanceof LookupError) && !(err instanceof AdapterError)) throw err;
      const message = `not created: could not check for an existing ${g.kind} (${err instanceof Error ? err.message : String(err)})`;
      for (const c of g.changes) res.failed.set(c.id, message);
      continue;
    }
    const taken = new Set<string>();
    for (const c of g.changes) {
      const node = nodes.find((n) => !taken.has(String(n.id)) && matches(g.kind, c, n, g.probe, opts, builder));
      if (!node) continue;
      taken.add(String(node.id));
      found.set(c.id, [...(found.get(c.id) ?? []), { id: String(node.id), by: g.probe.label }]);
    }
  }
  for (const [changeId, hits] of found) {
    if (res.failed.has(changeId)) continue;
    const ids = [...new Set(hits.map((h) => h.id))];
    if (ids.length === 1) res.existing.set(changeId, hits[0] as { id: string; by: string });
    else res.failed.set(changeId, `not created: it matches two nodes in Infrahub, ${hits.map((h) => `${h.id} by its ${h.by}`).join(' and ')}`);
  }
  return res;
}

