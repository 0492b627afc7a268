/**
 * The Infrahub schema model as the stand-in understands it: the YAML/JSON a user loads
 * (RawSchemaRoot) and the resolved form the server works from (KindSchema), where
 * generics have been copied into nodes and every relationship knows its identifier.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface RawChoice {
  name: string;
  label?: string;
  description?: string;
  color?: string;
  [key: string]: unknown;
}

export interface RawAttribute {
  name: string;
  kind?: string;
  optional?: boolean;
  unique?: boolean;
  default_value?: unknown;
  choices?: RawChoice[] | null;
  enum?: unknown[] | null;
  regex?: string | null;
  max_length?: number | null;
  min_length?: number | null;
  read_only?: boolean;
  label?: string | null;
  description?: string | null;
  [key: string]: unknown;
}

export interface RawRelationship {
  name: string;
  peer: string;
  kind?: string;
  cardinality?: 'one' | 'many';
  optional?: boolean;
  identifier?: string | null;
  direction?: string;
  on_delete?: string | null;
  read_only?: boolean;
  label?: string | null;
  description?: string | null;
  [key: string]: unknown;
}

export interface RawKind {
  name: string;
  namespace: string;
  kind?: string;
  inherit_from?: string[];
  human_friendly_id?: string[] | null;
  uniqueness_constraints?: string[][] | null;
  display_labels?: string[] | null;
  display_label?: string | null;
  default_filter?: string | null;
  order_by?: string[] | null;
  hierarchical?: boolean;
  parent?: string | null;
  children?: string | null;
  attributes?: RawAttribute[];
  relationships?: RawRelationship[];
  [key: string]: unknown;
}

export interface RawExtension {
  kind: string;
  attributes?: RawAttribute[];
  relationships?: RawRelationship[];
}

export interface RawSchemaRoot {
  version?: string;
  generics?: RawKind[];
  nodes?: RawKind[];
  extensions?: { nodes?: RawExtension[] };
}

export interface AttributeSchema {
  name: string;
  kind: string;
  optional: boolean;
  unique: boolean;
  defaultValue: unknown;
  choices: RawChoice[] | null;
  regex: string | null;
  maxLength: number | null;
  minLength: number | null;
  readOnly: boolean;
  inherited: boolean;
  raw: RawAttribute;
}

/** Which end of an identifier's edges a relationship reads and writes. */
export type EdgeSide = 'out' | 'in' | 'both';

export interface RelationshipSchema {
  name: string;
  peer: string;
  kind: string;
  cardinality: 'one' | 'many';
  optional: boolean;
  identifier: string;
  side: EdgeSide;
  onDelete: string | null;
  readOnly: boolean;
  inherited: boolean;
  raw: RawRelationship;
}

export interface KindSchema {
  kind: string;
  name: string;
  namespace: string;
  isGeneric: boolean;
  inheritFrom: string[];
  attributes: AttributeSchema[];
  relationships: RelationshipSchema[];
  attributeByName: Map<string, AttributeSchema>;
  relationshipByName: Map<string, RelationshipSchema>;
  humanFriendlyId: string[] | null;
  /** Every constraint the store enforces: declared (or inherited), hfid, unique attributes. */
  uniquenessConstraints: string[][];
  /** What /api/schema shows: declared or inherited from a generic, plus the hfid. */
  declaredConstraints: string[][] | null;
  displayLabels: string[];
  defaultFilter: string | null;
  /** Concrete kinds that implement a generic (empty for nodes). */
  usedBy: string[];
  raw: RawKind;
}
