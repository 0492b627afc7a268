// Applies a set of changes: N mutations per request as aliases, a bounded number of requests in
// flight, per-alias results. Retrying is safe because creates of kinds with an hfid are upserts
// keyed by it, updates set values, and a delete that finds nothing counts as done. Creates of kinds
// without hfid (create-lookup.ts) are looked up by the kind's identities first, and looked up again
// before any resend: a request that failed in transit, or whose answer was lost, may have been
// applied. A Create refused for a uniqueness constraint is looked up once more for the same reason.
import pLimit from 'p-limit';
import type { Change, ChangeResult } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { backoffDelay, statusOf } from '../http/retry.js';
import type { ApplyContext } from '../types.js';
import type { GqlError, InfrahubClient } from './client.js';
import { findExisting } from './create-lookup.js';
import { findNamedPeers } from './peer-names.js';
import type { WriteLineage } from './lineage.js';
import type { InfrahubSchema } from './schema.js';
import { OpBuilder, OpError, type MutationOp } from './write-ops.js';

export interface ApplyOptions {
  client: InfrahubClient;
  schema: InfrahubSchema;
  branch: string | undefined;
  batchSize: number;
  concurrency: number;
  retries: number;
  logger: Logger;
  retryBaseMs?: number;
  /** Page size of the lookup before creates (default 500). */
  pageSize?: number;
  /** Source and owner written with every value (lineage.ts); is_protected is always written. */
  lineage?: WriteLineage;
}

interface BatchOptions extends ApplyOptions {
  /** Creates already resent once after a uniqueness refusal. */
  refusedOnce: Set<string>;
}

const NOT_FOUND = /not found|unable to find|does not exist/i;

function isNotFound(e: GqlError): boolean {
  return e.extensions?.code === 'NODE_NOT_FOUND' || e.extensions?.http_status === 404 || NOT_FOUND.test(e.message);
}

/** Infrahub 1.11's refusal of a node that would share a uniqueness constraint's values. */
function isUniquenessRefusal(e: GqlError): boolean {
  return /^Violates uniqueness constraint /.test(e.message) || e.extensions?.code === 'UNIQUENESS_VIOLATION';
}

/** Server-side failures worth another attempt (the request itself went through). */
function isTransient(e: GqlError): boolean {
  const s = e.extensions?.http_status;
  return (typeof s === 'number' && (s === 429 || s >= 500)) || e.extensions?.code === 'WORKER_TIMEOUT';
}

export function renderBatch(ops: MutationOp[]): { query: string; variables: Record<string, unknown> } {
  const vars: string[] = [];
  const calls: string[] = [];
  const variables: Record<string, unknown> = {};
  ops.forEach((op, i) => {
    vars.push(`$d${i}: ${op.inputType}!`);
    variables[`d${i}`] = op.data;
    calls.push(`  m${i}: ${op.mutation}(data: $d${i}) { ok${op.isDelete ? '' : ' object { id }'} }`);
  });
  return { query: `mutation Apply(${vars.join(', ')}) {\n${calls.join('\n')}\n}`, variables };
}

function result(change: Change, status: ChangeResult['status'], extra: Partial<ChangeResult> = {}): ChangeResult {
  return { changeId: change.id, action: change.action, model: change.model, key: change.key, status, ...extra };
}

function aliasIndex(e: GqlError): number | undefined {
  const head = e.path?.[0];
  if (typeof head !== 'string') return undefined;
  const m = /^m(\d+)$/.exec(head);
  return m ? Number(m[1]) : undefined;
}

interface Outcome {
  done: ChangeResult[];
  /** Calls that met a transient server error, with its message. */
  retry: { op: MutationOp; message: string }[];
  split: MutationOp[];
  /** Set when the request itself could not be made (server unreachable after retries). */
  unreachable?: AdapterError;
}

