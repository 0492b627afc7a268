// Builds the list query for one kind from the dotted field paths a load asks for, and turns the
// returned nodes into raw records. Everything a record needs comes back in the same query (peer ids,
// and the peer attributes a dotted path reaches), so a load never needs per-node follow-ups.
import { AdapterError } from '../../errors.js';
import type { RawRecord } from '../types.js';
import { SYSTEM } from './client.js';
import type { InfrahubSchema } from './schema.js';

export interface Selection {
  attrs: Set<string>;
  rels: Map<string, { cardinality: 'one' | 'many'; peer: string; sub: Selection }>;
  /** Fields that only some implementers of a generic have, selected with `... on <Kind>`. */
  fragments: Map<string, Selection>;
  /** Whether a path asked for the node's `hfid` (`peer.hfid`: a related node's own hfid). */
  hfid: boolean;
}

const BUILTIN_FIELDS = new Set(['id', 'hfid', 'display_label', '__typename']);
/** Attribute properties a path may name after the attribute; all read as the attribute's value. */
const VALUE_SUFFIXES = new Set(['value']);

function emptySelection(): Selection {
  return { attrs: new Set(), rels: new Map(), fragments: new Map(), hfid: false };
}

/** Adds one dotted path; returns false when the kind (or any implementer) has no such field. */
function addPath(schema: InfrahubSchema, kind: string, sel: Selection, segments: string[], depth: number): boolean {
  const [head, ...rest] = segments;
  if (head === 'hfid') sel.hfid = true;
  if (head === undefined || BUILTIN_FIELDS.has(head)) return true;
  if (schema.attribute(kind, head)) {
    // Only the value is fetched: `name` and `name.value` both read it; a raw record holds the value.
    sel.attrs.add(head);
    return rest.length === 0 || (rest.length === 1 && VALUE_SUFFIXES.has(rest[0] ?? ''));
  }
  const rel = schema.relationship(kind, head);
  if (rel) {
    let entry = sel.rels.get(head);
    if (!entry) {
      entry = { cardinality: rel.cardinality, peer: rel.peer, sub: emptySelection() };
      sel.rels.set(head, entry);
    }
    // Bound the nesting so a cyclic path cannot build an unbounded query.
    if (rest.length > 0 && depth < 4) return addPath(schema, rel.peer, entry.sub, rest, depth + 1);
    return true;
  }
  if (schema.isGeneric(kind)) {
    let found = false;
    for (const impl of schema.concreteKinds(kind)) {
      if (!schema.attribute(impl, head) && !schema.relationship(impl, head)) continue;
      let frag = sel.fragments.get(impl);
      if (!frag) {
        frag = emptySelection();
        sel.fragments.set(impl, frag);
      }
      found = addPath(schema, impl, frag, segments, depth) || found;
    }
    return found;
  }
  return false;
}

/** Whether a dotted path names a field of the kind (or of an implementer, for a generic). */
export function hasPath(schema: InfrahubSchema, kind: string, path: string): boolean {
  return addPath(schema, kind, emptySelection(), path.split('.'), 0);
}

export function buildSelection(schema: InfrahubSchema, kind: string, paths: string[]): Selection {
  const sel = emptySelection();
  const unknown: string[] = [];
  for (const p of paths) {
    if (!addPath(schema, kind, sel, p.split('.'), 0)) unknown.push(p);
  }
  if (unknown.length > 0) {
    throw new AdapterError(SYSTEM, `${kind} has no field ${unknown.map((u) => `"${u}"`).join(', ')}`);
  }
  return sel;
}

function renderSelection(sel: Selection, indent: string): string {
  const lines: string[] = [];
  for (const a of sel.attrs) lines.push(`${indent}${a} { value }`);
  for (const [name, r] of sel.rels) {
    const inner = renderSelection(r.sub, `${indent}    `);
    const typename = r.sub.fragments.size > 0 ? ' __typename' : '';
    const hfid = r.sub.hfid ? ' hfid' : '';
    const node = `node { id${hfid}${typename}${inner ? `\n${inner}\n${indent}  ` : ' '}}`;
    lines.push(r.cardinality === 'one' ? `${indent}${name} { ${node} }` : `${indent}${name} { edges { ${node} } }`);
  }
  for (const [kind, frag] of sel.fragments) {
    lines.push(`${indent}... on ${kind} {\n${renderSelection(frag, `${indent}  `)}\n${indent}}`);
  }
  return lines.join('\n');
}

/** The page query: `count` plus one page of nodes, offset and limit as variables. */
export function buildListQuery(
  kind: string,
  sel: Selection,
  opts: {
    withIds: boolean;
    withHfid: boolean;
    withTypename: boolean;
    /** One filter argument (e.g. `prefix__values`) taking the variable `$filter` of `type`. */
    filter?: { arg: string; type: string };
  },
): string {
  const f = opts.filter;
  const args = ['offset: $offset', 'limit: $limit', ...(opts.withIds ? ['ids: $ids'] : []), ...(f ? [`${f.arg}: $filter`] : [])].join(', ');
  const vars = ['$offset: Int', '$limit: Int', ...(opts.withIds ? ['$ids: [ID]'] : []), ...(f ? [`$filter: ${f.type}`] : [])].join(', ');
  const body = renderSelection(sel, '        ');
  return [
    `query List${kind}(${vars}) {`,
    `  ${kind}(${args}) {`,
    '    count',
    '    edges {',
    '      node {',
    '        id',
    // Only asked for where it can vary: response size and server work are per node.
    ...(opts.withHfid ? ['        hfid'] : []),
    ...(opts.withTypename ? ['        __typename'] : []),
    body,
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

type Json = Record<string, unknown>;

function asObj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function readSelection(node: Json, sel: Selection, out: RawRecord): void {
  for (const a of sel.attrs) {
    const attr = asObj(node[a]);
    out[a] = attr ? (attr.value ?? null) : null;
  }
  for (const [name, r] of sel.rels) {
    const rel = asObj(node[name]);
    if (r.cardinality === 'one') {
      const peer = asObj(rel?.node);
      out[name] = peer ? readPeer(peer, r.sub) : null;
    } else {
      const edges = Array.isArray(rel?.edges) ? (rel.edges as unknown[]) : [];
      out[name] = edges
        .map((e) => asObj(asObj(e)?.node))
        .filter((p): p is Json => p !== undefined)
        .map((p) => readPeer(p, r.sub));
    }
  }
  const typename = node.__typename;
  for (const [kind, frag] of sel.fragments) {
    if (typename === kind) readSelection(node, frag, out);
  }
}

function readPeer(peer: Json, sub: Selection): RawRecord {
  const out: RawRecord = { id: peer.id };
  if (sub.hfid) out.hfid = peer.hfid ?? null;
  readSelection(peer, sub, out);
  return out;
}

/** One Infrahub node as a raw record: `{ id, hfid, <attr>: value, <one>: {id}|null, <many>: [{id}] }`, plus
 *  `__typename` (the concrete kind) when the kind read is a generic. */
export function nodeToRecord(node: Json, sel: Selection): RawRecord {
  const out: RawRecord = { id: node.id, hfid: node.hfid ?? null };
  if (node.__typename !== undefined) out.__typename = node.__typename;
  readSelection(node, sel, out);
  return out;
}
