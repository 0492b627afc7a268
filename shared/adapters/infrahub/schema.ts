// The Infrahub schema as `GET /api/schema?branch=<b>` returns it ({ main, nodes, generics, ... }),
// reduced to what reading, writing and checking a mapping need, with lookups by kind.

export interface AttributeSchema {
  name: string;
  /** Text, Number, Boolean, Dropdown, IPHost, IPNetwork, JSON, List, DateTime, ... */
  kind: string;
  optional?: boolean;
  read_only?: boolean;
  unique?: boolean;
  default_value?: unknown;
  choices?: { name: string }[] | null;
  enum?: unknown[] | null;
}

export interface RelationshipSchema {
  name: string;
  peer: string;
  cardinality: 'one' | 'many';
  optional?: boolean;
  read_only?: boolean;
  /** Generic, Attribute, Component, Parent, Group, Hierarchy, Profile, ... */
  kind?: string;
  identifier?: string;
}

export interface KindSchema {
  kind: string;
  namespace?: string;
  name?: string;
  attributes: AttributeSchema[];
  relationships: RelationshipSchema[];
  /** e.g. ["name__value"] or ["device__name__value", "name__value"]. */
  human_friendly_id?: string[] | null;
  inherit_from?: string[];
  /** Generics only: the node kinds implementing it. */
  used_by?: string[];
  default_filter?: string | null;
  uniqueness_constraints?: string[][] | null;
}

export interface SchemaResponse {
  main?: string;
  nodes?: KindSchema[];
  generics?: KindSchema[];
  profiles?: KindSchema[];
  templates?: KindSchema[];
}

/** Relationship kinds Infrahub manages itself; writing them through a node mutation is refused. */
const SYSTEM_RELATIONSHIP_KINDS = new Set(['Group', 'Profile', 'Template']);

export class InfrahubSchema {
  readonly hash: string | undefined;
  private readonly nodes = new Map<string, KindSchema>();
  private readonly generics = new Map<string, KindSchema>();

  constructor(response: SchemaResponse) {
    this.hash = response.main;
    for (const n of response.nodes ?? []) this.nodes.set(n.kind, normalise(n));
    for (const g of response.generics ?? []) this.generics.set(g.kind, normalise(g));
    // Older servers omit used_by; derive it from inherit_from so generic lookups still work.
    for (const g of this.generics.values()) {
      if (g.used_by && g.used_by.length > 0) continue;
      g.used_by = [...this.nodes.values()].filter((n) => n.inherit_from?.includes(g.kind)).map((n) => n.kind);
    }
  }

  get(kind: string): KindSchema | undefined {
    return this.nodes.get(kind) ?? this.generics.get(kind);
  }

  has(kind: string): boolean {
    return this.nodes.has(kind) || this.generics.has(kind);
  }

  isGeneric(kind: string): boolean {
    return this.generics.has(kind);
  }

  kinds(): string[] {
    return [...this.nodes.keys(), ...this.generics.keys()];
  }

  /** Node kinds a value of `kind` can be: itself for a node, its implementers for a generic. */
  concreteKinds(kind: string): string[] {
    if (this.nodes.has(kind)) return [kind];
    return this.generics.get(kind)?.used_by ?? [];
  }

  attribute(kind: string, name: string): AttributeSchema | undefined {
    return this.get(kind)?.attributes.find((a) => a.name === name);
  }

  relationship(kind: string, name: string): RelationshipSchema | undefined {
    return this.get(kind)?.relationships.find((r) => r.name === name);
  }

  /** Human-friendly id components of a kind, or [] when it declares none. */
  hfid(kind: string): string[] {
    return this.get(kind)?.human_friendly_id ?? [];
  }

  /** Whether a record of kind `ref` may be a peer of a relationship whose peer is `peer`. */
  peerAccepts(peer: string, ref: string): boolean {
    if (peer === ref) return true;
    const peerKinds = new Set(this.concreteKinds(peer));
    const refKinds = this.concreteKinds(ref);
    // A generic reference is compatible when any of its implementers is an accepted peer.
    return refKinds.length > 0 && refKinds.some((k) => peerKinds.has(k));
  }

  /** Relationships a sync may write: not read-only, not managed by Infrahub itself. */
  isWritableRelationship(rel: RelationshipSchema): boolean {
    return !rel.read_only && !SYSTEM_RELATIONSHIP_KINDS.has(rel.kind ?? '');
  }
}

function normalise(k: KindSchema): KindSchema {
  return {
    ...k,
    attributes: k.attributes ?? [],
    relationships: k.relationships ?? [],
    human_friendly_id: k.human_friendly_id ?? [],
  };
}
