import { createHash } from 'node:crypto';
import type { SchemaRegistry } from './schema-registry.js';
import type { AttributeSchema, KindSchema, RelationshipSchema } from './schema-types.js';

/** The /api/schema response shapes, field for field as the recorded schema JSON shows them. */
type Json = Record<string, unknown>;

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** A UUID-shaped id that stays the same for the same schema element across restarts. */
function stableId(seed: string): string {
  const h = md5(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function titleCase(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

function pick<T>(v: T | undefined, fallback: T): T {
  return v === undefined ? fallback : v;
}

function attributeJson(owner: string, a: AttributeSchema, i: number): Json {
  const r = a.raw;
  return {
    id: stableId(`${owner}.${a.name}`),
    state: 'present',
    name: a.name,
    kind: a.kind,
    enum: pick(r.enum, null),
    choices: a.choices ? a.choices.map((c) => ({ id: null, state: 'present', name: c.name, description: c.description ?? null, color: c.color ?? null, label: c.label ?? titleCase(c.name) })) : null,
    regex: a.regex,
    max_length: a.maxLength,
    min_length: a.minLength,
    label: pick(r.label, titleCase(a.name)),
    description: pick(r.description, null),
    read_only: a.readOnly,
    unique: a.unique,
    optional: a.optional,
    branch: pick(r.branch as string | undefined, 'aware'),
    order_weight: pick(r.order_weight as number | undefined, (i + 1) * 1000),
    default_value: a.defaultValue,
    inherited: a.inherited,
    allow_override: pick(r.allow_override as string | undefined, 'any'),
  };
}

function relationshipJson(owner: string, rel: RelationshipSchema, i: number, offset: number): Json {
  const r = rel.raw;
  return {
    id: stableId(`${owner}.${rel.name}`),
    state: 'present',
    name: rel.name,
    peer: rel.peer,
    kind: rel.kind,
    label: pick(r.label, titleCase(rel.name)),
    description: pick(r.description, null),
    identifier: rel.identifier,
    cardinality: rel.cardinality,
    min_count: pick(r.min_count as number | undefined, rel.optional ? 0 : 1),
    max_count: pick(r.max_count as number | undefined, rel.cardinality === 'one' ? 1 : 0),
    order_weight: pick(r.order_weight as number | undefined, (offset + i + 1) * 1000),
    optional: rel.optional,
    branch: pick(r.branch as string | undefined, 'aware'),
    inherited: rel.inherited,
    direction: pick(r.direction, 'bidirectional'),
    hierarchical: pick(r.hierarchical as string | undefined, null),
    on_delete: rel.onDelete ?? 'no-action',
    allow_override: pick(r.allow_override as string | undefined, 'any'),
    read_only: rel.readOnly,
  };
}

export function kindJson(s: KindSchema): Json {
  const r = s.raw;
  const body: Json = {
    id: stableId(s.kind),
    state: 'present',
    name: s.name,
    namespace: s.namespace,
    description: pick(r.description as string | undefined, null),
    label: pick(r.label as string | undefined, s.name),
    branch: pick(r.branch as string | undefined, 'aware'),
    default_filter: s.defaultFilter,
    human_friendly_id: s.humanFriendlyId,
    display_labels: s.displayLabels.length > 0 ? s.displayLabels : null,
    include_in_menu: pick(r.include_in_menu as boolean | undefined, true),
    menu_placement: pick(r.menu_placement as string | undefined, null),
    icon: pick(r.icon as string | undefined, null),
    order_by: pick(r.order_by, null),
    uniqueness_constraints: s.declaredConstraints,
    documentation: pick(r.documentation as string | undefined, null),
    attributes: s.attributes.map((a, i) => attributeJson(s.kind, a, i)),
    relationships: s.relationships.map((rel, i) => relationshipJson(s.kind, rel, i, s.attributes.length)),
  };
  if (s.isGeneric) {
    body.hierarchical = r.hierarchical ?? false;
    body.generate_profile = pick(r.generate_profile as boolean | undefined, true);
    body.used_by = [...s.usedBy];
  } else {
    body.inherit_from = [...s.inheritFrom];
    body.generate_profile = pick(r.generate_profile as boolean | undefined, true);
    const hierarchy = s.inheritFrom.find((g) => g !== 'CoreNode' && s.relationshipByName.get('parent')?.kind === 'Hierarchy');
    body.hierarchy = hierarchy ?? null;
    body.parent = r.parent || null;
    body.children = r.children || null;
  }
  body.kind = s.kind;
  body.hash = md5(JSON.stringify(body));
  return body;
}

export interface SchemaDocuments {
  full: { main: string; nodes: Json[]; generics: Json[]; profiles: Json[]; namespaces: Json[] };
  summary: { main: string; nodes: Record<string, string>; generics: Record<string, string>; profiles: Record<string, string> };
  byKind: Map<string, Json>;
}

/** Renders (once per registry) what /api/schema, /api/schema/summary and /api/schema/{kind} return. */
export function renderSchema(registry: SchemaRegistry): SchemaDocuments {
  const nodes = registry.nodeKinds().map(kindJson);
  const generics = registry.genericKinds().map(kindJson);
  const byKind = new Map<string, Json>([...nodes, ...generics].map((k) => [k.kind as string, k]));
  const main = md5([...nodes, ...generics].map((k) => k.hash as string).join(''));
  const namespaces = [...new Set(registry.nodeKinds().concat(registry.genericKinds()).map((k) => k.namespace))]
    .sort()
    .map((name) => ({ name, user_editable: !['Core', 'Builtin', 'Internal', 'Lineage', 'Profile', 'Template'].includes(name) }));
  return {
    full: { main, nodes, generics, profiles: [], namespaces },
    summary: {
      main,
      nodes: Object.fromEntries(nodes.map((k) => [k.kind as string, k.hash as string])),
      generics: Object.fromEntries(generics.map((k) => [k.kind as string, k.hash as string])),
      profiles: {},
    },
    byKind,
  };
}
