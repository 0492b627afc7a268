// Dumps what an Infrahub (real or stand-in) holds for a sync config's models, with node ids
// replaced by keys, so two destinations written by two tools compare record by record (test
// tooling). A node's key is built from the config's identifiers for its model (a reference part
// is the peer's own key), else from its hfid, else its display label; a relationship's value is
// `<PeerKind>:<peer key>`. Lineage is kept per node as `source/owner/protected -> [fields]`.
import { graphql, type Peer } from '../infrahub/peer-env.js';

interface SchemaAttr {
  name: string;
  kind: string;
}
interface SchemaRel {
  name: string;
  peer: string;
  cardinality: 'one' | 'many';
  kind?: string;
}
interface SchemaKind {
  kind?: string;
  namespace: string;
  name: string;
  attributes: SchemaAttr[];
  relationships: SchemaRel[];
  human_friendly_id?: string[] | null;
}

export interface DumpedNode {
  key: string;
  kind: string;
  fields: Record<string, unknown>;
  lineage: Record<string, string[]>;
}

export type Dump = Record<string, DumpedNode[]>;

/** Identifiers of each model as the config gives them (first entry with identifiers wins). */
export function configIdentifiers(config: { schema_mapping?: { name: string; identifiers?: string[] }[] }): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of config.schema_mapping ?? []) if (e.identifiers?.length && !out.has(e.name)) out.set(e.name, e.identifiers);
  return out;
}

// Relationships every node has that say nothing about the synced data.
const SKIPPED_RELATIONSHIPS = new Set(['member_of_groups', 'subscriber_of_groups', 'profiles', 'artifacts']);

async function schemaOf(peer: Peer, branch: string): Promise<Map<string, SchemaKind>> {
  const res = await fetch(`${peer.url}/api/schema?branch=${encodeURIComponent(branch)}`, { headers: { 'x-infrahub-key': peer.token } });
  const body = (await res.json()) as { nodes: SchemaKind[]; generics: SchemaKind[] };
  const out = new Map<string, SchemaKind>();
  for (const k of [...body.nodes, ...body.generics]) out.set(k.kind ?? `${k.namespace}${k.name}`, k);
  return out;
}

interface RawNode {
  id: string;
  __typename: string;
  display_label: string | null;
  hfid: string[] | null;
  [field: string]: unknown;
}

/** Every node of a kind with its attributes (value + lineage) and relationship peer ids. */
async function readKind(peer: Peer, schema: SchemaKind, kindName: string, withHfid: boolean, branch: string): Promise<RawNode[]> {
  const L = 'is_protected source { display_label } owner { display_label }';
  const attrs = schema.attributes.map((a) => `${a.name} { value ${L} }`);
  const rels = schema.relationships
    .filter((r) => !SKIPPED_RELATIONSHIPS.has(r.name))
    .map((r) => (r.cardinality === 'one' ? `${r.name} { node { id __typename } properties { ${L} } }` : `${r.name} { edges { node { id __typename } properties { ${L} } } }`));
  const out: RawNode[] = [];
  // 100 a page: a real Infrahub 1.11.9 (embedded Neo4j) answered a 500-node page of interfaces
  // with every relationship's properties with `50N42: Unexpected error` on 147 nodes (nulled).
  const size = 100;
  for (let offset = 0; ; offset += size) {
    const q = `query($o: Int) { ${kindName}(offset: $o, limit: ${size}) { count edges { node { id __typename display_label ${withHfid ? 'hfid' : ''} ${attrs.join(' ')} ${rels.join(' ')} } } } }`;
    const res = await graphql(peer, q, { o: offset }, branch === 'main' ? undefined : branch);
    const body = res.body as { data?: Record<string, { count: number; edges: { node: RawNode }[] }>; errors?: { message: string }[] } | string;
    if (typeof body === 'string' || !body.data?.[kindName] || (body.errors?.length ?? 0) > 0) {
      throw new Error(`reading ${kindName}: HTTP ${res.status} ${JSON.stringify(typeof body === 'string' ? body : (body.errors ?? body)).slice(0, 500)}`);
    }
    const page = body.data[kindName];
    out.push(...page.edges.map((e) => e.node));
    if (out.length >= page.count || page.edges.length === 0) break;
  }
  return out;
}

type Props = { is_protected?: boolean | null; source?: { display_label: string } | null; owner?: { display_label: string } | null };
const lineageOf = (p: Props | undefined | null): string => `${p?.source?.display_label ?? '-'}/${p?.owner?.display_label ?? '-'}/${String(p?.is_protected ?? null)}`;

