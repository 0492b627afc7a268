// The default webhook body of NetBox and Nautobot:
//   { event: "created"|"updated"|"deleted", timestamp, model: "device", username, request_id,
//     data: { id, url: ".../api/dcim/devices/42/", ... }, snapshots: {...} }
import { z } from 'zod';
import type { SyncConfig } from '../../config/types.js';

export const webhookPayloadSchema = z.object({
  event: z.string().min(1),
  /** When the sender made the delivery: NetBox writes ISO 8601 (`2025-02-02T11:10:24.231786+00:00`),
   *  Nautobot Python's str() of an aware datetime (`2025-02-02 11:10:24.231786+00:00`). */
  timestamp: z.string().optional(),
  model: z.string().min(1),
  request_id: z.string().optional(),
  data: z
    .object({
      id: z.union([z.string().min(1), z.number()]),
      url: z.string().optional(),
    })
    .loose(),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

/** A REST endpoint name (`device-types`, `ip-addresses`, `prefixes`) against a model name
 *  (`devicetype`, `ipaddress`, `prefix`). */
function endpointMatchesModel(endpoint: string, model: string): boolean {
  const e = squash(endpoint);
  const m = squash(model);
  return e === m || e === `${m}s` || e === `${m}es` || (m.endsWith('y') && e === `${m.slice(0, -1)}ies`);
}

/**
 * The schema_mapping `mapping` values (source endpoints, `app.endpoint`) this payload's object
 * comes from: by the object's API url when present, else by the model name.
 */
export function endpointsFor(payload: WebhookPayload, config: SyncConfig): string[] {
  const mappings = [...new Set(config.schema_mapping.map((e) => e.mapping))];
  const url = payload.data.url;
  if (url) {
    const match = /\/api\/([^/]+)\/([^/]+)\/[^/]+\/?$/.exec(new URL(url, 'http://x').pathname);
    if (match) {
      const endpoint = `${match[1]}.${match[2]}`;
      return mappings.filter((m) => m === endpoint);
    }
  }
  return mappings.filter((m) => {
    const last = m.split('.').pop() ?? m;
    return endpointMatchesModel(last, payload.model);
  });
}

// A time zone is required: without one the instant depends on the receiver's clock settings.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/** The delivery's timestamp in ms since the epoch, or undefined when missing or malformed. */
export function deliveryTime(payload: WebhookPayload): number | undefined {
  const text = payload.timestamp;
  if (text === undefined || !TIMESTAMP.test(text)) return undefined;
  const at = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(at) ? undefined : at;
}
