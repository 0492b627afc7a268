/**
 * Infrahub API stand-in: a TEST DOUBLE of Infrahub 1.x's GraphQL and schema REST API,
 * built from Infrahub schema files, for adapter tests and benchmarks. Not Infrahub.
 */
import type { AddressInfo } from 'node:net';
import { FaultPlan } from './faults.js';
import { createStandinServer, emptyCounters, type Counters } from './http-server.js';
import { SchemaRegistry } from './schema-registry.js';
import { DEFAULT_BRANCH, StandinState } from './standin-state.js';
import { BranchStore } from './store.js';

export interface InfrahubStandinOptions {
  /** Schema files or directories (YAML/JSON: version, generics, nodes, extensions). */
  schema: string | string[];
  /** Valid X-INFRAHUB-KEY; default "standin-token". */
  token?: string;
  /** Added to every request. */
  latencyMs?: number;
  /** Time each mutation of a request takes before the request is processed (queries are not
   *  delayed), as a real Infrahub spends seconds per IPAM write on a loaded machine: a client that
   *  gives up early leaves the writes to land after its own lookups. */
  mutationMs?: number;
  /** 0..1: share of requests answered 500, 429 + Retry-After: 1, or a dropped connection. */
  faultRate?: number;
  /** 0..1: share of mutation requests that are processed, then answered by a dropped connection. */
  lostResponseRate?: number;
  /** Which refusals `faultRate` draws from (default all: 500, 429 + Retry-After: 1, dropped before processing). */
  faultKinds?: ('server-error' | 'rate-limited' | 'dropped')[];
  /** Seed for deterministic faults. */
  faultSeed?: number;
  /** Load initial state from / save state to this JSON file (on stop). */
  statePath?: string;
  /** Default 0 (random). */
  port?: number;
}

export interface InfrahubStandin {
  url: string;
  port: number;
  stop(): Promise<void>;
  counters: Counters;
  resetCounters(): void;
  /** Nodes of a kind on a branch as plain objects { id, hfid, <attr>: value, <rel>: id | id[] } for assertions. */
  nodes(kind: string, branch?: string): Record<string, unknown>[];
  /** Nodes of a kind (a generic: of every implementer) that share an identity: the hfid, a
   *  uniqueness constraint, or an IPAM identity (a prefix or an address within its namespace).
   *  One entry per shared value, for assertions. */
  duplicates(kind: string, branch?: string): { kind: string; identity: string; value: string; ids: string[] }[];
}

export const DEFAULT_TOKEN = 'standin-token';

export async function startInfrahubStandin(opts: InfrahubStandinOptions): Promise<InfrahubStandin> {
  const state = new StandinState(SchemaRegistry.fromPaths(opts.schema));
  if (opts.statePath) state.restore(opts.statePath);
  let counters = emptyCounters();
  const { server, sockets } = createStandinServer(state, {
    token: opts.token ?? DEFAULT_TOKEN,
    latencyMs: opts.latencyMs ?? 0,
    mutationMs: opts.mutationMs ?? 0,
    faults: new FaultPlan(opts.faultRate ?? 0, opts.faultSeed ?? 1, opts.lostResponseRate ?? 0, opts.faultKinds),
    counters: () => counters,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopped = false;

  const standin: InfrahubStandin = {
    url: `http://127.0.0.1:${port}`,
    port,
    get counters() {
      return counters;
    },
    resetCounters() {
      counters = emptyCounters();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      if (opts.statePath) state.save(opts.statePath);
    },
    nodes(kind, branch = DEFAULT_BRANCH) {
      const store = state.branches.get(branch);
      if (!store) throw new Error(`no branch ${branch}`);
      const schema = state.registry.get(kind);
      if (!schema) throw new Error(`no kind ${kind}`);
      return [...store.nodesOf(kind)].map((node) => {
        const concrete = store.kindSchema(node);
        const out: Record<string, unknown> = { id: node.id, kind: node.kind, hfid: store.hfid(node), display_label: store.displayLabel(node) };
        for (const attr of concrete.attributes) out[attr.name] = node.attrs[attr.name] ?? null;
        for (const rel of concrete.relationships) {
          if (rel.kind === 'Group' && rel.name === 'member_of_groups' && store.peersOf(node.id, rel).length === 0) continue;
          const peers = store.peersOf(node.id, rel);
          out[rel.name] = rel.cardinality === 'one' ? (peers[0] ?? null) : peers;
        }
        return out;
      });
    },
    duplicates(kind, branch = DEFAULT_BRANCH) {
      const store = state.branches.get(branch);
      if (!store) throw new Error(`no branch ${branch}`);
      const out: { kind: string; identity: string; value: string; ids: string[] }[] = [];
      for (const concrete of state.registry.concreteKinds(kind)) {
        const schema = state.registry.get(concrete);
        if (!schema) continue;
        const identities = schema.uniquenessConstraints.map((c) => ({ name: c.join('+'), paths: c }));
        for (const ipam of ['BuiltinIPPrefix', 'BuiltinIPAddress']) {
          if (schema.inheritFrom.includes(ipam)) identities.push({ name: 'ipam', paths: [ipam === 'BuiltinIPPrefix' ? 'prefix__value' : 'address__value', 'ip_namespace'] });
        }
        for (const identity of identities) {
          const holders = new Map<string, string[]>();
          for (const node of store.nodesOf(concrete)) {
            const { key } = BranchStore.constraintKey(identity.paths, (p) => store.pathValue(node, p));
            if (key !== null) holders.set(key, [...(holders.get(key) ?? []), node.id]);
          }
          for (const [value, ids] of holders) if (ids.length > 1) out.push({ kind: concrete, identity: identity.name, value, ids });
        }
      }
      return out;
    },
  };
  return standin;
}
