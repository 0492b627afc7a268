// Peers named by a plain value that no synced model holds (implied-references.ts): found by the
// peer kind's naming attribute, one query per (kind, attribute) for every value a batch names,
// before the batch's mutations are built. A peer kind whose hfid is that attribute is named by
// hfid instead and needs no lookup (OpBuilder.namedPeer).
import type { Change, Value } from '../../diff/types.js';
import type { ApplyContext } from '../types.js';
import type { InfrahubClient } from './client.js';
import type { InfrahubSchema } from './schema.js';
import { listType } from './create-lookup.js';
import { namedPeerKey } from './write-ops.js';

export interface PeerNameOptions {
  client: InfrahubClient;
  schema: InfrahubSchema;
  branch: string | undefined;
  pageSize: number;
}

function names(v: Value | undefined): string[] {
  if (v === null || v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== '' && typeof x !== 'object').map(String);
  return typeof v === 'object' ? [] : [String(v)];
}

/** `<kind>\0<attr>\0<value>` -> ids of the nodes holding it; values no node has are absent. */
export async function findNamedPeers(changes: readonly Change[], ctx: ApplyContext, opts: PeerNameOptions): Promise<Map<string, string[]>> {
  const wanted = new Map<string, { kind: string; attribute: string; values: Set<string> }>();
  for (const c of changes) {
    if (c.action === 'delete') continue;
    const spec = ctx.models[c.model];
    for (const [field, attribute] of Object.entries(spec?.peerAttributes ?? {})) {
      if (spec?.references[field]) continue;
      const rel = opts.schema.relationship(c.model, field);
      if (!rel) continue;
      if (!opts.schema.isGeneric(rel.peer) && JSON.stringify(opts.schema.hfid(rel.peer)) === JSON.stringify([`${attribute}__value`])) continue;
      const list = names({ ...c.ids, ...c.attrs }[field]);
      if (list.length === 0) continue;
      const k = `${rel.peer}\u0000${attribute}`;
      const w = wanted.get(k) ?? { kind: rel.peer, attribute, values: new Set<string>() };
      for (const n of list) w.values.add(n);
      wanted.set(k, w);
    }
  }
  const found = new Map<string, string[]>();
  for (const { kind, attribute, values } of wanted.values()) {
    const type = listType(opts.schema.attribute(kind, attribute)?.kind ?? 'Text') ?? '[String]';
    const query =
      `query Named($offset: Int, $limit: Int, $values: ${type}) { ${kind}(offset: $offset, limit: $limit, ${attribute}__values: $values) ` +
      `{ count edges { node { id ${attribute} { value } } } } }`;
    for (let offset = 0; ; offset += opts.pageSize) {
      type Page = Record<string, { count: number; edges: { node: { id: string } & Record<string, { value?: unknown } | string> }[] }>;
      const data = await opts.client.query<Page>(query, { offset, limit: opts.pageSize, values: [...values] }, opts.branch);
      const page = data[kind];
      for (const e of page?.edges ?? []) {
        const attr = e.node[attribute];
        const value = typeof attr === 'object' && attr !== null ? attr.value : undefined;
        if (value === undefined || value === null) continue;
        const key = namedPeerKey(kind, attribute, String(value));
        found.set(key, [...(found.get(key) ?? []), e.node.id]);
      }
      if (!page || page.edges.length === 0 || offset + opts.pageSize >= page.count) break;
    }
  }
  return found;
}
