import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  valueFromASTUntyped,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { StandinError } from './errors.js';
import { createNode, deleteNode, updateNode, upsertNode, type MutationData } from './mutations.js';
import { filterNodes, paginate, type QueryArgs } from './query-filters.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { AttributeSchema, KindSchema, RelationshipSchema } from './schema-types.js';
import type { BranchMeta, BranchStore, StoredNode } from './store.js';
import { attributeField, attributeTypeName } from './attribute-fields.js';
import type { LineageProps } from './lineage.js';

/** What a resolver needs: the request's branch and the branch directory. */
export interface GraphqlContext {
  store: BranchStore;
  branches: {
    list(): BranchMeta[];
    create(input: { name: string; description?: string | null; sync_with_git?: boolean | null }): BranchMeta;
    delete(name: string): void;
    /** A node of a branch-agnostic kind was written or deleted in this branch: all branches see it. */
    share(id: string): void;
  };
  version: string;
}

type Source = Record<string, unknown>;
type Field = GraphQLFieldConfig<Source, GraphqlContext>;

interface AttrSource {
  node: StoredNode;
  attr: AttributeSchema;
}
interface EdgeSource {
  /** null for an empty one-relationship. */
  node: StoredNode | null;
  /** The edge's lineage, for `properties`. */
  props?: LineageProps;
}
interface PageSource {
  count: number;
  nodes: StoredNode[];
  /** Whose relationship this page is (nested pages), for the edges' lineage. */
  owner?: { id: string; identifier: string };
}

/** What a lineage field (source / owner) answers: the node the id names, null when none does. */
function lineageNode(ctx: GraphqlContext, id: string | null | undefined): StoredNode | null {
  return id ? (ctx.store.nodes.get(id) ?? null) : null;
}

type LineageTypeOf = (generic: 'LineageSource' | 'LineageOwner') => GraphQLOutputType;

const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'Integer of arbitrary size',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    throw new GraphQLError(`BigInt cannot represent value: ${JSON.stringify(v)}`);
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT) return Number(ast.value);
    if (ast.kind === Kind.STRING && /^-?\d+$/.test(ast.value)) return Number(ast.value);
    throw new GraphQLError('BigInt cannot represent a non-integer value');
  },
});

