// Infrahub adapter: reads any kind (nodes and generics) page by page over GraphQL, and applies
// changes as batched, aliased mutations. Settings and env vars: see settings.ts.
import pLimit from 'p-limit';
import type { AdapterConfig } from '../../config/types.js';
import type { Change, ChangeResult, ModelFacts } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import type { StoredForm } from '../../mapping/stored-forms.js';
import type { AdapterContext, AdapterFactory, ApplyContext, LoadRequest, RawRecord, WritableAdapter } from '../types.js';
import { applyChanges } from './apply.js';
import { ensureBranch } from './branch.js';
import { InfrahubClient, SYSTEM } from './client.js';
import { modelFacts } from './model-facts.js';
import { buildListQuery, buildSelection, hasPath, nodeToRecord } from './read-query.js';
import { resolveLineage, type WriteLineage } from './lineage.js';
import { InfrahubSchema, type SchemaResponse } from './schema.js';
import { resolveSettings, type InfrahubSettings } from './settings.js';

export { checkMapping, checkSchema } from './check-mapping.js';
export { InfrahubSchema } from './schema.js';
export type { KindSchema, AttributeSchema, RelationshipSchema } from './schema.js';
export { resolveSettings } from './settings.js';

/** Fetches `/api/schema` for a branch (the server's default branch when none is given). */
export async function fetchSchema(client: InfrahubClient, branch?: string): Promise<InfrahubSchema> {
  const q = branch ? `?branch=${encodeURIComponent(branch)}` : '';
  return new InfrahubSchema(await client.getJson<SchemaResponse>(`/api/schema${q}`));
}

/** Sets a dotted path, creating the objects on the way (a scalar in the way is replaced). */
function setPath(target: RawRecord, path: string, value: unknown): void {
  const segs = path.split('.');
  let cur: Record<string, unknown> = target;
  segs.slice(0, -1).forEach((seg) => {
    const next = cur[seg];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  });
  cur[segs[segs.length - 1] as string] = value;
}

interface PageData {
  [kind: string]: { count: number; edges: { node: Record<string, unknown> }[] } | undefined;
}

export class InfrahubAdapter implements WritableAdapter {
  readonly system = SYSTEM;
  readonly settings: InfrahubSettings;
  readonly client: InfrahubClient;
  private opened: Promise<{ branch: string; schema: InfrahubSchema; lineage: WriteLineage }> | undefined;

  constructor(
    config: AdapterConfig,
    private readonly ctx: AdapterContext,
    overrides: { retryBaseMs?: number } = {},
  ) {
    this.settings = resolveSettings(config, ctx);
    this.client = new InfrahubClient({
      url: this.settings.url,
      token: this.settings.token,
      timeoutMs: this.settings.timeoutMs,
      retries: this.settings.retries,
      verifySsl: this.settings.verifySsl,
      logger: ctx.logger,
      retryBaseMs: overrides.retryBaseMs,
    });
    this.retryBaseMs = overrides.retryBaseMs;
  }

  private readonly retryBaseMs: number | undefined;
  /** Set once open; defaultIdentifiers is synchronous and asked only after a load. */
  private loadedSchema: InfrahubSchema | undefined;

  /** Checks credentials, resolves (and maybe creates) the branch, fetches the schema once. */
  open(): Promise<void> {
    return this.ready().then(() => undefined);
  }

