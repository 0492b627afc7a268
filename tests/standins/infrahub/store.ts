import { Lineage } from './lineage.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { KindSchema, RelationshipSchema } from './schema-types.js';

export interface StoredNode {
  id: string;
  kind: string;
  attrs: Record<string, unknown>;
  /** Attributes whose value came from the schema default. */
  defaulted: Set<string>;
  createdAt: string;
  updatedAt: string;
}

export interface BranchMeta {
  id: string;
  name: string;
  description: string | null;
  origin_branch: string;
  branched_from: string;
  created_at: string;
  sync_with_git: boolean;
  is_default: boolean;
  has_schema_changes: boolean;
  graph_version: number | null;
  status: string;
}

interface EdgeSet {
  out: Map<string, Set<string>>;
  in: Map<string, Set<string>>;
}

interface KindIndex {
  /** One map per uniqueness constraint (same order as the schema's list): key -> node id. */
  byKey: Map<string, string>[];
  keyOf: Map<string, (string | null)[]>;
}

let idCounter = 0;
/** Time-ordered UUID-formatted ids (like Infrahub's UUIDT), so id order is creation order. */
export function newId(): string {
  idCounter = (idCounter + 1) % 0x10000;
  const t = (BigInt(Date.now()) * 1000n + BigInt(idCounter % 1000)).toString(16).padStart(16, '0').slice(-16);
  const r = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  const c = idCounter.toString(16).padStart(4, '0');
  const s = `${t}${c}${r}0000`;
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const VALUE_SUFFIX = '__value';

/** One branch's graph: nodes, relationship edges, and uniqueness/hfid indexes. */
export class BranchStore {
  readonly nodes = new Map<string, StoredNode>();
  readonly byKind = new Map<string, Map<string, StoredNode>>();
  private readonly edges = new Map<string, EdgeSet>();
  private readonly nodeIdentifiers = new Map<string, Set<string>>();
  private indexes = new Map<string, KindIndex>();
  /** Source, owner and is_protected of attributes and edges (lineage.ts). */
  readonly lineage = new Lineage();

  constructor(
    public schema: SchemaRegistry,
    readonly meta: BranchMeta,
  ) {}

  /** A copy for a new branch; indexes are rebuilt on first use. */
  clone(meta: BranchMeta): BranchStore {
    const copy = new BranchStore(this.schema, meta);
    for (const node of this.nodes.values()) {
      copy.insertNode({ ...node, attrs: { ...node.attrs }, defaulted: new Set(node.defaulted) });
    }
    for (const [identifier, set] of this.edges) {
      for (const [src, dsts] of set.out) for (const dst of dsts) copy.addEdge(identifier, src, dst);
    }
    copy.lineage.copyFrom(this.lineage);
    return copy;
  }

  /**
   * Takes over one node of a branch-agnostic kind (CoreAccount, CoreAccountGroup) as `from` holds
   * it: a real Infrahub keeps such nodes outside branches, so one written in any branch is seen,
   * changed and deleted in all of them. Attributes and their lineage are copied; edges are copied
   * where the peer exists here too (accounts and groups are not linked to branch data by syncs).
   */
  adopt(from: BranchStore, id: string): void {
    const source = from.nodes.get(id);
    if (!source) {
      this.removeNode(id);
      return;
    }
    const mine = this.nodes.get(id);
    if (mine) {
      this.unindex(mine);
      mine.attrs = { ...source.attrs };
      mine.defaulted = new Set(source.defaulted);
      mine.updatedAt = source.updatedAt;
      this.version++;
    } else {
      this.insertNode({ ...source, attrs: { ...source.attrs }, defaulted: new Set(source.defaulted) });
    }
    for (const identifier of from.nodeIdentifiers.get(id) ?? []) {
      const set = from.edges.get(identifier);
      for (const dst of set?.out.get(id) ?? []) if (this.nodes.has(dst)) this.addEdge(identifier, id, dst);
      for (const src of set?.in.get(id) ?? []) if (this.nodes.has(src)) this.addEdge(identifier, src, id);
    }
    this.lineage.copyNode(from.lineage, id);
    this.reindex(id);
  }

  setSchema(schema: SchemaRegistry): void {
    this.schema = schema;
    this.indexes = new Map();
    this.relKeyKinds.clear();
    this.pathCache.clear();
  }

  kindSchema(node: StoredNode): KindSchema {
    const schema = this.schema.get(node.kind);
    if (!schema) throw new Error(`node ${node.id} has unknown kind ${node.kind}`);
    return schema;
  }

  /** Nodes of a kind (a generic returns every implementing kind's nodes), creation order per kind. */
  *nodesOf(kind: string): Iterable<StoredNode> {
    for (const concrete of this.schema.concreteKinds(kind)) {
      const map = this.byKind.get(concrete);
      if (map) yield* map.values();
    }
  }

  private version = 0;
  private readonly listCache = new Map<string, { version: number; list: StoredNode[] }>();

  /** Nodes of a kind as a shared array (do not mutate), cached until a node is added or removed. */
  listOf(kind: string): StoredNode[] {
    const hit = this.listCache.get(kind);
    if (hit && hit.version === this.version) return hit.list;
    const list = [...this.nodesOf(kind)];
    this.listCache.set(kind, { version: this.version, list });
    return list;
  }

  countOf(kind: string): number {
    let n = 0;
    for (const concrete of this.schema.concreteKinds(kind)) n += this.byKind.get(concrete)?.size ?? 0;
    return n;
  }

  insertNode(node: StoredNode): void {
    this.version++;
    this.nodes.set(node.id, node);
    let map = this.byKind.get(node.kind);
    if (!map) this.byKind.set(node.kind, (map = new Map()));
    map.set(node.id, node);
  }

  removeNode(id: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    this.version++;
    for (const identifier of [...(this.nodeIdentifiers.get(id) ?? [])]) {
      const set = this.edges.get(identifier);
      if (!set) continue;
      for (const peer of set.out.get(id) ?? []) set.in.get(peer)?.delete(id);
      for (const peer of set.in.get(id) ?? []) set.out.get(peer)?.delete(id);
      set.out.delete(id);
      set.in.delete(id);
    }
    this.nodeIdentifiers.delete(id);
    this.unindex(node);
    this.nodes.delete(id);
    this.byKind.get(node.kind)?.delete(id);
  }

  addEdge(identifier: string, src: string, dst: string): void {
    let set = this.edges.get(identifier);
    if (!set) this.edges.set(identifier, (set = { out: new Map(), in: new Map() }));
    let o = set.out.get(src);
    if (!o) set.out.set(src, (o = new Set()));
    o.add(dst);
    let i = set.in.get(dst);
    if (!i) set.in.set(dst, (i = new Set()));
    i.add(src);
    for (const id of [src, dst]) {
      let ids = this.nodeIdentifiers.get(id);
      if (!ids) this.nodeIdentifiers.set(id, (ids = new Set()));
      ids.add(identifier);
    }
  }

  private removeEdge(identifier: string, src: string, dst: string): void {
    const set = this.edges.get(identifier);
    set?.out.get(src)?.delete(dst);
    set?.in.get(dst)?.delete(src);
  }

  /** Every edge, for the state file. */
  *allEdges(): Iterable<[string, string, string]> {
    for (const [identifier, set] of this.edges) {
      for (const [src, dsts] of set.out) for (const dst of dsts) yield [identifier, src, dst];
    }
  }

  /** Raw neighbours of a node on one identifier, with the direction they were stored in. */
  private neighbours(id: string, rel: RelationshipSchema): Iterable<string> {
    const set = this.edges.get(rel.identifier);
    if (!set) return [];
    const out = rel.side === 'in' ? undefined : set.out.get(id);
    const inn = rel.side === 'out' ? undefined : set.in.get(id);
    if (!inn || inn.size === 0) return out ?? [];
    if (!out || out.size === 0) return inn;
    return new Set([...out, ...inn]);
  }

  /** Peer ids a node has through one of its relationships. */
  peersOf(id: string, rel: RelationshipSchema): string[] {
    const out: string[] = [];
    for (const peerId of this.neighbours(id, rel)) {
      const peer = this.nodes.get(peerId);
      if (peer && this.schema.isA(peer.kind, rel.peer)) out.push(peerId);
    }
    return out;
  }

  /**
   * Replaces a node's peers through one relationship. Returns the ids whose relationships
   * changed (for reindexing). A peer whose reverse relationship holds one node loses its
   * previous edge, as Infrahub moves a child to its new parent.
   */
  setPeers(id: string, rel: RelationshipSchema, peerIds: string[]): Set<string> {
    const touched = new Set<string>([id]);
    for (const old of [...this.peersOf(id, rel)]) {
      touched.add(old);
      if (rel.side === 'in') this.removeEdge(rel.identifier, old, id);
      else {
        this.removeEdge(rel.identifier, id, old);
        if (rel.side === 'both') this.removeEdge(rel.identifier, old, id);
      }
    }
    for (const peerId of peerIds) {
      touched.add(peerId);
      const peer = this.nodes.get(peerId);
      const reverse = peer ? this.reverseRelationship(peer.kind, rel) : undefined;
      if (peer && reverse && reverse.cardinality === 'one') {
        for (const prev of [...this.peersOf(peerId, reverse)]) {
          if (prev === id) continue;
          touched.add(prev);
          if (reverse.side === 'in') this.removeEdge(rel.identifier, prev, peerId);
          else {
            this.removeEdge(rel.identifier, peerId, prev);
            if (reverse.side === 'both') this.removeEdge(rel.identifier, prev, peerId);
          }
        }
      }
      if (rel.side === 'in') this.addEdge(rel.identifier, peerId, id);
      else this.addEdge(rel.identifier, id, peerId);
    }
    return touched;
  }

  /** The relationship on `peerKind` that is the other end of `rel`, if the schema has one. */
  reverseRelationship(peerKind: string, rel: RelationshipSchema): RelationshipSchema | undefined {
    const schema = this.schema.get(peerKind);
    if (!schema) return undefined;
    for (const r of schema.relationships) {
      if (r.identifier !== rel.identifier) continue;
      if (rel.side === 'both' ? r.name === rel.name : r.side !== rel.side) return r;
    }
    return undefined;
  }

  /** Nodes linked to `id` through any identifier, with the relationship on their side. */
  *incoming(id: string): Iterable<[StoredNode, RelationshipSchema | undefined]> {
    for (const identifier of this.nodeIdentifiers.get(id) ?? []) {
      const set = this.edges.get(identifier);
      if (!set) continue;
      const seen = new Set<string>();
      for (const [peers, peerSide] of [[set.out.get(id), 'in'], [set.in.get(id), 'out']] as const) {
        for (const peerId of peers ?? []) {
          const peer = this.nodes.get(peerId);
          if (!peer || seen.has(peerId + peerSide)) continue;
          seen.add(peerId + peerSide);
          const rel = this.kindSchema(peer).relationships.find(
            (r) => r.identifier === identifier && (r.side === peerSide || r.side === 'both'),
          );
          yield [peer, rel];
        }
      }
    }
  }

  // ---- paths, hfid, display label ----

  private readonly pathCache = new Map<string, Map<string, (node: StoredNode) => string | null>>();

  /** Value of an Infrahub path (`name__value`, `device__name__value`, `device`) on a node. */
  pathValue(node: StoredNode, path: string): string | null {
    let byPath = this.pathCache.get(node.kind);
    if (!byPath) this.pathCache.set(node.kind, (byPath = new Map()));
    let fn = byPath.get(path);
    if (!fn) {
      fn = this.compilePath(this.kindSchema(node), path);
      byPath.set(path, fn);
    }
    return fn(node);
  }

  private compilePath(schema: KindSchema, path: string): (node: StoredNode) => string | null {
    const parts = path.split('__');
    const head = parts[0] ?? '';
    if (schema.attributeByName.has(head)) {
      return (node) => {
        const v = node.attrs[head];
        return v === null || v === undefined ? null : String(v);
      };
    }
    const rel = schema.relationshipByName.get(head);
    if (!rel) return () => null;
    if (parts.length === 1) {
      return (node) => {
        const peers = this.peersOf(node.id, rel);
        return peers.length === 0 ? null : [...peers].sort().join(',');
      };
    }
    const rest = parts.slice(1).join('__');
    return (node) => {
      const id = this.peersOf(node.id, rel)[0];
      const peer = id === undefined ? undefined : this.nodes.get(id);
      return peer ? this.pathValue(peer, rest) : null;
    };
  }

  hfid(node: StoredNode): string[] | null {
    const paths = this.kindSchema(node).humanFriendlyId;
    if (!paths) return null;
    return paths.map((p) => this.pathValue(node, p) ?? '');
  }

  displayLabel(node: StoredNode): string {
    const labels = this.kindSchema(node).displayLabels;
    if (labels.length === 0) return `${node.kind}(ID: ${node.id})`;
    const parts = labels.map((l) => {
      if (l.includes('{{')) return l.replace(/\{\{\s*([\w]+)\s*\}\}/g, (_m, p: string) => this.pathValue(node, p) ?? '');
      return this.pathValue(node, l.endsWith(VALUE_SUFFIX) || l.includes('__') ? l : `${l}${VALUE_SUFFIX}`) ?? '';
    });
    return parts.join(' ').trim();
  }

  // ---- uniqueness / hfid indexes ----

  /** Key of a constraint computed by `value(path)`; null when any part is empty. */
  static constraintKey(paths: string[], value: (path: string) => string | null): { key: string | null; values: string[] } {
    const values: string[] = [];
    for (const p of paths) {
      const v = value(p);
      if (v === null || v === '') return { key: null, values };
      values.push(v);
    }
    return { key: JSON.stringify(values), values };
  }

  private index(kind: string): KindIndex {
    let idx = this.indexes.get(kind);
    if (idx) return idx;
    const schema = this.schema.get(kind);
    idx = { byKey: (schema?.uniquenessConstraints ?? []).map(() => new Map()), keyOf: new Map() };
    this.indexes.set(kind, idx);
    for (const node of this.byKind.get(kind)?.values() ?? []) this.reindex(node.id);
    return idx;
  }

  /** Recomputes a node's index keys after it (or something its keys read) changed. */
  reindex(id: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    const idx = this.indexes.get(node.kind);
    if (!idx) return;
    this.unindex(node);
    const constraints = this.kindSchema(node).uniquenessConstraints;
    const keys = constraints.map((c, i) => {
      const { key } = BranchStore.constraintKey(c, (p) => this.pathValue(node, p));
      if (key !== null) idx.byKey[i]?.set(key, id);
      return key;
    });
    idx.keyOf.set(id, keys);
  }

  private unindex(node: StoredNode): void {
    const idx = this.indexes.get(node.kind);
    const keys = idx?.keyOf.get(node.id);
    if (!idx || !keys) return;
    keys.forEach((key, i) => {
      if (key !== null && idx.byKey[i]?.get(key) === node.id) idx.byKey[i]?.delete(key);
    });
    idx.keyOf.delete(node.id);
  }

  /** Id of the node of `kind` holding `key` for constraint number `i`. */
  lookupConstraint(kind: string, i: number, key: string): string | undefined {
    return this.index(kind).byKey[i]?.get(key);
  }

  /** Finds a node by hfid within a kind (a generic searches its implementing kinds). */
  findByHfid(kind: string, hfid: string[]): StoredNode[] {
    const key = JSON.stringify(hfid);
    const found: StoredNode[] = [];
    for (const concrete of this.schema.concreteKinds(kind)) {
      const schema = this.schema.get(concrete);
      if (!schema?.humanFriendlyId || schema.humanFriendlyId.length !== hfid.length) continue;
      const hfidPaths = JSON.stringify(schema.humanFriendlyId);
      const i = schema.uniquenessConstraints.findIndex((c) => JSON.stringify(c) === hfidPaths);
      const id = i >= 0 ? this.lookupConstraint(concrete, i, key) : undefined;
      const node = id === undefined ? undefined : this.nodes.get(id);
      if (node) found.push(node);
    }
    return found;
  }

  private readonly relKeyKinds = new Map<string, boolean>();
  private keysReadRelationships(kind: string): boolean {
    let hit = this.relKeyKinds.get(kind);
    if (hit === undefined) {
      const schema = this.schema.get(kind);
      hit = !!schema?.uniquenessConstraints.some((c) => c.some((p) => schema.relationshipByName.has(p.split('__')[0] ?? '')));
      this.relKeyKinds.set(kind, hit);
    }
    return hit;
  }

  /**
   * Reindexes after a write: nodes whose attributes changed, plus the nodes whose keys read
   * those attributes through a relationship; and nodes whose edges changed (their own keys only,
   * so adding a node to a tag with 10,000 members costs one reindex, not 10,000).
   */
  reindexAround(attrsChanged: Iterable<string>, edgesChanged: Iterable<string> = []): void {
    const todo = new Set<string>(edgesChanged);
    for (const id of attrsChanged) {
      todo.add(id);
      for (const [peer] of this.incoming(id)) if (this.keysReadRelationships(peer.kind)) todo.add(peer.id);
    }
    for (const id of todo) this.reindex(id);
  }

}