const GenericScalar = new GraphQLScalarType({
  name: 'GenericScalar',
  description: 'Any JSON value',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const DateTimeScalar = new GraphQLScalarType({ name: 'DateTime', serialize: (v) => v, parseValue: (v) => v, parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null) });

type ValueFamily = 'text' | 'number' | 'boolean' | 'generic';

function family(kind: string): ValueFamily {
  if (kind === 'Number' || kind === 'Bandwidth') return 'number';
  if (kind === 'Boolean' || kind === 'Checkbox') return 'boolean';
  if (kind === 'List' || kind === 'JSON' || kind === 'Any') return 'generic';
  return 'text';
}

function scalarOf(f: ValueFamily): GraphQLInputType & GraphQLOutputType {
  return f === 'number' ? BigIntScalar : f === 'boolean' ? GraphQLBoolean : f === 'generic' ? GenericScalar : GraphQLString;
}

const LineageType = new GraphQLObjectType<StoredNode | null, GraphqlContext>({
  name: 'LineageSource',
  fields: { id: { type: GraphQLString }, display_label: { type: GraphQLString } },
});

const PermissionType = new GraphQLObjectType({ name: 'PermissionType', fields: { update_value: { type: GraphQLString, resolve: () => 'ALLOW' } } });

const fromAttr = (field: string): GraphQLFieldConfig<AttrSource, GraphqlContext>['resolve'] => (s) => attributeField(s.node, s.attr, field);

function attributeCommonFields(valueType: GraphQLOutputType, lineageType: LineageTypeOf): GraphQLFieldConfigMap<AttrSource, GraphqlContext> {
  const props = (s: AttrSource, ctx: GraphqlContext): LineageProps => ctx.store.lineage.attribute(s.node.id, s.attr.name);
  return {
    id: { type: GraphQLString, resolve: fromAttr('id') },
    value: { type: valueType, resolve: fromAttr('value') },
    is_default: { type: GraphQLBoolean, resolve: fromAttr('is_default') },
    is_inherited: { type: GraphQLBoolean, resolve: fromAttr('is_inherited') },
    is_from_profile: { type: GraphQLBoolean, resolve: fromAttr('is_from_profile') },
    is_protected: { type: GraphQLBoolean, resolve: (s, _a, ctx) => props(s, ctx).is_protected },
    is_visible: { type: GraphQLBoolean, resolve: fromAttr('is_visible') },
    updated_at: { type: DateTimeScalar, resolve: fromAttr('updated_at') },
    source: { type: lineageType('LineageSource'), resolve: (s, _a, ctx) => lineageNode(ctx, props(s, ctx).source) },
    owner: { type: lineageType('LineageOwner'), resolve: (s, _a, ctx) => lineageNode(ctx, props(s, ctx).owner) },
    permissions: { type: PermissionType, resolve: () => ({}) },
  };
}

function ipField(key: string, type: GraphQLOutputType): GraphQLFieldConfig<AttrSource, GraphqlContext> {
  return { type, resolve: fromAttr(key) };
}

function buildAttributeTypes(lineageType: LineageTypeOf): Map<string, GraphQLObjectType<AttrSource, GraphqlContext>> {
  const choice = (key: 'label' | 'color' | 'description'): GraphQLFieldConfig<AttrSource, GraphqlContext> => ({ type: GraphQLString, resolve: fromAttr(key) });
  const types = new Map<string, GraphQLObjectType<AttrSource, GraphqlContext>>();
  const add = (name: string, valueType: GraphQLOutputType, extra: GraphQLFieldConfigMap<AttrSource, GraphqlContext> = {}): void => {
    types.set(name, new GraphQLObjectType<AttrSource, GraphqlContext>({ name, fields: () => ({ ...attributeCommonFields(valueType, lineageType), ...extra }) }));
  };
  add('TextAttribute', GraphQLString);
  add('NumberAttribute', BigIntScalar);
  add('CheckboxAttribute', GraphQLBoolean);
  add('ListAttribute', GenericScalar);
  add('JSONAttribute', GenericScalar);
  add('AnyAttribute', GenericScalar);
  add('Dropdown', GraphQLString, { label: choice('label'), color: choice('color'), description: choice('description') });
  add('IPHost', GraphQLString, {
    ip: ipField('ip', GraphQLString),
    hostmask: ipField('hostmask', GraphQLString),
    netmask: ipField('netmask', GraphQLString),
    prefixlen: ipField('prefixlen', GraphQLInt),
    version: ipField('version', GraphQLInt),
    with_hostmask: ipField('with_hostmask', GraphQLString),
    with_netmask: ipField('with_netmask', GraphQLString),
  });
  add('IPNetwork', GraphQLString, {
    broadcast_address: ipField('broadcast_address', GraphQLString),
    hostmask: ipField('hostmask', GraphQLString),
    netmask: ipField('netmask', GraphQLString),
    prefixlen: ipField('prefixlen', GraphQLInt),
    num_addresses: ipField('num_addresses', GraphQLInt),
    version: ipField('version', GraphQLInt),
    with_hostmask: ipField('with_hostmask', GraphQLString),
    with_netmask: ipField('with_netmask', GraphQLString),
  });
  add('MacAddress', GraphQLString);
  return types;
}

function inputTypeName(kind: string): string {
  switch (kind) {
    case 'List':
      return 'ListAttribute';
    case 'JSON':
      return 'JSONAttribute';
    case 'Any':
      return 'AnyAttribute';
    default: {
      const f = family(kind);
      return f === 'number' ? 'NumberAttribute' : f === 'boolean' ? 'CheckboxAttribute' : 'TextAttribute';
    }
  }
}

function buildAttributeInputs(): Map<string, GraphQLInputObjectType> {
  const out = new Map<string, GraphQLInputObjectType>();
  const pool = new GraphQLInputObjectType({ name: 'GenericPoolInput', fields: { id: { type: new GraphQLNonNull(GraphQLString) }, identifier: { type: GraphQLString }, data: { type: GenericScalar } } });
  for (const [name, f] of [['TextAttribute', 'text'], ['NumberAttribute', 'number'], ['CheckboxAttribute', 'boolean'], ['ListAttribute', 'generic'], ['JSONAttribute', 'generic'], ['AnyAttribute', 'generic']] as const) {
    const base: GraphQLInputFieldConfigMap = {
      value: { type: scalarOf(f) },
      is_visible: { type: GraphQLBoolean },
      is_protected: { type: GraphQLBoolean },
      source: { type: GraphQLString },
      owner: { type: GraphQLString },
    };
    if (f === 'number') base.from_pool = { type: pool };
    out.set(`${name}Create`, new GraphQLInputObjectType({ name: `${name}Create`, fields: base }));
    out.set(`${name}Update`, new GraphQLInputObjectType({ name: `${name}Update`, fields: { ...base, is_default: { type: GraphQLBoolean } } }));
  }
  out.set('GenericPoolInput', pool);
  return out;
}

/** Builds the GraphQL schema Infrahub would expose for this registry. */
export function buildGraphqlSchema(registry: SchemaRegistry): GraphQLSchema {
  // Lineage fields answer the account or group as its own type (`__typename: "CoreAccount"`), as
  // Infrahub's LineageSource / LineageOwner interfaces do; read lazily, once the types exist.
  const lineageType: LineageTypeOf = (generic) => {
    const t = outputTypes.get(generic);
    return t instanceof GraphQLInterfaceType ? t : LineageType;
  };
  const attributeTypes = buildAttributeTypes(lineageType);
  const attributeInputs = buildAttributeInputs();
  const pool = attributeInputs.get('GenericPoolInput') as GraphQLInputObjectType;
  const relatedNodeInput = new GraphQLInputObjectType({
    name: 'RelatedNodeInput',
    fields: {
      id: { type: GraphQLString },
      hfid: { type: new GraphQLList(GraphQLString) },
      kind: { type: GraphQLString },
      from_pool: { type: pool },
      _relation__is_visible: { type: GraphQLBoolean },
      _relation__is_protected: { type: GraphQLBoolean },
      _relation__owner: { type: GraphQLString },
      _relation__source: { type: GraphQLString },
    },
  });
  const relationshipProperty = new GraphQLObjectType({
    name: 'RelationshipProperty',
    fields: () => ({
      is_visible: { type: GraphQLBoolean, resolve: () => true },
      is_protected: { type: GraphQLBoolean, resolve: (p: LineageProps | null) => p?.is_protected ?? null },
      updated_at: { type: DateTimeScalar, resolve: () => null },
      source: { type: lineageType('LineageSource'), resolve: (p: LineageProps | null, _a: unknown, ctx: GraphqlContext) => lineageNode(ctx, p?.source) },
      owner: { type: lineageType('LineageOwner'), resolve: (p: LineageProps | null, _a: unknown, ctx: GraphqlContext) => lineageNode(ctx, p?.owner) },
    }),
  });
  const orderInput = new GraphQLInputObjectType({ name: 'OrderInput', fields: { disable: { type: GraphQLBoolean } } });
  const contextInput = new GraphQLInputObjectType({
    name: 'ContextInput',
    fields: { account: { type: new GraphQLInputObjectType({ name: 'ContextAccountInput', fields: { id: { type: new GraphQLNonNull(GraphQLString) } } }) } },
  });

  const baseFields = (): GraphQLFieldConfigMap<StoredNode, GraphqlContext> => ({
    id: { type: new GraphQLNonNull(GraphQLString), resolve: (n) => n.id },
    hfid: { type: new GraphQLList(GraphQLString), resolve: (n, _a, ctx) => ctx.store.hfid(n) },
    display_label: { type: GraphQLString, resolve: (n, _a, ctx) => ctx.store.displayLabel(n) },
    _updated_at: { type: DateTimeScalar, resolve: (n) => n.updatedAt },
  });

  const coreNode = new GraphQLInterfaceType({
    name: 'CoreNode',
    fields: () => baseFields(),
    resolveType: (n: StoredNode) => n.kind,
  });

  const outputTypes = new Map<string, GraphQLObjectType | GraphQLInterfaceType>();
  const nestedEdged = new Map<string, GraphQLObjectType>();
  const nestedPaginated = new Map<string, GraphQLObjectType>();

  const typeOf = (kind: string): GraphQLObjectType | GraphQLInterfaceType => {
    if (kind === 'CoreNode') return coreNode;
    const t = outputTypes.get(kind);
    if (!t) throw new Error(`no GraphQL type for ${kind}`);
    return t;
  };

  const edgedFor = (peer: string): GraphQLObjectType => {
    let t = nestedEdged.get(peer);
    if (!t) {
      t = new GraphQLObjectType<EdgeSource, GraphqlContext>({
        name: `NestedEdged${peer}`,
        fields: () => ({
          node: { type: typeOf(peer), resolve: (s) => s.node },
          properties: { type: relationshipProperty, resolve: (s): LineageProps => s.props ?? { source: null, owner: null, is_protected: null } },
          _updated_at: { type: DateTimeScalar, resolve: (s) => s.node?.updatedAt ?? null },
        }),
      });
      nestedEdged.set(peer, t);
    }
    return t;
  };

  const paginatedFor = (peer: string): GraphQLObjectType => {
    let t = nestedPaginated.get(peer);
    if (!t) {
      t = new GraphQLObjectType<PageSource, GraphqlContext>({
        name: `NestedPaginated${peer}`,
        fields: () => ({
          count: { type: new GraphQLNonNull(GraphQLInt), resolve: (s) => s.count },
          edges: {
            type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(edgedFor(peer)))),
            resolve: (s, _a, ctx) => s.nodes.map((node) => ({ node, props: s.owner ? ctx.store.lineage.edge(s.owner.identifier, s.owner.id, node.id) : undefined })),
          },
        }),
      });
      nestedPaginated.set(peer, t);
    }
    return t;
  };

  const attributeFilters = (attr: AttributeSchema, prefix: string, withProps: boolean, withIsNull: boolean): GraphQLFieldConfigArgumentMap => {
    const scalar = attr.kind === 'DateTime' ? DateTimeScalar : scalarOf(family(attr.kind));
    const args: GraphQLFieldConfigArgumentMap = {
      [`${prefix}__value`]: { type: scalar },
      [`${prefix}__values`]: { type: new GraphQLList(scalar) },
    };
    if (withIsNull) args[`${prefix}__isnull`] = { type: GraphQLBoolean };
    if (withProps) {
      args[`${prefix}__is_visible`] = { type: GraphQLBoolean };
      args[`${prefix}__is_protected`] = { type: GraphQLBoolean };
      args[`${prefix}__source__id`] = { type: GraphQLID };
      args[`${prefix}__owner__id`] = { type: GraphQLID };
    }
    return args;
  };

  const nestedFilters = (peer: KindSchema): GraphQLFieldConfigArgumentMap => {
    const args: GraphQLFieldConfigArgumentMap = { offset: { type: GraphQLInt }, limit: { type: GraphQLInt }, ids: { type: new GraphQLList(GraphQLID) }, isnull: { type: GraphQLBoolean } };
    for (const a of peer.attributes) Object.assign(args, attributeFilters(a, a.name, true, false));
    return args;
  };

  const topFilters = (schema: KindSchema): GraphQLFieldConfigArgumentMap => {
    const args: GraphQLFieldConfigArgumentMap = {
      offset: { type: GraphQLInt },
      limit: { type: GraphQLInt },
      order: { type: orderInput },
      ids: { type: new GraphQLList(GraphQLID) },
    };
    if (schema.humanFriendlyId) args.hfid = { type: new GraphQLList(GraphQLString) };
    for (const a of schema.attributes) Object.assign(args, attributeFilters(a, a.name, true, true));
    Object.assign(args, attributeFilters({ kind: 'Text' } as AttributeSchema, 'any', true, true));
    args.partial_match = { type: GraphQLBoolean };
    for (const rel of schema.relationships) {
      const peer = registry.get(rel.peer);
      if (!peer) continue;
      args[`${rel.name}__ids`] = { type: new GraphQLList(GraphQLID) };
      args[`${rel.name}__isnull`] = { type: GraphQLBoolean };
      for (const a of peer.attributes) Object.assign(args, attributeFilters(a, `${rel.name}__${a.name}`, rel.kind !== 'Group', false));
    }
    return args;
  };

  const relationshipField = (rel: RelationshipSchema): Field => {
    if (rel.cardinality === 'one') {
      return {
        type: edgedFor(rel.peer),
        resolve: (n, _a, ctx) => {
          const id = ctx.store.peersOf((n as unknown as StoredNode).id, rel)[0];
          const peer = id === undefined ? undefined : ctx.store.nodes.get(id);
          // Infrahub answers an empty one-relationship with an edge whose node is null.
          return peer ? { node: peer, props: ctx.store.lineage.edge(rel.identifier, (n as unknown as StoredNode).id, peer.id) } : { node: null };
        },
      };
    }
    const peerSchema = registry.get(rel.peer);
    return {
      type: paginatedFor(rel.peer),
      args: peerSchema ? nestedFilters(peerSchema) : {},
      resolve: (n, args: QueryArgs, ctx) => {
        const peers = ctx.store.peersOf((n as unknown as StoredNode).id, rel).map((id) => ctx.store.nodes.get(id)).filter((p): p is StoredNode => !!p);
        const filtered = peerSchema ? filterNodes(ctx.store, peerSchema, args, peers) : peers;
        return { count: filtered.length, nodes: paginate(filtered, args), owner: { id: (n as unknown as StoredNode).id, identifier: rel.identifier } };
      },
    };
  };

  const kindFields = (schema: KindSchema) => (): GraphQLFieldConfigMap<StoredNode, GraphqlContext> => {
    const fields: GraphQLFieldConfigMap<StoredNode, GraphqlContext> = baseFields();
    for (const attr of schema.attributes) {
      const type = attributeTypes.get(attributeTypeName(attr.kind)) as GraphQLObjectType;
      fields[attr.name] = { type, resolve: (n) => ({ node: n, attr }) };
    }
    for (const rel of schema.relationships) {
      if (!registry.get(rel.peer) && rel.peer !== 'CoreNode') continue;
      fields[rel.name] = relationshipField(rel) as GraphQLFieldConfig<StoredNode, GraphqlContext>;
    }
    return fields;
  };

  for (const schema of registry.genericKinds()) {
    if (schema.kind === 'CoreNode') continue;
    outputTypes.set(
      schema.kind,
      new GraphQLInterfaceType({ name: schema.kind, description: String(schema.raw.description ?? ''), fields: kindFields(schema), resolveType: (n: StoredNode) => n.kind }),
    );
  }
  for (const schema of registry.nodeKinds()) {
    const interfaces = [coreNode, ...schema.inheritFrom.filter((g) => g !== 'CoreNode').map((g) => outputTypes.get(g)).filter((t): t is GraphQLInterfaceType => t instanceof GraphQLInterfaceType)];
    outputTypes.set(schema.kind, new GraphQLObjectType({ name: schema.kind, description: String(schema.raw.description ?? ''), interfaces, fields: kindFields(schema) }));
  }

  // ---- Query ----
  const branchType = new GraphQLObjectType<BranchMeta>({
    name: 'Branch',
    fields: {
      id: { type: GraphQLString },
      name: { type: GraphQLString },
      description: { type: GraphQLString },
      origin_branch: { type: GraphQLString },
      branched_from: { type: GraphQLString },
      created_at: { type: GraphQLString },
      sync_with_git: { type: GraphQLBoolean },
      is_default: { type: GraphQLBoolean },
      is_isolated: { type: GraphQLBoolean, resolve: () => true },
      has_schema_changes: { type: GraphQLBoolean },
      graph_version: { type: GraphQLInt },
      status: { type: GraphQLString },
    },
  });

  const queryFields: GraphQLFieldConfigMap<Source, GraphqlContext> = {
    Branch: {
      type: new GraphQLList(branchType),
      args: { ids: { type: new GraphQLList(GraphQLID) }, name: { type: GraphQLString } },
      resolve: (_s, args: { ids?: string[] | null; name?: string | null }, ctx) =>
        ctx.branches.list().filter((b) => (!args.ids || args.ids.includes(b.id)) && (!args.name || args.name === b.name)),
    },
    InfrahubInfo: {
      type: new GraphQLObjectType({ name: 'Info', fields: { version: { type: GraphQLString } } }),
      resolve: (_s, _a, ctx) => ({ version: ctx.version }),
    },
  };
  for (const schema of [...registry.nodeKinds(), ...registry.genericKinds()]) {
    const edged = new GraphQLObjectType<EdgeSource, GraphqlContext>({
      name: `Edged${schema.kind}`,
      fields: () => ({ node: { type: typeOf(schema.kind), resolve: (s) => s.node } }),
    });
    const paginated = new GraphQLObjectType<PageSource, GraphqlContext>({
      name: `Paginated${schema.kind}`,
      fields: () => ({
        count: { type: new GraphQLNonNull(GraphQLInt), resolve: (s) => s.count },
        edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(edged))), resolve: (s) => s.nodes.map((node) => ({ node })) },
      }),
    });
    queryFields[schema.kind] = {
      type: new GraphQLNonNull(paginated),
      args: topFilters(schema),
      resolve: (_s, args: QueryArgs, ctx) => {
        const all = filterNodes(ctx.store, schema, args);
        return { count: all.length, nodes: paginate(all, args) };
      },
    };
  }

  // ---- Mutation ----
  const mutationFields: GraphQLFieldConfigMap<Source, GraphqlContext> = {};
  const deleteInput = new GraphQLInputObjectType({
    name: 'DeleteInput',
    fields: { id: { type: GraphQLString }, hfid: { type: new GraphQLList(GraphQLString) }, kind: { type: GraphQLString } },
  });
  const inputFor = (schema: KindSchema, mode: 'Create' | 'Update' | 'Upsert'): GraphQLInputObjectType =>
    new GraphQLInputObjectType({
      name: `${schema.kind}${mode}Input`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = { id: { type: GraphQLString } };
        if (mode !== 'Create') fields.hfid = { type: new GraphQLList(GraphQLString) };
        for (const attr of schema.attributes) {
          if (attr.readOnly) continue;
          const t = attributeInputs.get(`${inputTypeName(attr.kind)}${mode === 'Create' ? 'Create' : 'Update'}`) as GraphQLInputObjectType;
          const required = mode !== 'Update' && !attr.optional && (attr.defaultValue === null || attr.defaultValue === undefined);
          fields[attr.name] = { type: required ? new GraphQLNonNull(t) : t };
        }
        for (const rel of schema.relationships) {
          if (rel.readOnly || (!registry.get(rel.peer) && rel.peer !== 'CoreNode')) continue;
          const base = rel.cardinality === 'one' ? relatedNodeInput : new GraphQLList(relatedNodeInput);
          const required = mode !== 'Update' && !rel.optional;
          fields[rel.name] = { type: required ? new GraphQLNonNull(base) : base };
        }
        return fields;
      },
    });
  const mutationArgs = (input: GraphQLInputType): GraphQLFieldConfigArgumentMap => ({
    data: { type: new GraphQLNonNull(input) },
    context: { type: contextInput },
  });
  const resultType = (schema: KindSchema, mode: string): GraphQLObjectType =>
    new GraphQLObjectType<{ ok: boolean; object: StoredNode | null }, GraphqlContext>({
      name: `${schema.kind}${mode}`,
      fields: () => ({ ok: { type: GraphQLBoolean }, object: { type: typeOf(schema.kind) } }),
    });
  const kindFor = (schema: KindSchema, data: MutationData, ctx: GraphqlContext): KindSchema => {
    // the registry may have been reloaded since this schema object was built
    const current = ctx.store.schema.get(schema.kind);
    if (!current) throw new StandinError(`Unable to find the schema ${schema.kind} in the database.`, 'SCHEMA_NOT_FOUND', 422, { kind: schema.kind });
    void data;
    return current;
  };

  // Kinds a real Infrahub keeps outside branches (`branch: agnostic`: CoreAccount, CoreAccountGroup).
  const shared = (schema: KindSchema, node: StoredNode, ctx: GraphqlContext): StoredNode => {
    if (schema.raw.branch === 'agnostic') ctx.branches.share(node.id);
    return node;
  };
  for (const schema of registry.nodeKinds()) {
    mutationFields[`${schema.kind}Create`] = {
      type: resultType(schema, 'Create'),
      args: mutationArgs(inputFor(schema, 'Create')),
      resolve: (_s, args: { data: MutationData }, ctx) => ({ ok: true, object: shared(schema, createNode(ctx.store, kindFor(schema, args.data, ctx), args.data), ctx) }),
    };
    mutationFields[`${schema.kind}Update`] = {
      type: resultType(schema, 'Update'),
      args: mutationArgs(inputFor(schema, 'Update')),
      resolve: (_s, args: { data: MutationData }, ctx) => ({ ok: true, object: shared(schema, updateNode(ctx.store, kindFor(schema, args.data, ctx), args.data), ctx) }),
    };
    mutationFields[`${schema.kind}Upsert`] = {
      type: resultType(schema, 'Upsert'),
      args: mutationArgs(inputFor(schema, 'Upsert')),
      resolve: (_s, args: { data: MutationData }, ctx) => ({ ok: true, object: shared(schema, upsertNode(ctx.store, kindFor(schema, args.data, ctx), args.data).node, ctx) }),
    };
    mutationFields[`${schema.kind}Delete`] = {
      type: new GraphQLObjectType({ name: `${schema.kind}Delete`, fields: { ok: { type: GraphQLBoolean } } }),
      args: { data: { type: new GraphQLNonNull(deleteInput) }, context: { type: contextInput } },
      resolve: (_s, args: { data: MutationData }, ctx) => {
        shared(schema, deleteNode(ctx.store, kindFor(schema, args.data, ctx), args.data), ctx);
        return { ok: true };
      },
    };
  }
  const branchCreateInput = new GraphQLInputObjectType({
    name: 'BranchCreateInput',
    fields: {
      id: { type: GraphQLString },
      name: { type: new GraphQLNonNull(GraphQLString) },
      description: { type: GraphQLString },
      origin_branch: { type: GraphQLString },
      branched_from: { type: GraphQLString },
      sync_with_git: { type: GraphQLBoolean },
      is_isolated: { type: GraphQLBoolean },
    },
  });
  mutationFields.BranchCreate = {
    type: new GraphQLObjectType({ name: 'BranchCreate', fields: { ok: { type: GraphQLBoolean }, object: { type: branchType } } }),
    args: { data: { type: new GraphQLNonNull(branchCreateInput) }, background_execution: { type: GraphQLBoolean }, wait_until_completion: { type: GraphQLBoolean }, context: { type: contextInput } },
    resolve: (_s, args: { data: { name: string; description?: string | null; sync_with_git?: boolean | null } }, ctx) => ({ ok: true, object: ctx.branches.create(args.data) }),
  };
  mutationFields.BranchDelete = {
    type: new GraphQLObjectType({ name: 'BranchDelete', fields: { ok: { type: GraphQLBoolean } } }),
    args: { data: { type: new GraphQLNonNull(new GraphQLInputObjectType({ name: 'BranchNameInput', fields: { name: { type: GraphQLString } } })) }, wait_until_completion: { type: GraphQLBoolean }, context: { type: contextInput } },
    resolve: (_s, args: { data: { name?: string | null } }, ctx) => {
      ctx.branches.delete(args.data.name ?? '');
      return { ok: true };
    },
  };

  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: queryFields }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutationFields }),
    types: [...outputTypes.values()].filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType),
  });
}
