import {
  attributeRequired,
  nodeNotFound,
  StandinError,
  uniquenessViolation,
  validationError,
} from './errors.js';
import { ipamPlace, ipamRole, reconcileIpam, type IpamPlace } from './ipam.js';
import { attributeLineage, edgeLineage, type LineageInput } from './lineage.js';
import { pyTitle } from '../../../shared/mapping/python.js';
import { BranchStore, newId, type StoredNode } from './store.js';
import type { KindSchema, RelationshipSchema } from './schema-types.js';
import { ipDetails, normaliseValue } from './values.js';

/** A mutation's `data` argument as graphql-js coerced it (absent keys missing, explicit null kept). */
export type MutationData = Record<string, unknown>;

interface PeerRef {
  id?: string | null;
  hfid?: string[] | null;
  kind?: string | null;
}

const IDENTITY_KEYS = new Set(['id', 'hfid', 'kind']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function now(): string {
  return new Date().toISOString();
}

/** Resolves a `{id}` / `{hfid}` / `{hfid, kind}` reference to a node of the relationship's peer kind. */
export function resolvePeer(store: BranchStore, rel: RelationshipSchema, ref: PeerRef): StoredNode {
  if (ref.id) {
    const node = store.nodes.get(ref.id);
    if (!node || !store.schema.isA(node.kind, rel.peer)) throw nodeNotFound(rel.peer, ref.id);
    return node;
  }
  if (ref.hfid && ref.hfid.length > 0) {
    const kind = ref.kind ?? rel.peer;
    if (!store.schema.get(kind)) throw nodeNotFound(kind, ref.hfid.join(', '));
    const found = store.findByHfid(kind, ref.hfid).filter((n) => store.schema.isA(n.kind, rel.peer));
    if (found.length === 0) throw nodeNotFound(kind, ref.hfid.join(', '));
    if (found.length > 1) {
      throw validationError(`Multiple nodes of ${kind} match hfid ${ref.hfid.join(', ')}; give the kind`, { kind });
    }
    return found[0] as StoredNode;
  }
  throw validationError(`A relationship needs an id or an hfid (${rel.name})`, { field_name: rel.name });
}

/** Finds the node an Update/Delete names by id or hfid. */
export function findTarget(store: BranchStore, schema: KindSchema, data: MutationData): StoredNode {
  const id = typeof data.id === 'string' ? data.id : null;
  if (id) {
    const node = store.nodes.get(id);
    if (!node || !store.schema.isA(node.kind, schema.kind)) throw nodeNotFound(schema.kind, id);
    return node;
  }
  const hfid = Array.isArray(data.hfid) ? (data.hfid as string[]) : null;
  if (hfid && hfid.length > 0) {
    const found = store.findByHfid(schema.kind, hfid);
    if (found.length === 0) throw nodeNotFound(schema.kind, hfid.join(', '));
    return found[0] as StoredNode;
  }
  throw validationError(`Either id or hfid must be provided to identify a ${schema.kind}`);
}

interface Planned {
  attrs: Record<string, unknown>;
  defaulted: Set<string>;
  rels: Map<string, string[]>;
  /** Lineage sent with attributes, and with relationship peers (by peer id). */
  attrLineage: Map<string, LineageInput>;
  relLineage: Map<string, Map<string, LineageInput>>;
}

function plan(store: BranchStore, schema: KindSchema, data: MutationData, existing: StoredNode | null): Planned {
  const attrs: Record<string, unknown> = existing ? { ...existing.attrs } : {};
  const defaulted = existing ? new Set(existing.defaulted) : new Set<string>();
  const attrLineage = new Map<string, LineageInput>();
  const relLineage = new Map<string, Map<string, LineageInput>>();
  for (const attr of schema.attributes) {
    const given = data[attr.name];
    const lineage = isRecord(given) && !attr.readOnly ? attributeLineage(given) : undefined;
    if (lineage) attrLineage.set(attr.name, lineage);
    if (attr.readOnly) {
      if (!existing) attrs[attr.name] = null;
      continue;
    }
    let value: unknown = null;
    if (!existing) {
      const input = data[attr.name];
      value = isRecord(input) && input.value !== undefined ? input.value : null;
      if (value === null && attr.defaultValue !== null) {
        value = attr.defaultValue;
        defaulted.add(attr.name);
      }
    } else {
      if (!Object.prototype.hasOwnProperty.call(data, attr.name)) continue;
      const input = data[attr.name];
      if (isRecord(input) && input.value !== undefined) {
        value = input.value;
        defaulted.delete(attr.name);
      } else if (isRecord(input) && input.is_default === true && attr.defaultValue !== null) {
        value = attr.defaultValue;
        defaulted.add(attr.name);
      } else if (input !== null) {
        continue;
      }
    }
    const normalised = normaliseValue(schema.kind, attr, value);
    if (normalised === null && !attr.optional) throw attributeRequired(schema.kind, attr.name);
    attrs[attr.name] = normalised;
  }
  if (!existing) fillLabel(schema, attrs, defaulted);
  const rels = new Map<string, string[]>();
  for (const rel of schema.relationships) {
    if (rel.readOnly) continue;
    const present = Object.prototype.hasOwnProperty.call(data, rel.name);
    if (!present) {
      if (!existing && !rel.optional) throw attributeRequired(schema.kind, rel.name);
      continue;
    }
    const input = data[rel.name];
    const refs: PeerRef[] = input === null || input === undefined ? [] : Array.isArray(input) ? (input as PeerRef[]) : [input as PeerRef];
    const ids = refs.filter((r) => r !== null).map((r) => {
      const id = resolvePeer(store, rel, r).id;
      const lineage = edgeLineage(r as Record<string, unknown>);
      if (lineage) relLineage.set(rel.name, (relLineage.get(rel.name) ?? new Map<string, LineageInput>()).set(id, lineage));
      return id;
    });
    if (ids.length === 0 && !rel.optional) {
      throw validationError(`${rel.name} is mandatory for ${schema.kind}`, { node_kind: schema.kind, field_name: rel.name });
    }
    rels.set(rel.name, rel.cardinality === 'one' ? ids.slice(0, 1) : [...new Set(ids)]);
  }
  return { attrs, defaulted, rels, attrLineage, relLineage };
}

/** As Infrahub 1.11.9 creates a node with both `name` and `label` but no label: the label becomes
 *  the name's words (split on "_") title-cased, so `org-a1b` shows as "Org-A1B" (display labels
 *  of OrganizationGeneric, RoleGeneric, CoreAccount read it). */
function fillLabel(schema: KindSchema, attrs: Record<string, unknown>, defaulted: Set<string>): void {
  if (schema.attributeByName.get('label')?.readOnly !== false || !schema.attributeByName.has('name')) return;
  const name = attrs.name;
  if ((attrs.label !== null && attrs.label !== undefined) || typeof name !== 'string' || name === '') return;
  attrs.label = name.split('_').map(pyTitle).join(' ');
  defaulted.delete('label');
}

function fieldOf(path: string): string {
  return path.split('__')[0] ?? path;
}

function checkUniqueness(store: BranchStore, schema: KindSchema, planned: Planned, selfId: string | null): void {
  const value = (path: string): string | null => {
    const parts = path.split('__');
    const head = parts[0] ?? '';
    if (schema.attributeByName.has(head)) {
      const v = planned.attrs[head];
      return v === null || v === undefined ? null : String(v);
    }
    const rel = schema.relationshipByName.get(head);
    if (!rel) return null;
    const ids = planned.rels.get(head) ?? (selfId ? store.peersOf(selfId, rel) : []);
    if (parts.length === 1) return ids.length === 0 ? null : [...ids].sort().join(',');
    const peer = ids[0] === undefined ? undefined : store.nodes.get(ids[0]);
    return peer ? store.pathValue(peer, parts.slice(1).join('__')) : null;
  };
  schema.uniquenessConstraints.forEach((constraint, i) => {
    const { key } = BranchStore.constraintKey(constraint, value);
    if (key === null) return;
    const holder = store.lookupConstraint(schema.kind, i, key);
    if (holder !== undefined && holder !== selfId) throw uniquenessViolation(constraint.map(fieldOf));
  });
}

/** Fills Infrahub's computed IPAM fields and the default namespace. */
function applyIpam(store: BranchStore, schema: KindSchema, planned: Planned, creating: boolean): void {
  const isPrefix = store.schema.isA(schema.kind, 'BuiltinIPPrefix');
  const isAddress = store.schema.isA(schema.kind, 'BuiltinIPAddress');
  if (!isPrefix && !isAddress) return;
  if (isPrefix && typeof planned.attrs.prefix === 'string') {
    const d = ipDetails(planned.attrs.prefix);
    planned.attrs.netmask = d.netmask ?? null;
    planned.attrs.hostmask = d.hostmask ?? null;
    planned.attrs.network_address = d.network_address ?? d.ip ?? null;
    planned.attrs.broadcast_address = d.broadcast_address ?? null;
    planned.attrs.is_top_level ??= true;
    planned.attrs.utilization ??= 0;
  }
  if (creating && !planned.rels.get('ip_namespace')?.length && schema.relationshipByName.has('ip_namespace')) {
    const ns = store.findByHfid('BuiltinIPNamespace', ['default'])[0];
    if (ns) planned.rels.set('ip_namespace', [ns.id]);
  }
}

function writeRels(store: BranchStore, schema: KindSchema, id: string, planned: Planned): Set<string> {
  const touched = new Set<string>([id]);
  for (const [name, ids] of planned.rels) {
    const rel = schema.relationshipByName.get(name) as RelationshipSchema;
    const before = store.peersOf(id, rel);
    for (const t of store.setPeers(id, rel, ids)) touched.add(t);
    store.lineage.relationshipWritten(rel.identifier, id, before, store.peersOf(id, rel), planned.relLineage.get(name));
  }
  return touched;
}

/** Records the lineage an attribute write carried (a create starts every attribute afresh). */
function writeAttributeLineage(store: BranchStore, schema: KindSchema, id: string, planned: Planned, fresh: boolean): void {
  if (!fresh && planned.attrLineage.size === 0) return;
  for (const attr of schema.attributes) store.lineage.attributeWritten(id, attr.name, planned.attrLineage.get(attr.name), fresh);
}

export function createNode(store: BranchStore, schema: KindSchema, data: MutationData): StoredNode {
  if (schema.isGeneric) throw validationError(`Unable to create a node of the generic kind ${schema.kind}`);
  const requestedId = typeof data.id === 'string' && data.id !== '' ? data.id : null;
  if (requestedId && store.nodes.has(requestedId)) {
    throw new StandinError(`A node with the id ${requestedId} already exists`, 'UNIQUENESS_VIOLATION', 422, { node_kind: schema.kind, fields: ['id'] });
  }
  const planned = plan(store, schema, data, null);
  applyIpam(store, schema, planned, true);
  checkUniqueness(store, schema, planned, null);
  const stamp = now();
  const node: StoredNode = { id: requestedId ?? newId(), kind: schema.kind, attrs: planned.attrs, defaulted: planned.defaulted, createdAt: stamp, updatedAt: stamp };
  store.insertNode(node);
  writeAttributeLineage(store, schema, node.id, planned, true);
  store.reindexAround([node.id], writeRels(store, schema, node.id, planned));
  afterIpamWrite(store, node, { namespace: null, span: null });
  return node;
}

/** Keeps Infrahub's computed IPAM relationships right after a prefix or address changed. */
function afterIpamWrite(store: BranchStore, node: StoredNode, before: IpamPlace): void {
  const role = ipamRole(store, node.kind);
  if (!role) return;
  const touched = reconcileIpam(store, node, role, before);
  if (touched.size > 0) store.reindexAround([], touched);
}

export function updateNode(store: BranchStore, schema: KindSchema, data: MutationData, target?: StoredNode): StoredNode {
  const node = target ?? findTarget(store, schema, data);
  const concrete = store.kindSchema(node);
  const fields: MutationData = {};
  for (const [k, v] of Object.entries(data)) if (!IDENTITY_KEYS.has(k)) fields[k] = v;
  const planned = plan(store, concrete, fields, node);
  applyIpam(store, concrete, planned, false);
  checkUniqueness(store, concrete, planned, node.id);
  const before = ipamRole(store, node.kind) ? ipamPlace(store, node) : null;
  node.attrs = planned.attrs;
  node.defaulted = planned.defaulted;
  node.updatedAt = now();
  writeAttributeLineage(store, concrete, node.id, planned, false);
  store.reindexAround([node.id], writeRels(store, concrete, node.id, planned));
  if (before) afterIpamWrite(store, node, before);
  return node;
}

/**
 * Upsert as Infrahub 1.x matches it: a given `id` must exist; else a given `hfid`, else the
 * default filter's value (which matches across everything the kind holds: two prefixes of one
 * value in two namespaces are "2 nodes returned, expected 1", one is updated whatever its
 * namespace), else the hfid the data implies (Infrahub: the create's HFID violation).
 */
export function upsertNode(store: BranchStore, schema: KindSchema, data: MutationData): { node: StoredNode; created: boolean } {
  let node: StoredNode | undefined;
  if (typeof data.id === 'string') {
    const byId = store.nodes.get(data.id);
    if (!byId || !store.schema.isA(byId.kind, schema.kind)) throw nodeNotFound(schema.kind, data.id);
    node = byId;
  }
  if (!node && Array.isArray(data.hfid) && data.hfid.length > 0) node = store.findByHfid(schema.kind, data.hfid as string[])[0];
  if (!node && schema.defaultFilter && !(Array.isArray(data.hfid) && data.hfid.length > 0)) node = byDefaultFilter(store, schema, data);
  if (!node && schema.humanFriendlyId) {
    const hfid = hfidFromData(store, schema, data);
    if (hfid) node = store.findByHfid(schema.kind, hfid)[0];
  }
  if (node) return { node: updateNode(store, schema, data, node), created: false };
  const createData: MutationData = { ...data };
  delete createData.hfid;
  return { node: createNode(store, schema, createData), created: true };
}

function byDefaultFilter(store: BranchStore, schema: KindSchema, data: MutationData): StoredNode | undefined {
  const attrName = (schema.defaultFilter ?? '').split('__')[0] ?? '';
  const input = data[attrName];
  const raw = isRecord(input) ? input.value : undefined;
  const attr = schema.attributeByName.get(attrName);
  if (raw === undefined || raw === null || raw === '' || !attr) return undefined;
  const value = normaliseValue(schema.kind, attr, raw);
  const found: StoredNode[] = [];
  for (const candidate of store.nodesOf(schema.kind)) {
    if (candidate.attrs[attrName] === value) found.push(candidate);
    if (found.length > 1) {
      throw new StandinError(`Unable to find node '${String(raw)}', ${found.length} nodes returned, expected 1`, 'NODE_NOT_FOUND', 404, {
        node_kind: schema.kind,
        identifier: String(raw),
      });
    }
  }
  return found[0];
}

function hfidFromData(store: BranchStore, schema: KindSchema, data: MutationData): string[] | null {
  const out: string[] = [];
  for (const path of schema.humanFriendlyId ?? []) {
    const parts = path.split('__');
    const head = parts[0] ?? '';
    const attr = schema.attributeByName.get(head);
    if (attr) {
      const input = data[head];
      if (!isRecord(input) || input.value === null || input.value === undefined) return null;
      out.push(String(normaliseValue(schema.kind, attr, input.value)));
      continue;
    }
    const rel = schema.relationshipByName.get(head);
    const input = data[head];
    if (!rel || !isRecord(input)) return null;
    let peer: StoredNode;
    try {
      peer = resolvePeer(store, rel, input as PeerRef);
    } catch {
      return null;
    }
    const v = parts.length === 1 ? peer.id : store.pathValue(peer, parts.slice(1).join('__'));
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** Deletes a node and its components; refuses while a mandatory relationship elsewhere points at it. */
export function deleteNode(store: BranchStore, schema: KindSchema, data: MutationData): StoredNode {
  const node = findTarget(store, schema, data);
  const doomed = new Map<string, StoredNode>([[node.id, node]]);
  const queue = [node];
  while (queue.length > 0) {
    const current = queue.pop() as StoredNode;
    for (const rel of store.kindSchema(current).relationships) {
      if (rel.onDelete !== 'cascade') continue;
      for (const peerId of store.peersOf(current.id, rel)) {
        const peer = store.nodes.get(peerId);
        if (peer && !doomed.has(peerId)) {
          doomed.set(peerId, peer);
          queue.push(peer);
        }
      }
    }
  }
  for (const d of doomed.values()) {
    for (const [peer, rel] of store.incoming(d.id)) {
      if (doomed.has(peer.id) || !rel || rel.optional || rel.cardinality !== 'one') continue;
      throw validationError(
        `Cannot delete ${d.kind} '${d.id}'. It is linked to mandatory relationship ${rel.name} on node ${peer.kind} '${peer.id}'`,
        { node_kind: d.kind, identifier: d.id },
      );
    }
  }
  const neighbours = new Set<string>();
  for (const d of doomed.values()) for (const [peer] of store.incoming(d.id)) if (!doomed.has(peer.id)) neighbours.add(peer.id);
  const places = [...doomed.values()].filter((d) => ipamRole(store, d.kind) === 'prefix').map((d) => [d, ipamPlace(store, d)] as const);
  for (const id of doomed.keys()) store.removeNode(id);
  store.reindexAround([], neighbours);
  // Addresses and prefixes a deleted prefix held move up to the next one containing them.
  for (const [d, place] of places) afterIpamWrite(store, d, place);
  return node;
}
