import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { attributeField } from './attribute-fields.js';
import { filterNodes, paginate } from './query-filters.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { AttributeSchema, RelationshipSchema } from './schema-types.js';
import type { BranchStore, StoredNode } from './store.js';

/**
 * A direct executor for the list queries adapters send page after page (plain fields, aliases,
 * variables; no fragments or directives). graphql-js spends most of a 1,000-node page on
 * per-field bookkeeping; this walks the selection once. Anything it does not recognise makes it
 * give up (return null) and graphql-js answers instead, so results never differ; the
 * conformance tests compare the two on the same queries.
 */
class GiveUp extends Error {}

type Vars = Record<string, unknown>;
type FieldDefs = Record<string, GraphQLField<unknown, unknown>>;

const fieldCache = new WeakMap<SelectionSetNode, FieldNode[]>();

/** The fields of a selection set (cached: the same set is walked once per node of a page). */
function plainFields(set: SelectionSetNode | undefined): FieldNode[] {
  if (!set) throw new GiveUp();
  const hit = fieldCache.get(set);
  if (hit) return hit;
  const out: FieldNode[] = [];
  const keys = new Set<string>();
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD || (sel.directives && sel.directives.length > 0)) throw new GiveUp();
    const key = sel.alias?.value ?? sel.name.value;
    if (keys.has(key)) throw new GiveUp();
    keys.add(key);
    out.push(sel);
  }
  fieldCache.set(set, out);
  return out;
}

const responseKey = (f: FieldNode): string => f.alias?.value ?? f.name.value;

