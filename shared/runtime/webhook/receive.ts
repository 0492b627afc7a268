// A webhook delivery -> at most one scoped run. Order matters: authenticate before parsing
// anything, record the delivery before starting the run (so a replay finds it), and answer as
// soon as the run is queued.
import { createHash } from 'node:crypto';
import { isValidName } from '../../config/names.js';
import type { LoadedConfig } from '../../config/types.js';
import type { Logger } from '../../log.js';
import type { ObjectStore } from '../ports.js';
import type { RunRecord, RunScope } from '../run/types.js';
import { endpointsFor, webhookPayloadSchema } from './payload.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';

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
  /** The webhook secret for a config; undefined when none is configured. */
  secret(name: string): Promise<string | undefined>;
  /** The config, or undefined when there is none by that name. */
  loadConfig(name: string): Promise<LoadedConfig | undefined>;
  startRun(loaded: LoadedConfig, scope: RunScope, detail: string): Promise<RunRecord>;
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
  if (!isValidName(req.name)) return reply(404, { message: 'unknown config' });
  const secret = await deps.secret(req.name);
  if (!secret) {
    deps.logger.error('webhook secret not configured', { name: req.name });
    return reply(401, { message: 'invalid signature' });
  }
  if (!verifySignature(req.body, secret, header(req.headers, SIGNATURE_HEADER))) {
    deps.logger.warn('webhook rejected: bad or missing signature', { name: req.name });
    return reply(401, { message: 'invalid signature' });
  }

  let payload;
  try {
    payload = webhookPayloadSchema.parse(JSON.parse(req.body.toString('utf8')));
  } catch {
    return reply(400, { message: 'not a NetBox/Nautobot webhook body' });
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
  if (!(await deps.store.putIfAbsent(seen, JSON.stringify({ at: new Date().toISOString(), event: payload.event, model: payload.model })))) {
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
