// Settings of the `slurpitsync` adapter: infrahub-sync hands them to the slurpit SDK's
// `api(url, api_key, verify)`. Added: SLURPIT_URL / SLURPIT_API_KEY when the settings leave them
// out, paging, concurrency, retries and a timeout.
import { z } from 'zod';
import { boolish, nonNegativeInt, positiveInt, positiveNumber } from '../rest-paging/settings.js';

export const slurpitSettingsSchema = z.looseObject({
  url: z.string().optional(),
  api_key: z.string().optional(),
  verify: boolish.default(true),
  /** Rows per request (the SDK pages by 1000). */
  page_size: positiveInt.default(1000),
  concurrency: positiveInt.default(4),
  /** Seconds per request (the SDK's httpx client: 30). */
  timeout: positiveNumber.default(30),
  retries: nonNegativeInt.default(3),
  retry_base_ms: nonNegativeInt.default(300),
});

export type SlurpitSettings = z.output<typeof slurpitSettingsSchema>;