class Renderer {
  private readonly fieldDefs = new Map<string, FieldDefs>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly store: BranchStore,
    private readonly vars: Vars,
  ) {}

  private defsOf(typeName: string): FieldDefs {
    let defs = this.fieldDefs.get(typeName);
    if (!defs) {
      const t = this.schema.getType(typeName) as GraphQLObjectType | undefined;
      if (!t || !('getFields' in t)) throw new GiveUp();
      defs = t.getFields() as FieldDefs;
      this.fieldDefs.set(typeName, defs);
    }
    return defs;
  }

  private readonly argCache = new Map<FieldNode, Map<string, Record<string, unknown>>>();

  /** Arguments of a field; the same for every node of one kind within a request. */
  args(typeName: string, field: FieldNode): Record<string, unknown> {
    let perType = this.argCache.get(field);
    if (!perType) this.argCache.set(field, (perType = new Map()));
    let args = perType.get(typeName);
    if (!args) {
      const def = this.defsOf(typeName)[field.name.value];
      if (!def) throw new GiveUp();
      args = (field.arguments?.length ?? 0) === 0 ? {} : getArgumentValues(def, field, this.vars);
      perType.set(typeName, args);
    }
    return args;
  }

  page(sel: FieldNode, count: number, nodes: StoredNode[], pageType: string, edgeType: string, nested: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of plainFields(sel.selectionSet)) {
      const name = f.name.value;
      if (name === 'count') out[responseKey(f)] = count;
      else if (name === 'edges') out[responseKey(f)] = nodes.map((n) => this.edge(f, n, edgeType, nested));
      else if (name === '__typename') out[responseKey(f)] = pageType;
      else throw new GiveUp();
    }
    return out;
  }

  edge(sel: FieldNode, node: StoredNode | null, edgeType: string, nested: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of plainFields(sel.selectionSet)) {
      const name = f.name.value;
      if (name === 'node') out[responseKey(f)] = node ? this.node(f, node) : null;
      else if (name === '__typename') out[responseKey(f)] = edgeType;
      else if (name === '_updated_at' && nested) out[responseKey(f)] = node?.updatedAt ?? null;
      else throw new GiveUp();
    }
    return out;
  }

  node(sel: FieldNode, node: StoredNode): Record<string, unknown> {
    const schema = this.store.kindSchema(node);
    const out: Record<string, unknown> = {};
    for (const f of plainFields(sel.selectionSet)) {
      const name = f.name.value;
      const key = responseKey(f);
      switch (name) {
        case 'id':
          out[key] = node.id;
          continue;
        case 'hfid':
          out[key] = this.store.hfid(node);
          continue;
        case 'display_label':
          out[key] = this.store.displayLabel(node);
          continue;
        case '_updated_at':
          out[key] = node.updatedAt;
          continue;
        case '__typename':
          out[key] = node.kind;
          continue;
      }
      const attr = schema.attributeByName.get(name);
      if (attr) {
        out[key] = this.attribute(f, node, attr);
        continue;
      }
      const rel = schema.relationshipByName.get(name);
      if (!rel) throw new GiveUp();
      out[key] = rel.cardinality === 'one' ? this.one(f, node, rel) : this.many(f, node, rel);
    }
    return out;
  }

  attribute(sel: FieldNode, node: StoredNode, attr: AttributeSchema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of plainFields(sel.selectionSet)) {
      const name = f.name.value;
      if (name === 'is_protected' || name === 'source' || name === 'owner') {
        out[responseKey(f)] = this.lineage(f, node, attr);
        continue;
      }
      const v = attributeField(node, attr, name);
      if (v === undefined) throw new GiveUp();
      out[responseKey(f)] = v;
    }
    return out;
  }

  /** An attribute's is_protected, or the account / group its source or owner names. */
  lineage(sel: FieldNode, node: StoredNode, attr: AttributeSchema): unknown {
    const props = this.store.lineage.attribute(node.id, attr.name);
    if (sel.name.value === 'is_protected') return props.is_protected;
    const id = sel.name.value === 'source' ? props.source : props.owner;
    const peer = id ? this.store.nodes.get(id) : undefined;
    if (!peer) return null;
    // A node that is no account or group is graphql-js's error to answer.
    if (!this.store.schema.isA(peer.kind, sel.name.value === 'source' ? 'LineageSource' : 'LineageOwner')) throw new GiveUp();
    return this.node(sel, peer);
  }

  one(sel: FieldNode, node: StoredNode, rel: RelationshipSchema): Record<string, unknown> {
    const id = this.store.peersOf(node.id, rel)[0];
    const peer = id === undefined ? undefined : this.store.nodes.get(id);
    return this.edge(sel, peer ?? null, `NestedEdged${rel.peer}`, true);
  }

  many(sel: FieldNode, node: StoredNode, rel: RelationshipSchema): Record<string, unknown> {
    const args = this.args(node.kind, sel);
    const peerSchema = this.store.schema.get(rel.peer);
    const peers = this.store.peersOf(node.id, rel).map((id) => this.store.nodes.get(id)).filter((p): p is StoredNode => !!p);
    const filtered = peerSchema && Object.keys(args).length > 0 ? filterNodes(this.store, peerSchema, args, peers) : peers;
    return this.page(sel, filtered.length, paginate(filtered, args), `NestedPaginated${rel.peer}`, `NestedEdged${rel.peer}`, true);
  }
}

/** Answers a validated query directly, or returns null to let graphql-js do it. */
export function tryFastQuery(
  schema: GraphQLSchema,
  registry: SchemaRegistry,
  store: BranchStore,
  op: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): Record<string, unknown> | null {
  if (op.operation !== 'query' || (op.directives && op.directives.length > 0)) return null;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const renderer = new Renderer(schema, store, coerced.coerced);
  try {
    const data: Record<string, unknown> = {};
    for (const f of plainFields(op.selectionSet)) {
      const kind = f.name.value;
      const kindSchema = registry.get(kind);
      if (!kindSchema) return null;
      const args = renderer.args('Query', f);
      const all = filterNodes(store, kindSchema, args);
      data[responseKey(f)] = renderer.page(f, all.length, paginate(all, args), `Paginated${kind}`, `Edged${kind}`, false);
    }
    return data;
  } catch (err) {
    if (err instanceof GiveUp) return null;
    throw err;
  }
}
