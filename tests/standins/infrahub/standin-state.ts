import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { buildGraphqlSchema } from './graphql-schema.js';
import { createNode } from './mutations.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { RawSchemaRoot } from './schema-types.js';
import { BranchStore, newId, type BranchMeta, type StoredNode } from './store.js';
import { StandinError, validationError } from './errors.js';
import type { SavedLineage } from './lineage.js';

const STATE_FORMAT = 'infrahub-standin-state/1';
export const DEFAULT_BRANCH = 'main';

interface SavedNode {
  id: string;
  kind: string;
  attrs: Record<string, unknown>;
  defaulted: string[];
  createdAt: string;
  updatedAt: string;
}

interface SavedState {
  format: string;
  extraSchemas: RawSchemaRoot[];
  branches: { meta: BranchMeta; nodes: SavedNode[]; edges: [string, string, string][]; lineage?: SavedLineage }[];
}

function branchMeta(name: string, description: string | null, syncWithGit: boolean): BranchMeta {
  const stamp = new Date().toISOString();
  return {
    id: newId(),
    name,
    description,
    origin_branch: DEFAULT_BRANCH,
    branched_from: stamp,
    created_at: stamp,
    sync_with_git: syncWithGit,
    is_default: name === DEFAULT_BRANCH,
    has_schema_changes: false,
    graph_version: null,
    status: 'OPEN',
  };
}

/** Everything the server holds: schema, GraphQL schema, branches. */
export class StandinState {
  registry: SchemaRegistry;
  graphqlSchema: GraphQLSchema;
  readonly branches = new Map<string, BranchStore>();
  /** Schemas added through /api/schema/load, replayed when state is restored. */
  readonly extraSchemas: RawSchemaRoot[] = [];

  constructor(registry: SchemaRegistry) {
    this.registry = registry;
    this.graphqlSchema = buildGraphqlSchema(registry);
    this.branches.set(DEFAULT_BRANCH, new BranchStore(registry, branchMeta(DEFAULT_BRANCH, 'Default Branch', true)));
    this.seed(this.main);
  }

  get main(): BranchStore {
    return this.branches.get(DEFAULT_BRANCH) as BranchStore;
  }

  /** Infrahub starts with a "default" IP namespace that IPAM nodes fall back to. */
  private seed(store: BranchStore): void {
    const ns = this.registry.get('IpamNamespace');
    if (ns && store.findByHfid('IpamNamespace', ['default']).length === 0) {
      const node = createNode(store, ns, { name: { value: 'default' }, description: { value: 'Used to provide a default space of IP resources' } });
      if (ns.attributeByName.has('default')) node.attrs.default = true;
    }
  }

  loadSchemas(roots: RawSchemaRoot[]): { previous: SchemaRegistry; next: SchemaRegistry } {
    const previous = this.registry;
    const next = previous.withRoots(roots);
    this.registry = next;
    this.graphqlSchema = buildGraphqlSchema(next);
    for (const store of this.branches.values()) store.setSchema(next);
    this.extraSchemas.push(...roots);
    this.seed(this.main);
    return { previous, next };
  }

  listBranches(): BranchMeta[] {
    return [...this.branches.values()].map((b) => b.meta);
  }

  createBranch(input: { name: string; description?: string | null; sync_with_git?: boolean | null }): BranchMeta {
    if (this.branches.has(input.name)) throw validationError(`The branch ${input.name}, already exist`, { branch_name: input.name });
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,249}$/.test(input.name)) throw validationError(`invalid field name: ${input.name}`, { branch_name: input.name });
    const meta = branchMeta(input.name, input.description ?? null, input.sync_with_git ?? false);
    this.branches.set(input.name, this.main.clone(meta));
    return meta;
  }

  /** After a write of a branch-agnostic node in `from`: every other branch sees the same node. */
  shareAgnostic(from: BranchStore, id: string): void {
    for (const store of this.branches.values()) if (store !== from) store.adopt(from, id);
  }

  deleteBranch(name: string): void {
    if (name === DEFAULT_BRANCH) throw validationError(`Unable to delete the default branch`, { branch_name: name });
    if (!this.branches.delete(name)) throw new StandinError(`Branch: ${name} not found.`, 'BRANCH_NOT_FOUND', 400, { branch_name: name });
  }

  save(path: string): void {
    const state: SavedState = {
      format: STATE_FORMAT,
      extraSchemas: this.extraSchemas,
      branches: [...this.branches.values()].map((b) => ({
        meta: b.meta,
        nodes: [...b.nodes.values()].map((n) => ({ ...n, defaulted: [...n.defaulted] })),
        edges: [...b.allEdges()],
        lineage: b.lineage.save(),
      })),
    };
    writeFileSync(path, JSON.stringify(state));
  }

  /** Replaces branches with the saved ones (no-op when the file does not exist yet). */
  restore(path: string): void {
    if (!existsSync(path)) return;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
    if (saved.format !== STATE_FORMAT) throw new Error(`state file ${path} has format ${saved.format}, expected ${STATE_FORMAT}`);
    if (saved.extraSchemas.length > 0) this.loadSchemas(saved.extraSchemas);
    this.branches.clear();
    for (const b of saved.branches) {
      const store = new BranchStore(this.registry, b.meta);
      for (const n of b.nodes) {
        const node: StoredNode = { ...n, defaulted: new Set(n.defaulted) };
        store.insertNode(node);
      }
      for (const [identifier, src, dst] of b.edges) store.addEdge(identifier, src, dst);
      store.lineage.restore(b.lineage);
      this.branches.set(b.meta.name, store);
    }
    if (!this.branches.has(DEFAULT_BRANCH)) {
      this.branches.set(DEFAULT_BRANCH, new BranchStore(this.registry, branchMeta(DEFAULT_BRANCH, 'Default Branch', true)));
    }
  }
}