/** Reads `models` (and what they point at, for keys) and returns them keyed. */
export async function dumpInfrahub(peer: Peer, models: string[], identifiers: Map<string, string[]>, branch = 'main'): Promise<Dump> {
  const schema = await schemaOf(peer, branch);
  const byId = new Map<string, RawNode>();
  const kindOf = new Map<string, string>();
  const read = new Map<string, RawNode[]>();
  for (const model of models) {
    const s = schema.get(model);
    if (!s) throw new Error(`kind ${model} is not in the schema of ${peer.url}`);
    const nodes = await readKind(peer, s, model, (s.human_friendly_id?.length ?? 0) > 0, branch);
    read.set(model, nodes);
    for (const n of nodes) {
      byId.set(n.id, n);
      kindOf.set(n.id, model);
    }
  }
  const keys = new Map<string, string>();
  const keyOf = (id: string, depth = 0): string => {
    const hit = keys.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id);
    if (!n || depth > 8) return `?${id.slice(0, 8)}`;
    const model = kindOf.get(id) ?? n.__typename;
    const ids = identifiers.get(model) ?? identifiers.get(n.__typename);
    let key: string;
    if (ids) {
      key = ids
        .map((f) => {
          const v = n[f] as { value?: unknown; node?: { id: string } | null } | undefined;
          if (v && 'node' in v) return v.node ? keyOf(v.node.id, depth + 1) : 'None';
          return v?.value === null || v?.value === undefined ? 'None' : String(v.value);
        })
        .join('__');
    } else if (n.hfid && n.hfid.length > 0) key = n.hfid.join('__');
    else key = n.display_label ?? n.id;
    keys.set(id, key);
    return key;
  };
  const peerName = (p: { id: string; __typename: string }): string => (byId.has(p.id) ? `${p.__typename}:${keyOf(p.id)}` : `${p.__typename}:<not dumped>`);
  const dump: Dump = {};
  for (const [model, nodes] of read) {
    const s = schema.get(model) as SchemaKind;
    dump[model] = nodes
      .map((n) => {
        const fields: Record<string, unknown> = {};
        const lineage: Record<string, string[]> = {};
        const note = (p: Props | null | undefined, field: string) => (lineage[lineageOf(p)] ??= []).push(field);
        for (const a of s.attributes) {
          const v = n[a.name] as ({ value: unknown } & Props) | undefined;
          fields[a.name] = v?.value ?? null;
          note(v, a.name);
        }
        for (const r of s.relationships) {
          if (SKIPPED_RELATIONSHIPS.has(r.name)) continue;
          if (r.cardinality === 'one') {
            const v = n[r.name] as { node: { id: string; __typename: string } | null; properties?: Props } | null | undefined;
            fields[r.name] = v?.node ? peerName(v.node) : null;
            if (v?.node) note(v.properties, r.name);
          } else {
            const v = n[r.name] as { edges: { node: { id: string; __typename: string }; properties?: Props }[] } | undefined;
            fields[r.name] = (v?.edges ?? []).map((e) => peerName(e.node)).sort();
            for (const e of v?.edges ?? []) note(e.properties, `${r.name}[${peerName(e.node)}]`);
          }
        }
        return { key: keyOf(n.id), kind: n.__typename, fields, lineage };
      })
      .sort((a, b) => a.key.localeCompare(b.key));
  }
  return dump;
}

export interface DumpDifference {
  model: string;
  what: 'count' | 'duplicate' | 'only-in-a' | 'only-in-b' | 'field' | 'lineage';
  key?: string;
  field?: string;
  a?: unknown;
  b?: unknown;
}

/** Every difference between two dumps of the same models. */
export function compareDumps(a: Dump, b: Dump): DumpDifference[] {
  const out: DumpDifference[] = [];
  for (const model of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    const left = a[model] ?? [];
    const right = b[model] ?? [];
    if (left.length !== right.length) out.push({ model, what: 'count', a: left.length, b: right.length });
    const index = (list: DumpedNode[], side: 'a' | 'b'): Map<string, DumpedNode> => {
      const m = new Map<string, DumpedNode>();
      const counts = new Map<string, number>();
      for (const n of list) {
        counts.set(n.key, (counts.get(n.key) ?? 0) + 1);
        m.set(n.key, n);
      }
      for (const [key, c] of counts) if (c > 1) out.push({ model, what: 'duplicate', key, ...(side === 'a' ? { a: c } : { b: c }) });
      return m;
    };
    const la = index(left, 'a');
    const lb = index(right, 'b');
    for (const [key, na] of la) {
      const nb = lb.get(key);
      if (!nb) {
        out.push({ model, what: 'only-in-a', key });
        continue;
      }
      for (const f of new Set([...Object.keys(na.fields), ...Object.keys(nb.fields)])) {
        if (JSON.stringify(na.fields[f]) !== JSON.stringify(nb.fields[f])) out.push({ model, what: 'field', key, field: f, a: na.fields[f], b: nb.fields[f] });
      }
      if (JSON.stringify(na.lineage) !== JSON.stringify(nb.lineage)) out.push({ model, what: 'lineage', key, a: na.lineage, b: nb.lineage });
    }
    for (const key of lb.keys()) if (!la.has(key)) out.push({ model, what: 'only-in-b', key });
  }
  return out;
}
