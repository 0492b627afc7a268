// The default webhook body of NetBox and Nautobot:
//   { event: "created"|"updated"|"deleted", timestamp, model: "device", username, request_id,
//     data: { id, url: ".../api/dcim/devices/42/", ... }, snapshots: {...} }
import { z } from 'zod';
import type { SyncConfig } from '../../config/types.js';

export const webhookPayloadSchema = z.object({
  event: z.string().min(1),
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
