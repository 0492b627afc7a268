// Infrahub's IPAM reconciliation, as the stand-in does it: within one IP namespace, a prefix's
// `parent` is the most specific other prefix containing it (its `children` are the reverse
// edges, `is_top_level` says it has no parent), and an address's `ip_prefix` is the most specific
// prefix containing the address. Infrahub recomputes these read-only fields whenever a prefix or
// an address is created, changed or deleted; so does this, touching only what the change can move.
import { parseIpSpan, type IpSpan } from '../../../shared/mapping/ip.js';
import type { RelationshipSchema } from './schema-types.js';
import type { BranchStore, StoredNode } from './store.js';

export const IP_PREFIX = 'BuiltinIPPrefix';
export const IP_ADDRESS = 'BuiltinIPAddress';

/** What an IPAM node was before a write: its namespace and span (null for a new node). */
export interface IpamPlace {
  namespace: string | null;
  span: IpSpan | null;
}

const spans = new Map<string, IpSpan | null>();

function spanOf(text: unknown, isAddress: boolean): IpSpan | null {
  if (typeof text !== 'string') return null;
  const key = `${isAddress ? 'a' : 'p'}${text}`;
  let hit = spans.get(key);
  if (hit === undefined) {
    try {
      // An address's mask says which subnet it was typed in, not where it sits.
      hit = parseIpSpan(isAddress ? (text.split('/')[0] ?? '') : text);
    } catch {
      hit = null;
    }
    spans.set(key, hit);
  }
  return hit;
}

function contains(outer: IpSpan, inner: IpSpan): boolean {
  return outer.v === inner.v && outer.start <= inner.start && inner.end <= outer.end;
}

function size(s: IpSpan): bigint {
  return s.end - s.start;
}

export function ipamRole(store: BranchStore, kind: string): 'prefix' | 'address' | null {
  if (store.schema.isA(kind, IP_PREFIX)) return 'prefix';
  if (store.schema.isA(kind, IP_ADDRESS)) return 'address';
  return null;
}

function rel(store: BranchStore, node: StoredNode, name: string): RelationshipSchema | undefined {
  return store.kindSchema(node).relationshipByName.get(name);
}

/** The node's namespace id and span as stored now. */
export function ipamPlace(store: BranchStore, node: StoredNode): IpamPlace {
  const role = ipamRole(store, node.kind);
  const nsRel = rel(store, node, 'ip_namespace');
  const namespace = nsRel ? (store.peersOf(node.id, nsRel)[0] ?? null) : null;
  const span = role === 'prefix' ? spanOf(node.attrs.prefix, false) : role === 'address' ? spanOf(node.attrs.address, true) : null;
  return { namespace, span };
}

function members(store: BranchStore, namespace: string, relName: 'ip_prefixes' | 'ip_addresses'): StoredNode[] {
  const ns = store.nodes.get(namespace);
  const r = ns ? rel(store, ns, relName) : undefined;
  if (!ns || !r) return [];
  return store.peersOf(ns.id, r).map((id) => store.nodes.get(id)).filter((n): n is StoredNode => n !== undefined);
}

/** The most specific prefix of `prefixes` containing `span` (strictly, for a prefix's parent). */
function closest(store: BranchStore, prefixes: StoredNode[], span: IpSpan, self: string | null): string | null {
  let best: StoredNode | null = null;
  let bestSpan: IpSpan | null = null;
  for (const p of prefixes) {
    if (p.id === self) continue;
    const s = spanOf(p.attrs.prefix, false);
    if (!s || !contains(s, span)) continue;
    if (self !== null && s.start === span.start && s.end === span.end) continue;
    if (!bestSpan || size(s) < size(bestSpan)) {
      best = p;
      bestSpan = s;
    }
  }
  return best?.id ?? null;
}

function setOne(store: BranchStore, node: StoredNode, relName: string, peer: string | null, touched: Set<string>): void {
  const r = rel(store, node, relName);
  if (!r) return;
  const current = store.peersOf(node.id, r)[0] ?? null;
  if (current === peer) return;
  for (const t of store.setPeers(node.id, r, peer === null ? [] : [peer])) touched.add(t);
}

function placePrefix(store: BranchStore, node: StoredNode, prefixes: StoredNode[], touched: Set<string>): void {
  const span = spanOf(node.attrs.prefix, false);
  const parent = span ? closest(store, prefixes, span, node.id) : null;
  setOne(store, node, 'parent', parent, touched);
  if (store.kindSchema(node).attributeByName.has('is_top_level')) node.attrs.is_top_level = parent === null;
}

function placeAddress(store: BranchStore, node: StoredNode, prefixes: StoredNode[], touched: Set<string>): void {
  const span = spanOf(node.attrs.address, true);
  setOne(store, node, 'ip_prefix', span ? closest(store, prefixes, span, null) : null, touched);
}

/**
 * Recomputes what a write to `node` (or its deletion, when `node` is gone from the store) can
 * change: the node itself, and in its old and new namespace the prefixes and addresses inside
 * its old or new span. Returns the ids whose edges changed.
 */
export function reconcileIpam(store: BranchStore, node: StoredNode, role: 'prefix' | 'address', before: IpamPlace): Set<string> {
  const touched = new Set<string>();
  const alive = store.nodes.has(node.id);
  const now = alive ? ipamPlace(store, node) : { namespace: null, span: null };
  if (alive && before.namespace === now.namespace && sameSpan(before.span, now.span)) return touched;
  if (role === 'address') {
    if (alive) placeAddress(store, node, now.namespace ? members(store, now.namespace, 'ip_prefixes') : [], touched);
    return touched;
  }
  const namespaces = new Set([before.namespace, now.namespace].filter((n): n is string => n !== null));
  const moved = [before.span, now.span].filter((s): s is IpSpan => s !== null);
  for (const ns of namespaces) {
    const prefixes = members(store, ns, 'ip_prefixes');
    for (const p of prefixes) {
      const s = spanOf(p.attrs.prefix, false);
      if (p.id === node.id || (s && moved.some((m) => contains(m, s)))) placePrefix(store, p, prefixes, touched);
    }
    for (const a of members(store, ns, 'ip_addresses')) {
      const s = spanOf(a.attrs.address, true);
      if (s && moved.some((m) => contains(m, s))) placeAddress(store, a, prefixes, touched);
    }
  }
  return touched;
}

function sameSpan(a: IpSpan | null, b: IpSpan | null): boolean {
  if (a === null || b === null) return a === b;
  return a.v === b.v && a.start === b.start && a.end === b.end;
}
