// Lineage properties as Infrahub 1.11 keeps them (tests/fixtures/infrahub-real/lineage.json):
// every attribute and every relationship edge has a source, an owner (node ids, read back as
// the CoreAccount / CoreAccountGroup they name) and is_protected. A create sets what it is given
// (attributes default to is_protected false, edges to null: nothing set); an update changes only
// the properties it sends, so an update of the value alone keeps them; a relationship update keeps
// the properties of the peers it keeps, gives new peers what it sends with them and drops the
// removed peers' edges. Ids are not checked on write (the real server stores an unknown id and
// reads it back as null).

export interface LineageInput {
  source?: string | null;
  owner?: string | null;
  is_protected?: boolean | null;
}

export interface LineageProps {
  source: string | null;
  owner: string | null;
  is_protected: boolean | null;
}

/** The lineage part of an attribute input (`{value, source, owner, is_protected}`). */
export function attributeLineage(input: Record<string, unknown>): LineageInput | undefined {
  const out: LineageInput = {};
  if (typeof input.source === 'string') out.source = input.source;
  if (typeof input.owner === 'string') out.owner = input.owner;
  if (typeof input.is_protected === 'boolean') out.is_protected = input.is_protected;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The lineage part of a relationship input (`{id, _relation__source, _relation__owner, _relation__is_protected}`). */
export function edgeLineage(input: Record<string, unknown>): LineageInput | undefined {
  return attributeLineage({ source: input._relation__source, owner: input._relation__owner, is_protected: input._relation__is_protected });
}

function merged(base: LineageProps, input: LineageInput | undefined): LineageProps {
  if (!input) return base;
  return {
    source: input.source ?? base.source,
    owner: input.owner ?? base.owner,
    is_protected: input.is_protected ?? base.is_protected,
  };
}

const NONE: LineageProps = { source: null, owner: null, is_protected: null };

/** An edge's key: the same whichever end it is read from. */
function edgeKey(identifier: string, a: string, b: string): string {
  return a < b ? `${identifier}\u0000${a}\u0000${b}` : `${identifier}\u0000${b}\u0000${a}`;
}

export interface SavedLineage {
  attributes: [string, LineageProps][];
  edges: [string, LineageProps][];
}

/** One branch's lineage properties; only the set ones are stored. */
export class Lineage {
  private attributes = new Map<string, LineageProps>();
  private edges = new Map<string, LineageProps>();

  /** An attribute's properties; is_protected reads false when never set, as Infrahub answers. */
  attribute(nodeId: string, attr: string): LineageProps {
    const p = this.attributes.get(`${nodeId}\u0000${attr}`);
    return { source: p?.source ?? null, owner: p?.owner ?? null, is_protected: p?.is_protected ?? false };
  }

  /** An edge's properties; null each when never set. */
  edge(identifier: string, a: string, b: string): LineageProps {
    return this.edges.get(edgeKey(identifier, a, b)) ?? NONE;
  }

  /** After a create (`fresh`) or an update wrote an attribute with these properties. */
  attributeWritten(nodeId: string, attr: string, input: LineageInput | undefined, fresh: boolean): void {
    const key = `${nodeId}\u0000${attr}`;
    if (fresh) this.attributes.delete(key);
    if (!input) return;
    this.attributes.set(key, merged(this.attributes.get(key) ?? { ...NONE, is_protected: false }, input));
  }

  /** After a relationship of `nodeId` went from peers `before` to `after`. */
  relationshipWritten(identifier: string, nodeId: string, before: string[], after: string[], inputs: Map<string, LineageInput> | undefined): void {
    const kept = new Set(before);
    const now = new Set(after);
    for (const peer of before) if (!now.has(peer)) this.edges.delete(edgeKey(identifier, nodeId, peer));
    for (const peer of after) {
      const key = edgeKey(identifier, nodeId, peer);
      if (!kept.has(peer)) this.edges.delete(key);
      const input = inputs?.get(peer);
      if (input) this.edges.set(key, merged(this.edges.get(key) ?? NONE, input));
    }
  }

  /** Takes over one node's attribute and edge properties from another branch's lineage. */
  copyNode(other: Lineage, nodeId: string): void {
    const prefix = `${nodeId}\u0000`;
    for (const key of [...this.attributes.keys()]) if (key.startsWith(prefix)) this.attributes.delete(key);
    for (const [key, props] of other.attributes) if (key.startsWith(prefix)) this.attributes.set(key, props);
    const touches = (key: string): boolean => key.split('\u0000').slice(1).includes(nodeId);
    for (const [key, props] of other.edges) if (touches(key)) this.edges.set(key, props);
  }

  copyFrom(other: Lineage): void {
    this.attributes = new Map(other.attributes);
    this.edges = new Map(other.edges);
  }

  save(): SavedLineage {
    return { attributes: [...this.attributes], edges: [...this.edges] };
  }

  restore(saved: SavedLineage | undefined): void {
    this.attributes = new Map(saved?.attributes ?? []);
    this.edges = new Map(saved?.edges ?? []);
  }
}