  private ready(): Promise<{ branch: string; schema: InfrahubSchema; lineage: WriteLineage }> {
    this.opened ??= (async () => {
      const b = await ensureBranch(this.client, this.settings.branch, this.settings.createBranch);
      if (b.created) this.ctx.logger.info(`infrahub: created branch "${b.branch}"`);
      const schema = await fetchSchema(this.client, b.branch);
      this.loadedSchema = schema;
      // Resolved when opening, so that a missing account group stops the run before any write.
      const lineage = await resolveLineage(this.client, schema, b.branch, { source: this.settings.source, owner: this.settings.owner, defaultAccount: this.ctx.lineageAccount }, this.ctx.logger);
      return { branch: b.branch, schema, lineage };
    })();
    // A failed open may be retried by calling open() again.
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  async schema(): Promise<InfrahubSchema> {
    return (await this.ready()).schema;
  }

  async branch(): Promise<string> {
    return (await this.ready()).branch;
  }

  describeModel(model: string, fields: readonly string[]): ModelFacts | undefined {
    return this.loadedSchema ? modelFacts(this.loadedSchema, model, fields) : undefined;
  }

  /** IPHost and IPNetwork attributes: Infrahub stores them with a prefix length, canonically. */
  storedForms(model: string): Record<string, StoredForm> | undefined {
    const forms: Record<string, StoredForm> = {};
    for (const a of this.loadedSchema?.get(model)?.attributes ?? []) {
      if (a.kind === 'IPHost') forms[a.name] = 'ip-host';
      else if (a.kind === 'IPNetwork') forms[a.name] = 'ip-network';
      else if (a.kind === 'Boolean' || a.kind === 'Checkbox') forms[a.name] = 'boolean';
      else if (a.kind === 'Number' || a.kind === 'Bandwidth') forms[a.name] = 'integer';
    }
    // A many-relationship given one peer (Slurp'it's `devices: hostname`) holds a list of one.
    for (const r of this.loadedSchema?.get(model)?.relationships ?? []) if (r.cardinality === 'many') forms[r.name] = 'many';
    return Object.keys(forms).length > 0 ? forms : undefined;
  }

  /** The kind's unique attributes, in schema order (infrahub-sync's rule for entries without identifiers). */
  defaultIdentifiers(model: string): string[] | undefined {
    const unique = this.loadedSchema?.get(model)?.attributes.filter((a) => a.unique).map((a) => a.name) ?? [];
    return unique.length > 0 ? unique : undefined;
  }

  async load(req: LoadRequest): Promise<RawRecord[]> {
    const { branch, schema } = await this.ready();
    // Infrahub-as-source configs name the Infrahub kind in `name` and the other system's path in `mapping`.
    const kind = schema.has(req.path) ? req.path : schema.has(req.model) ? req.model : undefined;
    if (!kind) throw new AdapterError(SYSTEM, `kind "${req.path}" not found in the Infrahub schema (branch ${branch})`);
    // In those configs `name` is the Infrahub field and `mapping` the other system's (infrahub-sync
    // reads Infrahub by `name` there), so each field is read by its name and its value is also
    // placed at the path the mapping will read.
    const reversed = kind !== req.path;
    const aliases: [from: string, to: string][] = [];
    const paths = req.fields.map((f) => {
      const path = f.path || f.name;
      if (!reversed || !hasPath(schema, kind, f.name)) return path;
      if (path !== f.name) aliases.push([f.name, path]);
      return f.name;
    });
    const sel = buildSelection(schema, kind, paths);
    const withIds = req.scope !== undefined;
    const query = buildListQuery(kind, sel, {
      withIds,
      withHfid: schema.hfid(kind).length > 0,
      withTypename: schema.isGeneric(kind),
    });
    const pageSize = this.settings.pageSize;
    const fetchPage = async (offset: number, ids?: string[]) => {
      const data = await this.client.query<PageData>(query, { offset, limit: pageSize, ...(ids ? { ids } : {}) }, branch);
      const list = data[kind];
      if (!list) throw new AdapterError(SYSTEM, `no "${kind}" in the query result`);
      return list;
    };

    const seen = new Set<string>();
    const records: RawRecord[] = [];
    const add = (edges: { node: Record<string, unknown> }[]) => {
      for (const e of edges) {
        const id = String(e.node.id);
        // Offset paging over a changing set can repeat a node across pages.
        if (seen.has(id)) continue;
        seen.add(id);
        const record = nodeToRecord(e.node, sel);
        const read = { ...record };
        for (const [from, to] of aliases) setPath(record, to, read[from]);
        records.push(record);
      }
    };
    const limit = pLimit(this.settings.concurrency);
    if (withIds) {
      // By id (a webhook's objects, the read-back after a sync): one page-sized group of ids per
      // query, rather than every id sent with every page.
      const ids = [...new Set(req.scope?.ids ?? [])];
      const groups: string[][] = [];
      for (let i = 0; i < ids.length; i += pageSize) groups.push(ids.slice(i, i + pageSize));
      await Promise.all(
        groups.map((group) =>
          limit(async () => {
            add((await fetchPage(0, group)).edges);
            req.onProgress?.(records.length, ids.length);
          }),
        ),
      );
      return records;
    }
    const first = await fetchPage(0);
    add(first.edges);
    const total = first.count;
    req.onProgress?.(records.length, total);
    const offsets: number[] = [];
    for (let off = pageSize; off < total; off += pageSize) offsets.push(off);
    await Promise.all(
      offsets.map((off) =>
        limit(async () => {
          const page = await fetchPage(off);
          add(page.edges);
          req.onProgress?.(records.length, total);
        }),
      ),
    );
    return records;
  }

  async apply(changes: Change[], ctx: ApplyContext): Promise<ChangeResult[]> {
    const { branch, schema, lineage } = await this.ready();
    return applyChanges(changes, ctx, {
      client: this.client,
      schema,
      branch,
      batchSize: this.settings.batchSize,
      concurrency: this.settings.concurrency,
      retries: this.settings.retries,
      logger: this.ctx.logger,
      retryBaseMs: this.retryBaseMs,
      pageSize: this.settings.pageSize,
      lineage,
    });
  }
}

export const createInfrahubAdapter: AdapterFactory = (config, ctx) => new InfrahubAdapter(config, ctx);
