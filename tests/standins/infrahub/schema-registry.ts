import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type {
  AttributeSchema,
  EdgeSide,
  KindSchema,
  RawAttribute,
  RawKind,
  RawRelationship,
  RawSchemaRoot,
  RelationshipSchema,
} from './schema-types.js';

export const BUILTINS_PATH = fileURLToPath(new URL('./builtins.yml', import.meta.url));

const SCHEMA_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);
/** Retired attribute kinds still found in older schema files. */
const ATTRIBUTE_KIND_ALIASES: Record<string, string> = { String: 'Text' };
/** Relationship kinds the server adds itself; copies found in API-shaped JSON are dropped. */
const SERVER_MANAGED_REL_KINDS = new Set(['Group', 'Profile', 'Hierarchy', 'Template']);
const HIERARCHY_IDENTIFIER = 'parent__child';
/** Infrahub's IPAM keeps this hierarchy itself: its parent/children point at the generic and are read-only. */
const IP_PREFIX_GENERIC = 'BuiltinIPPrefix';

function hierarchyRels(parent: string | null | undefined, children: string | null | undefined, readOnly: boolean): RawRelationship[] {
  const rels: RawRelationship[] = [];
  if (parent) rels.push({ name: 'parent', peer: parent, kind: 'Hierarchy', cardinality: 'one', optional: true, identifier: HIERARCHY_IDENTIFIER, read_only: readOnly });
  if (children) rels.push({ name: 'children', peer: children, kind: 'Hierarchy', cardinality: 'many', optional: true, identifier: HIERARCHY_IDENTIFIER, read_only: readOnly });
  return rels;
}

/** Lists schema files under the given paths (directories walked recursively, sorted). */
export function listSchemaFiles(paths: string | string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) visit(join(p, entry));
    } else if (SCHEMA_EXTENSIONS.has(extname(p).toLowerCase())) {
      out.push(p);
    }
  };
  for (const p of Array.isArray(paths) ? paths : [paths]) visit(p);
  return out;
}

