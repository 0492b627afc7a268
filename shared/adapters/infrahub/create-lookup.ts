// Finds the nodes that creates of hfid-less kinds would duplicate. Those creates cannot go as
// Upserts (Infrahub would match on the default filter's value alone and merge records that only
// share it), and a plain Create sent twice (a redelivered message, a batch resent after a dropped
// connection that the server had applied) makes a second node. So before sending them, one query
// per kind asks for the nodes holding any of the batch's default-filter values, and a create whose
// identifiers all match a node becomes an update of that node.
import type { Change, Value } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import { isTransientError } from '../http/retry.js';
import type { ApplyContext } from '../types.js';
import type { InfrahubClient } from './client.js';
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
  existing: Map<string, string>;
  /** change id -> why its kind could not be looked up (the create is then not sent). */
  failed: Map<string, string>;
}

/** Variable type of `<attr>__values` per attribute kind (Infrahub's filter arguments). */
function listType(attrKind: string): string | undefined {
  if (attrKind === 'Number' || attrKind === 'Bandwidth') return '[BigInt]';
  if (attrKind === 'Boolean' || attrKind === 'Checkbox') return '[Boolean]';
  if (attrKind === 'List' || attrKind === 'JSON' || attrKind === 'Any') return undefined;
  return '[String]';
}

/** The node kind a create of `model` mutates, when it is known without a node id. */
function createKind(schema: InfrahubSchema, model: string): string | undefined {
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

/** Whether every identifier of a create matches a looked-up node. */
function matches(
  kind: string,
  change: Change,
  node: Record<string, unknown>,
  identifiers: string[],
  opts: LookupOptions,
  builder: OpBuilder,
): boolean {
  const all: Record<string, Value> = { ...change.ids, ...change.attrs };
  for (const f of identifiers) {
    if (opts.schema.relationship(kind, f)) {
      const want = wantedPeers(builder, change.model, f, all[f]);
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

interface KindGroup {
  filterAttr: string;
  /** Identifier fields of all the group's changes that the kind has. */
  identifiers: Set<string>;
  /** What to select for them: each field, and for relationships the peers' hfid too. */
  paths: Set<string>;
  changes: Change[];
  values: unknown[];
}

async function fetchCandidates(kind: string, group: KindGroup, opts: LookupOptions): Promise<Record<string, unknown>[]> {
  const attr = opts.schema.attribute(kind, group.filterAttr);
  const type = attr ? listType(attr.kind) : undefined;
  if (!attr || !type) throw new LookupError(`${kind}: cannot filter on ${group.filterAttr}`);
  const sel = buildSelection(opts.schema, kind, [...group.paths]);
  const query = buildListQuery(kind, sel, {
    withIds: false,
    withHfid: false,
    withTypename: false,
    filter: { arg: `${group.filterAttr}__values`, type },
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
  return out;
}

/** Looks up, per hfid-less kind, the nodes the given creates would duplicate. Auth failures and an
 *  unavailable server throw; any other lookup failure fails that kind's creates (never sent blind). */
export async function findExisting(
  changes: Change[],
  ctx: ApplyContext,
  builder: OpBuilder,
  opts: LookupOptions,
): Promise<LookupResult> {
  const res: LookupResult = { existing: new Map(), failed: new Map() };
  const groups = new Map<string, KindGroup>();
  for (const c of changes) {
    if (c.action !== 'create') continue;
    const kind = createKind(opts.schema, c.model);
    if (!kind || !builder.createsByValue(kind)) continue;
    const filterAttr = (opts.schema.get(kind)?.default_filter ?? '').split('__')[0] ?? '';
    const identifiers = ctx.models[c.model]?.identifiers ?? [];
    const attr = opts.schema.attribute(kind, filterAttr);
    const v = { ...c.ids, ...c.attrs }[filterAttr];
    if (!attr || identifiers.length === 0 || v === null || v === undefined) continue;
    let value: unknown;
    try {
      value = attributeValue(kind, attr, v);
    } catch (err) {
      if (err instanceof OpError) continue; // the create itself reports the bad value
      throw err;
    }
    let g = groups.get(kind);
    if (!g) {
      g = { filterAttr, identifiers: new Set(), paths: new Set(), changes: [], values: [] };
      groups.set(kind, g);
    }
    for (const f of identifiers) {
      const rel = opts.schema.relationship(kind, f);
      if (!opts.schema.attribute(kind, f) && !rel) continue;
      g.identifiers.add(f);
      g.paths.add(f);
      // A peer the change can only name by hfid is recognised by the hfid the node's peer has.
      if (rel) g.paths.add(`${f}.hfid`);
    }
    g.changes.push(c);
    if (!g.values.some((x) => JSON.stringify(x) === JSON.stringify(value))) g.values.push(value);
  }
  for (const [kind, g] of groups) {
    let nodes: Record<string, unknown>[];
    try {
      nodes = await fetchCandidates(kind, g, opts);
    } catch (err) {
      // Auth failures and an unavailable server (unreachable, 5xx, 429 after retries) stop the
      // apply, as they would at the first batch.
      if (err instanceof AdapterError && (err.status === 401 || err.status === 403 || isTransientError(err))) throw err;
      if (!(err instanceof LookupError) && !(err instanceof AdapterError)) throw err;
      const message = `not created: could not check for an existing ${kind} (${err instanceof Error ? err.message : String(err)})`;
      for (const c of g.changes) res.failed.set(c.id, message);
      continue;
    }
    // Stable choice when a duplicate already exists: the lowest node id.
    nodes.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const taken = new Set<string>();
    for (const c of g.changes) {
      const identifiers = ctx.models[c.model]?.identifiers ?? [];
      const node = nodes.find((n) => !taken.has(String(n.id)) && matches(kind, c, n, identifiers, opts, builder));
      if (!node) continue;
      taken.add(String(node.id));
      res.existing.set(c.id, String(node.id));
    }
  }
  return res;
}
