// Settings of the `ipfabricsync` adapter. infrahub-sync passes its settings to the SDK's
// IPFClient: `base_url` and `auth` (the API token; IPF_URL / IPF_TOKEN when the settings leave
// them out), `snapshot_id` ($last, $prev, $lastLocked, a snapshot id or name), `verify`,
// `timeout`, `api_version`. Added: paging, concurrency and retries.
import { z } from 'zod';
import { boolish, nonNegativeInt, positiveInt, positiveNumber } from '../rest-paging/settings.js';

export const ipfabricSettingsSchema = z.looseObject({
  base_url: z.string().optional(),
  auth: z.string().optional(),
  snapshot_id: z.string().optional(),
  verify: boolish.optional(),
  timeout: positiveNumber.default(30),
  /** `v7.2`, `7`, ...: the API version to speak (default: the server's). */
  api_version: z.union([z.string(), z.number()]).optional(),
  /** Rows per request (the SDK's pager takes 1000). */
  page_size: positiveInt.default(1000),
  concurrency: positiveInt.default(4),
  retries: nonNegativeInt.default(3),
  retry_base_ms: nonNegativeInt.default(500),
});

export type IpfabricSettings = z.output<typeof ipfabricSettingsSchema>;
