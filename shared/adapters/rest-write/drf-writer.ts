// Applies changes to a Django REST framework API (Peering Manager; NetBox and Nautobot speak
// the same): POST to the list endpoint, PATCH and DELETE on `<endpoint><id>/`.
//
// Redelivery must not create twice. Before a batch's creates, the records are looked up by
// their identifiers (one filtered list read per model, the server's filters narrowing, a
// comparison here deciding), and a record already there is updated instead. A POST whose
// answer is lost (dropped connection, 5xx) is looked up again before it is retried. A record
// the server stores under other identifier values than written (a field it computes, such as a
// Peering Manager connection's name) would be created again on every run: it is deleted again
// and the change fails, saying which field.
import type { LimitFunction } from 'p-limit';
import type { Change, ChangeResult, Value } from '../../diff/types.js';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { readDrfList } from '../rest-paging/drf-list.js';
import type { JsonClient } from '../rest-paging/json-client.js';
import type { ApplyContext, ModelWriteSpec, RawRecord } from '../types.js';
import { sameValue, specFields, toDestinationRecord, toWriteBody } from './field-paths.js';

export interface DrfWriterOptions {
  client: JsonClient;
  limit: LimitFunction;
  logger: Logger;
  pageSize: number;
  /** The list endpoint URL of a model's `mapping` (`peering/autonomous-systems`). */
  endpoint(mapping: string): URL;
  /** Attempts of a POST whose outcome is unknown, after the first (default 2). */
  createRetries?: number;
}

/** Values per request of a one-identifier lookup (`?slug=a&slug=b...`), keeping URLs short. */
const LOOKUP_CHUNK = 50;

export async function applyDrfChanges(changes: Change[], ctx: ApplyContext, o: DrfWriterOptions): Promise<ChangeResult[]> {
  const byModel = new Map<string, Change[]>();
  for (const c of changes) byModel.set(c.model, [...(byModel.get(c.model) ?? []), c]);
  const results: ChangeResult[] = [];
  await Promise.all(
    [...byModel].map(async ([model, list]) => {
      results.push(...(await applyModel(model, list, ctx, o)));
    }),
  );
  return results;
}

async function applyModel(model: string, changes: Change[], ctx: ApplyContext, o: DrfWriterOptions): Promise<ChangeResult[]> {
  const spec = ctx.models[model];
  const base = (c: Change) => ({ changeId: c.id, action: c.action, model, key: c.key });
  if (!spec?.mapping) {
    return changes.map((c) => ({
      ...base(c), status: 'failed' as const,
      message: `${model} has no mapping: the destination needs its endpoint (schema_mapping[].mapping, such as peering/autonomous-systems)`,
    }));
  }
  const endpoint = o.endpoint(spec.mapping);
  const creates = changes.filter((c) => c.action === 'create');
  let existing = new Map<string, RawRecord>();
  try {
    existing = await lookup(endpoint, spec, creates, ctx, o);
  } catch (err) {
    // Without the lookup a create could duplicate a record: the creates fail, the rest goes on.
    const message = `could not check whether the record already exists: ${(err as Error).message}`;
    return [
      ...creates.map((c) => ({ ...base(c), status: 'failed' as const, message })),
      ...(await Promise.all(changes.filter((c) => c.action !== 'create').map((c) => applyOne(c, endpoint, spec, ctx, o, undefined)))),
    ];
  }
  return Promise.all(changes.map((c) => applyOne(c, endpoint, spec, ctx, o, existing.get(c.id))));
}

function detailUrl(endpoint: URL, id: string): URL {
  const u = new URL(endpoint.href);
  u.pathname = `${endpoint.pathname.replace(/\/+$/, '')}/${encodeURIComponent(id)}/`;
  return u;
}

