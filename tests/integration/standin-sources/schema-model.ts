// Reads an Infrahub schema directory (version "1.0" files: generics + nodes) into kinds
// with inherited attributes and relationships, plus the server built-ins the example
// configs rely on, so tests can check a sync config's fields against it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface SchemaAttr { name: string; kind: string; optional?: boolean; default_value?: unknown }
export interface SchemaRel { name: string; peer: string; cardinality?: 'one' | 'many'; optional?: boolean }
export interface SchemaKind { kind: string; generic: boolean; inheritFrom: string[]; attributes: SchemaAttr[]; relationships: SchemaRel[] }

interface RawKind { name: string; namespace: string; inherit_from?: string[]; attributes?: SchemaAttr[]; relationships?: SchemaRel[] }

const attr = (name: string, kind = 'Text', optional = true): SchemaAttr => ({ name, kind, optional });
const rel = (name: string, peer: string, cardinality: 'one' | 'many'): SchemaRel => ({ name, peer, cardinality, optional: true });

/** The fields of Infrahub's own kinds that the NetBox / Nautobot example configs write. */
export const BUILTIN_KINDS: SchemaKind[] = [
  { kind: 'BuiltinTag', generic: false, inheritFrom: [], attributes: [attr('name', 'Text', false), attr('description')], relationships: [] },
  {
    kind: 'CoreStandardGroup', generic: false, inheritFrom: ['CoreGroup'],
    attributes: [attr('name', 'Text', false), attr('label'), attr('description')],
    relationships: [rel('members', 'CoreNode', 'many'), rel('subscribers', 'CoreNode', 'many')],
  },
  {
    kind: 'BuiltinIPNamespace', generic: true, inheritFrom: [], attributes: [attr('name', 'Text', false), attr('description')],
    relationships: [rel('ip_prefixes', 'BuiltinIPPrefix', 'many'), rel('ip_addresses', 'BuiltinIPAddress', 'many')],
  },
  {
    kind: 'BuiltinIPPrefix', generic: true, inheritFrom: [],
    attributes: [attr('prefix', 'IPNetwork', false), attr('description'), attr('member_type', 'Dropdown'), attr('is_pool', 'Boolean')],
    relationships: [rel('ip_namespace', 'BuiltinIPNamespace', 'one'), rel('ip_addresses', 'BuiltinIPAddress', 'many'),
      rel('parent', 'BuiltinIPPrefix', 'one'), rel('children', 'BuiltinIPPrefix', 'many')],
  },
  {
    kind: 'BuiltinIPAddress', generic: true, inheritFrom: [], attributes: [attr('address', 'IPHost', false), attr('description')],
    relationships: [rel('ip_namespace', 'BuiltinIPNamespace', 'one'), rel('ip_prefix', 'BuiltinIPPrefix', 'one')],
  },
  { kind: 'CoreNode', generic: true, inheritFrom: [], attributes: [], relationships: [] },
  { kind: 'CoreGroup', generic: true, inheritFrom: [], attributes: [], relationships: [] },
  { kind: 'CoreArtifactTarget', generic: true, inheritFrom: [], attributes: [], relationships: [] },
];

export class SchemaModel {
  readonly kinds = new Map<string, SchemaKind>();

  constructor(dir: string) {
    for (const k of BUILTIN_KINDS) this.kinds.set(k.kind, k);
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { version?: string; generics?: RawKind[]; nodes?: RawKind[] };
      if (doc.version !== '1.0') throw new Error(`${file}: expected version "1.0"`);
      for (const [list, generic] of [[doc.generics ?? [], true], [doc.nodes ?? [], false]] as const) {
        for (const raw of list) {
          const kind = `${raw.namespace}${raw.name}`;
          if (this.kinds.has(kind)) throw new Error(`${file}: ${kind} defined twice`);
          this.kinds.set(kind, {
            kind, generic, inheritFrom: raw.inherit_from ?? [], attributes: raw.attributes ?? [], relationships: raw.relationships ?? [],
          });
        }
      }
    }
  }

  /** The kind and every generic it inherits from, nearest first. */
  lineage(kind: string): SchemaKind[] {
    const out: SchemaKind[] = [];
    const visit = (k: string): void => {
      const s = this.kinds.get(k);
      if (!s || out.includes(s)) return;
      out.push(s);
      for (const g of s.inheritFrom) visit(g);
    };
    visit(kind);
    return out;
  }

  attribute(kind: string, name: string): SchemaAttr | undefined {
    for (const k of this.lineage(kind)) {
      const a = k.attributes.find((x) => x.name === name);
      if (a) return a;
    }
    return undefined;
  }

  relationship(kind: string, name: string): SchemaRel | undefined {
    for (const k of this.lineage(kind)) {
      const r = k.relationships.find((x) => x.name === name);
      if (r) return r;
    }
    return undefined;
  }

  /** A node of kind `kind` can sit at the end of a relationship whose peer is `peer`. */
  fits(kind: string, peer: string): boolean {
    return this.lineage(kind).some((k) => k.kind === peer);
  }
}
