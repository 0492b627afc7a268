// A webhook delivery -> at most one scoped run, following Standard Webhooks practice where the
// senders allow it (NetBox and Nautobot sign the body alone, with X-Hook-Signature):
// authenticate before parsing anything, with a key bound to the config (secret.ts); refuse a
// delivery whose timestamp (inside the signed body) is outside the tolerance window; record the
// delivery before starting the run, so a replay inside the window finds it (outside the window
// the timestamp refuses it, so markers need to outlive the window, not forever); and answer as
// soon as the run is queued. Every answer is a status code: nothing here throws to the caller.
import { createHash } from 'node:crypto';
import { isValidName } from '../../config/names.js';
import type { LoadedConfig } from '../../config/types.js';
import type { Logger } from '../../log.js';
import type { ObjectStore } from '../ports.js';
import type { RunRecord, RunScope } from '../run/types.js';
import { deliveryTime, endpointsFor, webhookPayloadSchema } from './payload.js';
import { WebhookConfigError } from './secret.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';

/** Standard Webhooks' recommended tolerance: five minutes either way. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** Replay markers expire after a day (the bucket's lifecycle rule); a delivery is accepted for
 *  up to twice the tolerance after it was first seen, so the tolerance stays under half a day. */
export const MAX_TOLERANCE_SECONDS = 6 * 3600;

export interface WebhookRequest {
  /** Config name, from the URL (`/webhooks/<name>`). */
  name: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface WebhookResponse {
  statusCode: number;
  body: string;
}

export interface WebhookDeps {
  store: ObjectStore;
  logger: Logger;
  /** The key deliveries to this config are signed with (see secret.ts); undefined when none is
   *  configured. May throw (a malformed or shared secret, Secrets Manager unreachable). */
  key(name: string): Promise<string | undefined>;
  /** The config, or undefined when there is none by that name. */
  loadConfig(name: string): Promise<LoadedConfig | undefined>;
  startRun(loaded: LoadedConfig, scope: RunScope, detail: string): Promise<RunRecord>;
  /** Accepted distance between the delivery's timestamp and now; default 300 s. */
  toleranceSeconds?: number;
  now?: () => number;
}

const reply = (statusCode: number, body: Record<string, unknown>): WebhookResponse => ({
  statusCode,
  body: JSON.stringify(body),
});

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

export const deliveryKey = (name: string, body: Buffer) =>
  `webhooks/${name}/${createHash('sha256').update(body).digest('hex')}`;

export async function receiveWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookResponse> {
  try {
    return await receive(deps, req);
  } catch (err) {
    // The sender gets a status and no detail; the log gets the reason (never a secret: the
    // errors raised with secrets at hand do not carry them).
    const misconfigured = err instanceof WebhookConfigError;
    deps.logger.error(misconfigured ? 'webhook misconfigured' : 'webhook failed', { name: req.name, error: (err as Error)?.message ?? String(err) });
    return reply(500, { message: misconfigured ? 'webhook misconfigured' : 'internal error' });
  }
}

async function receive(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookResponse> {
  if (!isValidName(req.name)) return reply(404, { message: 'unknown config' });
  const tolerance = deps.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isInteger(tolerance) || tolerance < 1 || tolerance > MAX_TOLERANCE_SECONDS) {
    throw new WebhookConfigError(`the webhook tolerance must be a whole number of seconds from 1 to ${MAX_TOLERANCE_SECONDS}, got ${tolerance}`);
  }
  const key = await deps.key(req.name);
  if (!key) {
    deps.logger.error('webhook secret not configured', { name: req.name });
    return reply(401, { message: 'invalid signature' });
  }
  if (!verifySignature(req.body, key, header(req.headers, SIGNATURE_HEADER))) {
    deps.logger.warn('webhook rejected: bad or missing signature', { name: req.name });
    return reply(401, { message: 'invalid signature' });
  }

  let payload;
  try {
    payload = webhookPayloadSchema.parse(JSON.parse(req.body.toString('utf8')));
  } catch {
    return reply(400, { message: 'not a NetBox/Nautobot webhook body' });
  }
  // The timestamp is inside the signed body, so it cannot be changed without the key.
  const at = deliveryTime(payload);
  const now = (deps.now ?? Date.now)();
  if (at === undefined || Math.abs(now - at) > tolerance * 1000) {
    deps.logger.warn('webhook rejected: timestamp missing or outside the tolerance', { name: req.name, timestamp: payload.timestamp, toleranceSeconds: tolerance });
    return reply(401, { message: `delivery timestamp missing or more than ${tolerance} s from now` });
  }
  const loaded = await deps.loadConfig(req.name);
  if (!loaded) return reply(404, { message: 'unknown config' });
  const mappings = endpointsFor(payload, loaded.config);
  const models = [...new Set(loaded.config.schema_mapping.filter((e) => mappings.includes(e.mapping)).map((e) => e.name))];
  if (models.length === 0) {
    return reply(202, { message: `no schema_mapping entry is fed by ${payload.model}; nothing to do` });
  }

  // The body carries the sender's request id and timestamp, so a retried delivery hashes the same.
  const seen = deliveryKey(req.name, req.body);
  if (!(await deps.store.putIfAbsent(seen, JSON.stringify({ at: new Date(now).toISOString(), event: payload.event, model: payload.model })))) {
    return reply(202, { message: 'delivery already received', duplicate: true });
  }
  const isDelete = payload.event === 'deleted' || payload.event === 'delete';
  const id = String(payload.data.id);
  const scope: RunScope = {
    models,
    mappings,
    // A deleted object cannot be loaded by id: the model is compared in full, deletes allowed.
    ids: isDelete ? undefined : [id],
    allowDeletes: isDelete,
    reason: `${loaded.config.source.name} webhook: ${payload.model} ${id} ${payload.event}`,
  };
  try {
    const run = await deps.startRun(loaded, scope, scope.reason);
    deps.logger.info('webhook run started', { name: req.name, runId: run.runId, models, event: payload.event });
    return reply(202, { runId: run.runId });
  } catch (err) {
    // Forget the delivery so the sender's retry can start the run.
    await deps.store.delete(seen);
    throw err;
  }
}