export function readSchemaFile(path: string): RawSchemaRoot {
  const text = readFileSync(path, 'utf8');
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`schema file ${path} cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`schema file ${path} is not a mapping`);
  return doc as RawSchemaRoot;
}

function kindOf(raw: RawKind): string {
  return `${raw.namespace}${raw.name}`;
}

function mergeByName<T extends { name: string }>(base: T[] | undefined, extra: T[] | undefined): T[] {
  const out = [...(base ?? [])];
  for (const item of extra ?? []) {
    const at = out.findIndex((x) => x.name === item.name);
    // `state: absent` removes the attribute or relationship (Infrahub's schema state).
    if ((item as { state?: unknown }).state === 'absent') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = { ...out[at], ...item };
    else out.push(item);
  }
  return out;
}

function mergeKind(base: RawKind | undefined, next: RawKind): RawKind {
  if (!base) return { ...next };
  return {
    ...base,
    ...next,
    attributes: mergeByName(base.attributes, next.attributes),
    relationships: mergeByName(base.relationships, next.relationships),
  };
}

function defaultIdentifier(ownerKind: string, peer: string): string {
  return [ownerKind.toLowerCase(), peer.toLowerCase()].sort().join('__');
}

function toAttribute(raw: RawAttribute, inherited: boolean): AttributeSchema {
  const kind = raw.kind ?? 'Text';
  return {
    name: raw.name,
    kind: ATTRIBUTE_KIND_ALIASES[kind] ?? kind,
    optional: raw.optional ?? false,
    unique: raw.unique ?? false,
    defaultValue: raw.default_value ?? null,
    choices: raw.choices ?? null,
    regex: raw.regex ?? null,
    maxLength: raw.max_length ?? null,
    minLength: raw.min_length ?? null,
    readOnly: raw.read_only ?? false,
    inherited,
    raw,
  };
}

function toRelationship(raw: RawRelationship, ownerKind: string, inherited: boolean): RelationshipSchema {
  const kind = raw.kind ?? 'Generic';
  return {
    name: raw.name,
    peer: raw.peer,
    kind,
    cardinality: raw.cardinality ?? 'many',
    optional: raw.optional ?? true,
    identifier: raw.identifier ?? defaultIdentifier(ownerKind, raw.peer),
    side: 'both',
    onDelete: raw.on_delete ?? (kind === 'Component' ? 'cascade' : null),
    readOnly: raw.read_only ?? false,
    inherited,
    raw,
  };
}

function ownRelationships(raw: RawKind): RawRelationship[] {
  return (raw.relationships ?? []).filter(
    (r) => !SERVER_MANAGED_REL_KINDS.has(r.kind ?? '') && !r.peer.startsWith('Profile') && !r.peer.startsWith('Template'),
  );
}

/**
 * The resolved schema: every loaded root merged, extensions applied, generics copied into
 * the nodes that inherit them, identifiers and edge sides assigned.
 */
export class SchemaRegistry {
  readonly kinds = new Map<string, KindSchema>();
  readonly roots: RawSchemaRoot[];
  private readonly isACache = new Map<string, Map<string, boolean>>();

  constructor(roots: RawSchemaRoot[]) {
    this.roots = roots;
    this.build();
  }

  static fromPaths(paths: string | string[]): SchemaRegistry {
    const roots = [readSchemaFile(BUILTINS_PATH), ...listSchemaFiles(paths).map(readSchemaFile)];
    return new SchemaRegistry(roots);
  }

  /** A registry with more roots appended (schema load at runtime); throws when invalid. */
  withRoots(extra: RawSchemaRoot[]): SchemaRegistry {
    return new SchemaRegistry([...this.roots, ...extra]);
  }

  get(kind: string): KindSchema | undefined {
    return this.kinds.get(kind);
  }

  nodeKinds(): KindSchema[] {
    return [...this.kinds.values()].filter((k) => !k.isGeneric);
  }

  genericKinds(): KindSchema[] {
    return [...this.kinds.values()].filter((k) => k.isGeneric);
  }

  /** True when nodes of `kind` may stand where `target` is expected. */
  isA(kind: string, target: string): boolean {
    if (kind === target || target === 'CoreNode') return true;
    let byTarget = this.isACache.get(kind);
    if (!byTarget) this.isACache.set(kind, (byTarget = new Map()));
    let hit = byTarget.get(target);
    if (hit === undefined) {
      hit = this.kinds.get(kind)?.inheritFrom.includes(target) ?? false;
      byTarget.set(target, hit);
    }
    return hit;
  }

  /** Concrete kinds whose nodes a query on `kind` returns. */
  concreteKinds(kind: string): string[] {
    const schema = this.kinds.get(kind);
    if (!schema) return [];
    return schema.isGeneric ? schema.usedBy : [schema.kind];
  }

  private build(): void {
    const generics = new Map<string, RawKind>();
    const nodes = new Map<string, RawKind>();
    for (const root of this.roots) {
      for (const g of root.generics ?? []) generics.set(kindOf(g), mergeKind(generics.get(kindOf(g)), g));
      for (const n of root.nodes ?? []) nodes.set(kindOf(n), mergeKind(nodes.get(kindOf(n)), n));
    }
    const problems: string[] = [];
    for (const root of this.roots) {
      for (const ext of root.extensions?.nodes ?? []) {
        const target = nodes.has(ext.kind) ? nodes : generics.has(ext.kind) ? generics : null;
        if (!target) {
          problems.push(`extension targets unknown kind ${ext.kind}`);
          continue;
        }
        const base = target.get(ext.kind) as RawKind;
        target.set(ext.kind, {
          ...base,
          attributes: mergeByName(base.attributes, ext.attributes),
          relationships: mergeByName(base.relationships, ext.relationships),
        });
      }
    }

    for (const [kind, raw] of generics) this.kinds.set(kind, this.resolveGeneric(kind, raw));
    for (const [kind, raw] of nodes) this.kinds.set(kind, this.resolveNode(kind, raw, generics, problems));
    for (const schema of this.kinds.values()) {
      for (const parent of schema.inheritFrom) this.kinds.get(parent)?.usedBy.push(schema.kind);
    }
    const coreNode = this.kinds.get('CoreNode');
    if (coreNode) coreNode.usedBy = this.nodeKinds().map((k) => k.kind);

    this.assignSides();
    for (const schema of this.kinds.values()) {
      for (const rel of schema.relationships) {
        if (!this.kinds.has(rel.peer)) problems.push(`${schema.kind}.${rel.name}: peer ${rel.peer} is not a known kind`);
      }
      for (const parent of schema.inheritFrom) {
        if (!generics.has(parent)) problems.push(`${schema.kind}: inherit_from ${parent} is not a known generic`);
      }
    }
    // A real Infrahub (1.11.9) refuses an optional relationship of cardinality one in a
    // uniqueness constraint (an hfid implies one, named by the relationship alone), except
    // ip_namespace on IP prefixes and addresses, and names only the first offender, in these words.
    for (const schema of this.kinds.values()) {
      if (schema.isGeneric) continue;
      const ipam = schema.inheritFrom.includes('BuiltinIPPrefix') || schema.inheritFrom.includes('BuiltinIPAddress');
      const paths = [
        ...(schema.raw.uniqueness_constraints ?? []).flat().map((path) => ({ path, shown: path })),
        ...(schema.humanFriendlyId ?? []).map((path) => ({ path, shown: path.split('__')[0] ?? '' })),
      ];
      for (const { path, shown } of paths) {
        const rel = schema.relationshipByName.get(path.split('__')[0] ?? '');
        if (!rel || !rel.optional || rel.cardinality !== 'one' || (ipam && rel.name === 'ip_namespace')) continue;
        throw new Error(`${schema.kind}.uniqueness_constraints: cannot use ${rel.name} relationship, relationship must be mandatory. (\`${shown}\`)`);
      }
    }
    if (problems.length > 0) throw new Error(`invalid schema: ${problems.join('; ')}`);
  }

  private resolveGeneric(kind: string, raw: RawKind): KindSchema {
    const rels = raw.hierarchical && kind === IP_PREFIX_GENERIC ? hierarchyRels(kind, kind, true) : [];
    return this.makeKind(kind, raw, true, [], [], rels);
  }

  private resolveNode(kind: string, raw: RawKind, generics: Map<string, RawKind>, problems: string[]): KindSchema {
    const inheritFrom = [...(raw.inherit_from ?? [])];
    const fromGenerics: RawKind[] = inheritFrom.map((g) => generics.get(g)).filter((g): g is RawKind => !!g);
    const hierarchical = fromGenerics.find((g) => g.hierarchical);
    if (hierarchical && kindOf(hierarchical) === IP_PREFIX_GENERIC) {
      const rels = hierarchyRels(IP_PREFIX_GENERIC, IP_PREFIX_GENERIC, true);
      return this.makeKind(kind, raw, false, inheritFrom, fromGenerics, rels, problems);
    }
    if (hierarchical && !inheritFrom.includes('CoreNode')) {
      // hierarchy rels point at concrete parent/children kinds named by the node
      const rels = hierarchyRels(raw.parent, raw.children, false);
      return this.makeKind(kind, raw, false, inheritFrom, fromGenerics, rels, problems);
    }
    return this.makeKind(kind, raw, false, inheritFrom, fromGenerics, [], problems);
  }

  private makeKind(
    kind: string,
    raw: RawKind,
    isGeneric: boolean,
    inheritFrom: string[],
    fromGenerics: RawKind[],
    extraRels: RawRelationship[],
    problems: string[] = [],
  ): KindSchema {
    const attributes: AttributeSchema[] = [];
    const relationships: RelationshipSchema[] = [];
    const seen = new Set<string>();
    for (const a of raw.attributes ?? []) {
      if (seen.has(a.name)) continue;
      seen.add(a.name);
      attributes.push(toAttribute(a, a.inherited === true));
    }
    for (const r of ownRelationships(raw)) {
      if (seen.has(r.name)) continue;
      seen.add(r.name);
      relationships.push(toRelationship(r, kind, r.inherited === true));
    }
    for (const g of fromGenerics) {
      const gKind = kindOf(g);
      for (const a of g.attributes ?? []) {
        if (seen.has(a.name)) continue;
        seen.add(a.name);
        attributes.push(toAttribute(a, true));
      }
      for (const r of ownRelationships(g)) {
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        relationships.push(toRelationship(r, gKind, true));
      }
    }
    for (const r of extraRels) {
      if (seen.has(r.name)) continue;
      seen.add(r.name);
      relationships.push(toRelationship(r, kind, false));
    }
    if (!isGeneric && !seen.has('member_of_groups') && kind !== 'CoreStandardGroup') {
      relationships.push(
        toRelationship({ name: 'member_of_groups', peer: 'CoreGroup', kind: 'Group', cardinality: 'many', optional: true, identifier: 'group_member' }, kind, false),
      );
    }
    const inheritedProp = <T>(pick: (k: RawKind) => T | null | undefined): T | null => {
      const own = pick(raw);
      if (own !== undefined && own !== null) return own;
      for (const g of fromGenerics) {
        const v = pick(g);
        if (v !== undefined && v !== null) return v;
      }
      return null;
    };
    const hfid = inheritedProp((k) => (k.human_friendly_id && k.human_friendly_id.length > 0 ? k.human_friendly_id : null));
    const displayLabels = inheritedProp((k) => (k.display_labels && k.display_labels.length > 0 ? k.display_labels : null))
      ?? (inheritedProp((k) => k.display_label) ? [inheritedProp((k) => k.display_label) as string] : []);
    const constraints: string[][] = [...(raw.uniqueness_constraints ?? [])];
    for (const a of attributes) if (a.unique) constraints.push([`${a.name}__value`]);
    if (hfid) constraints.push(hfid);
    for (const path of hfid ?? []) {
      const head = path.split('__')[0] ?? '';
      if (!seen.has(head)) problems.push(`${kind}: human_friendly_id ${path} names no attribute or relationship`);
    }
    return {
      kind,
      name: raw.name,
      namespace: raw.namespace,
      isGeneric,
      inheritFrom,
      attributes,
      relationships,
      attributeByName: new Map(attributes.map((a) => [a.name, a])),
      relationshipByName: new Map(relationships.map((r) => [r.name, r])),
      humanFriendlyId: hfid,
      uniquenessConstraints: dedupeConstraints(constraints),
      displayLabels,
      defaultFilter: inheritedProp((k) => k.default_filter),
      usedBy: [],
      raw,
    };
  }

  /**
   * Relationships sharing an identifier are the two ends of one edge set. With two names the
   * first (sorted) writes edges forward and the other reads them backward; a lone name
   * (unidirectional, or self-referencing like connected_endpoint) reads both ways.
   */
  private assignSides(): void {
    const names = new Map<string, Set<string>>();
    for (const schema of this.kinds.values()) {
      for (const rel of schema.relationships) {
        let set = names.get(rel.identifier);
        if (!set) names.set(rel.identifier, (set = new Set()));
        set.add(rel.name);
      }
    }
    for (const schema of this.kinds.values()) {
      for (const rel of schema.relationships) {
        const sorted = [...(names.get(rel.identifier) ?? [])].sort();
        const side: EdgeSide = sorted.length < 2 ? 'both' : sorted[0] === rel.name ? 'out' : 'in';
        rel.side = side;
      }
    }
  }
}

function dedupeConstraints(list: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const c of list) {
    const key = [...c].sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
