import type { Lineage } from './lineage.js';
import type { BranchStore, StoredNode } from './store.js';
import type { KindSchema } from './schema-types.js';

/** Query arguments as graphql-js coerced them. */
export type QueryArgs = Record<string, unknown>;

type Predicate = (node: StoredNode) => boolean;

const PAGING_KEYS = new Set(['offset', 'limit', 'order', 'partial_match', 'include_descendants']);
const PROPERTY_SUFFIXES = ['is_visible', 'is_protected', 'source__id', 'owner__id'];

function same(a: unknown, b: unknown, partial: boolean): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (partial && typeof a === 'string') return a.toLowerCase().includes(String(b).toLowerCase());
  return a === b || String(a) === String(b);
}

/** One attribute-style filter (`name__value`, `name__values`, `name__isnull`, property flags). */
function attributePredicate(attr: string, op: string, expected: unknown, partial: boolean, lineage: Lineage): Predicate | null {
  switch (op) {
    case 'value':
      return (n) => same(n.attrs[attr], expected, partial);
    case 'values': {
      const list = Array.isArray(expected) ? expected : [expected];
      return (n) => list.some((e) => same(n.attrs[attr], e, partial));
    }
    case 'isnull':
      return (n) => (n.attrs[attr] === null || n.attrs[attr] === undefined) === expected;
    case 'is_visible':
      return () => expected === true;
    case 'is_protected':
      return (n) => lineage.attribute(n.id, attr).is_protected === expected;
    case 'source__id':
      return (n) => lineage.attribute(n.id, attr).source === expected;
    case 'owner__id':
      return (n) => lineage.attribute(n.id, attr).owner === expected;
    default:
      return null;
  }
}

/**
 * The result may be the store's shared cached array: callers must not mutate it.
 * Builds the predicates for Infrahub's filter arguments on `schema` and applies them.
 * `candidates` narrows the scan (ids/hfid lookups); unknown arguments never reach here
 * because graphql-js rejects them first.
 */
export function filterNodes(store: BranchStore, schema: KindSchema, args: QueryArgs, candidates?: Iterable<StoredNode>): StoredNode[] {
  const partial = args.partial_match === true;
  const preds: Predicate[] = [];
  let source: Iterable<StoredNode> | undefined = candidates;

  for (const [key, expected] of Object.entries(args)) {
    if (expected === undefined || expected === null || PAGING_KEYS.has(key)) continue;
    if (key === 'ids') {
      const ids = expected as string[];
      if (!candidates) {
        source = ids.map((id) => store.nodes.get(id)).filter((n): n is StoredNode => !!n && store.schema.isA(n.kind, schema.kind));
      } else {
        const set = new Set(ids);
        preds.push((n) => set.has(n.id));
      }
      continue;
    }
    if (key === 'hfid') {
      const hfid = expected as string[];
      if (!candidates) source = store.findByHfid(schema.kind, hfid);
      else preds.push((n) => JSON.stringify(store.hfid(n)) === JSON.stringify(hfid));
      continue;
    }
    if (key === 'isnull') continue;
    const parts = key.split('__');
    const head = parts[0] ?? '';
    const rest = parts.slice(1).join('__');
    if (head === 'any') {
      const attrs = schema.attributes.map((a) => a.name);
      const per = attrs.map((a) => attributePredicate(a, rest, expected, partial, store.lineage)).filter((p): p is Predicate => !!p);
      preds.push((n) => per.some((p) => p(n)));
      continue;
    }
    if (schema.attributeByName.has(head)) {
      const p = attributePredicate(head, rest, expected, partial, store.lineage);
      if (p) preds.push(p);
      continue;
    }
    const rel = schema.relationshipByName.get(head);
    const peerSchema = rel ? store.schema.get(rel.peer) : undefined;
    if (!rel || !peerSchema) continue;
    if (rest === 'ids') {
      const set = new Set(expected as string[]);
      preds.push((n) => store.peersOf(n.id, rel).some((id) => set.has(id)));
    } else if (rest === 'isnull') {
      preds.push((n) => (store.peersOf(n.id, rel).length === 0) === expected);
    } else {
      const [peerAttr, ...opParts] = rest.split('__');
      const op = opParts.join('__');
      if (!peerAttr || PROPERTY_SUFFIXES.includes(op) || !peerSchema.attributeByName.has(peerAttr)) continue;
      const p = attributePredicate(peerAttr, op, expected, partial, store.lineage);
      if (!p) continue;
      preds.push((n) =>
        store.peersOf(n.id, rel).some((id) => {
          const peer = store.nodes.get(id);
          return !!peer && p(peer);
        }),
      );
    }
  }
  if (preds.length === 0 && source === undefined) return store.listOf(schema.kind);
  const out: StoredNode[] = [];
  outer: for (const node of source ?? store.nodesOf(schema.kind)) {
    for (const p of preds) if (!p(node)) continue outer;
    out.push(node);
  }
  return out;
}

export function paginate<T>(items: T[], args: QueryArgs): T[] {
  const offset = typeof args.offset === 'number' && args.offset > 0 ? args.offset : 0;
  const limit = typeof args.limit === 'number' && args.limit >= 0 ? args.limit : undefined;
  if (offset === 0 && limit === undefined) return items;
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}