async function applyOne(
  c: Change, endpoint: URL, spec: ModelWriteSpec, ctx: ApplyContext, o: DrfWriterOptions, found: RawRecord | undefined,
): Promise<ChangeResult> {
  const base = { changeId: c.id, action: c.action, model: c.model, key: c.key };
  const fail = (message: string): ChangeResult => ({ ...base, status: 'failed', message });
  try {
    if (c.action === 'delete') {
      const id = c.destinationId ?? ctx.peerId(c.model, c.key);
      if (id === undefined) return { ...base, status: 'applied' };
      try {
        await o.client.sendJson('DELETE', detailUrl(endpoint, id), undefined, o.limit);
      } catch (err) {
        // Already gone (an earlier delivery, or a cascade from a deleted parent) counts as done.
        if (!(err instanceof AdapterError && err.status === 404)) throw err;
      }
      return { ...base, status: 'applied', destinationId: id };
    }
    const values: Record<string, Value> = c.action === 'create' ? { ...c.ids, ...c.attrs } : { ...c.attrs };
    const { body, error } = toWriteBody(values, spec, ctx.peerId);
    if (error) return fail(error);
    if (c.action === 'update' || found) {
      const id = found ? String(found.id) : (c.destinationId ?? ctx.peerId(c.model, c.key));
      if (id === undefined) return fail(`${c.model} ${c.key} has no id in the destination to update`);
      if (found) o.logger.info(`${c.model} ${c.key} is already in the destination (an earlier delivery); updating it instead`, { model: c.model, key: c.key });
      const res = await o.client.sendJson('PATCH', detailUrl(endpoint, id), body, o.limit);
      return { ...base, status: 'applied', destinationId: String((res.body as RawRecord | null)?.id ?? id) };
    }
    return await create(c, endpoint, spec, body, ctx, o);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

async function create(
  c: Change, endpoint: URL, spec: ModelWriteSpec, body: Record<string, unknown>, ctx: ApplyContext, o: DrfWriterOptions,
): Promise<ChangeResult> {
  const base = { changeId: c.id, action: c.action, model: c.model, key: c.key };
  const attempts = (o.createRetries ?? 2) + 1;
  for (let attempt = 1; ; attempt++) {
    let created: RawRecord;
    try {
      const res = await o.client.sendJson('POST', endpoint, body, o.limit);
      created = res.body as RawRecord;
    } catch (err) {
      // A refusal (4xx) is final. Otherwise the POST may have been applied: look before retrying.
      const status = err instanceof AdapterError ? err.status : undefined;
      if (status !== undefined && status < 500) throw err;
      const again = (await lookup(endpoint, spec, [c], ctx, o)).get(c.id);
      if (again) {
        o.logger.info(`${c.model} ${c.key}: the create's answer was lost but the record exists; counting it as created`, { model: c.model, key: c.key });
        return { ...base, status: 'applied', destinationId: String(again.id) };
      }
      if (attempt >= attempts) throw err;
      continue;
    }
    const mismatch = identifierMismatch(created, c, spec, ctx);
    if (mismatch) {
      await o.client.sendJson('DELETE', detailUrl(endpoint, String(created.id)), undefined, o.limit).catch(() => undefined);
      return {
        ...base, status: 'failed',
        message: `the destination stored ${mismatch}, so the next run could not find it and would create it again; ` +
          'it was removed. Identify the model by fields the destination keeps as written',
      };
    }
    return { ...base, status: 'applied', destinationId: String(created.id) };
  }
}

/** Which identifier came back different from what was written, as text; undefined when none did. */
function identifierMismatch(created: RawRecord, c: Change, spec: ModelWriteSpec, ctx: ApplyContext): string | undefined {
  const record = toDestinationRecord(created, specFields(spec, spec.identifiers));
  for (const f of spec.identifiers) {
    const want = c.ids[f];
    const got = record[f];
    const peer = spec.references[f];
    const expected = peer && want !== null && want !== undefined ? ctx.peerId(peer, String(want)) : want;
    const actual = peer && typeof got === 'object' && got !== null && 'id' in got ? (got as { id: unknown }).id : got;
    if (!sameValue(expected, actual)) {
      const path = spec.fieldMappings?.[f] ?? f;
      return `${f} (${path}) as ${JSON.stringify(actual)} instead of ${JSON.stringify(want)}`;
    }
  }
  return undefined;
}

/** The records among `creates` that the destination already holds, by change id. */
async function lookup(
  endpoint: URL, spec: ModelWriteSpec, creates: Change[], ctx: ApplyContext, o: DrfWriterOptions,
): Promise<Map<string, RawRecord>> {
  const found = new Map<string, RawRecord>();
  if (creates.length === 0 || spec.identifiers.length === 0) return found;
  const fields = specFields(spec, spec.identifiers);
  // A filter per identifier the server can filter on directly: a plain field, or a
  // reference by its peer's id (`<field>_id`).
  const filterOf = (f: string, value: Value | undefined): [string, string] | undefined => {
    const path = spec.fieldMappings?.[f] ?? f;
    if (path.includes('.') || value === null || value === undefined || Array.isArray(value)) return undefined;
    const peer = spec.references[f];
    if (!peer) return [path, String(value)];
    const id = ctx.peerId(peer, String(value));
    return id === undefined ? undefined : [`${path}_id`, id];
  };
  const queries: Record<string, string[]>[] = [];
  const single = spec.identifiers.length === 1 ? spec.identifiers[0] : undefined;
  if (single !== undefined && creates.every((c) => filterOf(single, c.ids[single]) !== undefined)) {
    for (let i = 0; i < creates.length; i += LOOKUP_CHUNK) {
      const chunk = creates.slice(i, i + LOOKUP_CHUNK).map((c) => filterOf(single, c.ids[single]) as [string, string]);
      queries.push({ [chunk[0]?.[0] as string]: chunk.map(([, v]) => v) });
    }
  } else {
    for (const c of creates) {
      const q: Record<string, string[]> = {};
      for (const f of spec.identifiers) {
        const filter = filterOf(f, c.ids[f]);
        if (filter) q[filter[0]] = [filter[1]];
      }
      queries.push(q);
    }
  }
  const unique = [...new Map(queries.map((q) => [JSON.stringify(q), q])).values()];
  const candidates = (
    await Promise.all(
      unique.map((query) =>
        readDrfList({ client: o.client, url: endpoint, query, pageSize: o.pageSize, limit: o.limit, logger: o.logger }),
      ),
    )
  ).flat();
  for (const obj of candidates) {
    const record = toDestinationRecord(obj, fields);
    for (const c of creates) {
      if (found.has(c.id)) continue;
      const matches = spec.identifiers.every((f) => {
        const want = c.ids[f];
        const peer = spec.references[f];
        const got = record[f];
        if (peer) {
          const id = want === null || want === undefined ? undefined : ctx.peerId(peer, String(want));
          const gotId = typeof got === 'object' && got !== null && 'id' in got ? (got as { id: unknown }).id : got;
          return id !== undefined ? sameValue(id, gotId) : sameValue(want, got);
        }
        return sameValue(want, got);
      });
      if (matches) found.set(c.id, obj);
    }
  }
  return found;
}