/** Concrete kinds of nodes of generic models, in one query per generic. Missing ids are gone. */
async function concreteKinds(changes: Change[], opts: ApplyOptions): Promise<Map<string, string>> {
  const byGeneric = new Map<string, string[]>();
  for (const c of changes) {
    if (!c.destinationId || !opts.schema.isGeneric(c.model)) continue;
    const list = byGeneric.get(c.model) ?? [];
    list.push(c.destinationId);
    byGeneric.set(c.model, list);
  }
  const out = new Map<string, string>();
  for (const [generic, ids] of byGeneric) {
    const data = await opts.client.query<{ [k: string]: { edges: { node: { id: string; __typename: string } }[] } }>(
      `query Kinds($ids: [ID]) { ${generic}(ids: $ids) { edges { node { id __typename } } } }`,
      { ids },
      opts.branch,
    );
    for (const e of data[generic]?.edges ?? []) out.set(e.node.id, e.node.__typename);
  }
  return out;
}

function isPlainCreate(op: MutationOp): boolean {
  return op.mutation.endsWith('Create');
}

async function runBatch(ops: MutationOp[], opts: BatchOptions): Promise<Outcome> {
  const out: Outcome = { done: [], retry: [], split: [] };
  const { query, variables } = renderBatch(ops);
  // A batch with plain Creates is resent only after a new lookup (applyChanges' rounds), unless
  // the server refused it outright.
  const creates = ops.some(isPlainCreate);
  let res;
  try {
    res = await opts.client.execute<Record<string, { ok?: boolean; object?: { id?: string } } | null>>(
      query,
      variables,
      opts.branch,
      creates ? { retryable: (e) => statusOf(e) === 429 } : {},
    );
  } catch (err) {
    // Auth and permission failures stop the whole apply; anything else fails this batch's changes.
    if (err instanceof AdapterError && (err.status === 401 || err.status === 403)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (creates) out.retry.push(...ops.map((op) => ({ op, message })));
    else for (const op of ops) out.done.push(result(op.change, 'failed', { message }));
    if (err instanceof AdapterError && err.status === undefined) out.unreachable = err;
    return out;
  }
  const byAlias = new Map<number, GqlError[]>();
  const unattributed: GqlError[] = [];
  for (const e of res.errors) {
    const i = aliasIndex(e);
    if (i === undefined) unattributed.push(e);
    else byAlias.set(i, [...(byAlias.get(i) ?? []), e]);
  }
  // A document-level error (no path, nothing executed) hides which call was at fault: send each alone.
  if (res.data === null && unattributed.length > 0) {
    if (ops.length > 1) {
      out.split.push(...ops);
      return out;
    }
    const op = ops[0] as MutationOp;
    out.done.push(result(op.change, 'failed', { message: unattributed.map((e) => e.message).join('; ') }));
    return out;
  }
  ops.forEach((op, i) => {
    const errors = byAlias.get(i) ?? [];
    const payload = res.data?.[`m${i}`];
    if (errors.length === 0 && payload) {
      const id = payload.object?.id ?? (op.isDelete ? undefined : op.change.destinationId);
      out.done.push(result(op.change, 'applied', { ...(id ? { destinationId: id } : {}), ...(op.note ? { message: op.note } : {}) }));
    } else if (op.isDelete && errors.length > 0 && errors.every(isNotFound)) {
      out.done.push(result(op.change, 'applied', { message: 'already deleted' }));
    } else if (errors.length > 0 && errors.every(isTransient)) {
      out.retry.push({ op, message: errors.map((e) => e.message).join('; ') });
    } else if (isPlainCreate(op) && errors.length > 0 && errors.every(isUniquenessRefusal) && !opts.refusedOnce.has(op.change.id)) {
      // Another node holds the identity since the lookup (another writer, or this create's own
      // earlier attempt whose answer was lost): look it up again and update it instead.
      opts.refusedOnce.add(op.change.id);
      out.retry.push({ op, message: errors.map((e) => e.message).join('; ') });
    } else {
      const message = errors.map((e) => e.message).join('; ') || unattributed.map((e) => e.message).join('; ');
      out.done.push(result(op.change, 'failed', { message: message || 'no result from Infrahub' }));
    }
  });
  return out;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function applyChanges(changes: Change[], ctx: ApplyContext, opts: ApplyOptions): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  const kinds = await concreteKinds(changes, opts);
  const builder = new OpBuilder(opts.schema, ctx, opts.lineage);
  const lookupOpts = { client: opts.client, schema: opts.schema, branch: opts.branch, pageSize: opts.pageSize ?? 500 };
  /** Ops for changes, each create of a kind without hfid first looked up (one query per kind and identity). */
  const buildOps = async (list: Change[]): Promise<MutationOp[]> => {
    const found = await findExisting(list, ctx, builder, lookupOpts);
    const ops: MutationOp[] = [];
    for (const change of list) {
      const lookupFailure = found.failed.get(change.id);
      if (lookupFailure) {
        results.push(result(change, 'failed', { message: lookupFailure }));
        continue;
      }
      try {
        const existing = found.existing.get(change.id);
        const op = builder.build(change, (id) => kinds.get(id), existing?.id);
        if (op === 'gone') results.push(result(change, 'applied', { message: 'already deleted' }));
        else {
          // The report says when a create found its node: it was written as an update of that node.
          if (existing) op.note = `updated existing node ${existing.id}, found by its ${existing.by}`;
          else if (change.adopts) op.note = `updated the node held as ${change.adopts.key}, found by its ${change.adopts.by}`;
          ops.push(op);
        }
      } catch (err) {
        if (!(err instanceof OpError)) throw err;
        results.push(result(change, 'failed', { message: err.message }));
      }
    }
    return ops;
  };
  builder.namedPeers = await findNamedPeers(changes, ctx, lookupOpts);
  let pending = await buildOps(changes);
  const batchOpts: BatchOptions = { ...opts, refusedOnce: new Set() };
  const limit = pLimit(opts.concurrency);
  let unreachable: AdapterError | undefined;
  let attempted = 0;
  for (let round = 0; pending.length > 0; round++) {
    const outcomes = await Promise.all(chunk(pending, opts.batchSize).map((ops) => limit(() => runBatch(ops, batchOpts))));
    const singles = outcomes.flatMap((o) => o.split);
    if (singles.length > 0) {
      outcomes.push(...(await Promise.all(singles.map((op) => limit(() => runBatch([op], batchOpts))))));
    }
    const retry: { op: MutationOp; message: string }[] = [];
    for (const o of outcomes) {
      results.push(...o.done);
      retry.push(...o.retry);
      if (o.unreachable) unreachable ??= o.unreachable;
      else attempted += o.done.length + o.retry.length;
    }
    pending = retry.map((r) => r.op);
    if (pending.length === 0) break;
    if (round >= opts.retries) {
      for (const r of retry) results.push(result(r.op.change, 'failed', { message: `${r.message} (gave up after ${opts.retries} retries)` }));
      break;
    }
    opts.logger.debug('infrahub: retrying changes after server errors', { count: pending.length, round: round + 1 });
    await new Promise((r) => setTimeout(r, backoffDelay(round + 1, { baseMs: opts.retryBaseMs ?? 250, maxMs: 30_000 })));
    // A failed request may still have created its nodes: look the creates up again before resending.
    const resend = pending.filter(isPlainCreate);
    if (resend.length > 0) {
      pending = pending.filter((op) => !isPlainCreate(op));
      try {
        pending.push(...(await buildOps(resend.map((op) => op.change))));
      } catch (err) {
        // Other changes were already applied: report these, do not throw the whole apply away.
        if (err instanceof AdapterError && (err.status === 401 || err.status === 403)) throw err;
        const message = `not created: could not check for an existing node (${err instanceof Error ? err.message : String(err)})`;
        for (const op of resend) results.push(result(op.change, 'failed', { message }));
      }
    }
  }
  // Nothing reached the server: that is an outage, not a set of failed changes.
  if (unreachable && attempted === 0) throw unreachable;
  return results;
}
