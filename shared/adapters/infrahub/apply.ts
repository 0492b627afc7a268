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
import { backoffDelay, isTransientError, statusOf } from '../http/retry.js';
import type { ApplyContext } from '../types.js';
import { SYSTEM, type GqlError, type InfrahubClient } from './client.js';
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

interface Retry {
  op: MutationOp;
  message: string;
  /** Why the call would count as unavailable rather than failed, if it never succeeds. */
  unavailable?: AdapterError;
}

interface Outcome {
  done: ChangeResult[];
  /** Calls to try again: after a transient server error (`unavailable` when the request itself
   *  went unanswered), or creates whose request failed (looked up again first). */
  retry: Retry[];
  split: MutationOp[];
  /** Calls whose request Infrahub never answered (unreachable, 5xx, 429 after the client's retries). */
  unavailable: { op: MutationOp; error: AdapterError }[];
}

/**
 * Infrahub was unavailable for some changes of an apply (unreachable, or 5xx / 429 after every
 * retry): nothing refused those changes, so they are not failed changes. The whole apply is
 * given up; the runtime leaves its batch on the queue, to be retried (and dead-lettered if the
 * outage outlasts the retries). Applying the batch again is safe: writes are upserts, updates
 * by id and deletes of missing nodes count as done, and plain creates are looked up first.
 */
export class DestinationUnavailableError extends AdapterError {
  constructor(
    outage: AdapterError,
    readonly notApplied: number,
  ) {
    super(SYSTEM, `unavailable (${notApplied} change(s) not applied): ${outage.message.replace(/^infrahub: /, '')}`, outage.status, { cause: outage });
  }
}

/** An error that says Infrahub was not there to answer, rather than that it refused something. */
function unavailable(err: unknown): err is AdapterError {
  return err instanceof AdapterError && err.status !== 401 && err.status !== 403 && isTransientError(err);
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
  const out: Outcome = { done: [], retry: [], split: [], unavailable: [] };
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
      { operations: ops.length, ...(creates ? { retryable: (e: unknown) => statusOf(e) === 429 } : {}) },
    );
  } catch (err) {
    // Auth and permission failures stop the whole apply; an unavailable Infrahub leaves these
    // changes unapplied (creates get another lookup and try first); anything else fails them.
    if (err instanceof AdapterError && (err.status === 401 || err.status === 403)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (creates) out.retry.push(...ops.map((op) => ({ op, message, unavailable: unavailable(err) ? err : undefined })));
    else if (unavailable(err)) out.unavailable.push(...ops.map((op) => ({ op, error: err })));
    else for (const op of ops) out.done.push(result(op.change, 'failed', { message }));
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
      const message = errors.map((e) => e.message).join('; ');
      out.retry.push({ op, message, unavailable: new AdapterError(SYSTEM, message, errors[0]?.extensions?.http_status) });
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
  const notApplied: { op: MutationOp; error: AdapterError }[] = [];
  for (let round = 0; pending.length > 0; round++) {
    const outcomes = await Promise.all(chunk(pending, opts.batchSize).map((ops) => limit(() => runBatch(ops, batchOpts))));
    const singles = outcomes.flatMap((o) => o.split);
    if (singles.length > 0) {
      outcomes.push(...(await Promise.all(singles.map((op) => limit(() => runBatch([op], batchOpts))))));
    }
    const retry: Retry[] = [];
    for (const o of outcomes) {
      results.push(...o.done);
      retry.push(...o.retry);
      notApplied.push(...o.unavailable);
    }
    pending = retry.map((r) => r.op);
    if (pending.length === 0) break;
    if (round >= opts.retries) {
      for (const r of retry) {
        if (r.unavailable) notApplied.push({ op: r.op, error: r.unavailable });
        else results.push(result(r.op.change, 'failed', { message: `${r.message} (gave up after ${opts.retries} retries)` }));
      }
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
        if (err instanceof AdapterError && (err.status === 401 || err.status === 403)) throw err;
        if (unavailable(err)) {
          notApplied.push(...resend.map((op) => ({ op, error: err })));
          continue;
        }
        const message = `not created: could not check for an existing node (${err instanceof Error ? err.message : String(err)})`;
        for (const op of resend) results.push(result(op.change, 'failed', { message }));
      }
    }
  }
  // Changes Infrahub never answered for are not failed changes: the batch is retried as a whole.
  const first = notApplied[0];
  if (first) throw new DestinationUnavailableError(first.error, notApplied.length);
  return results;
}
