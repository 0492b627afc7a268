// Settings of the `aci` adapter: infrahub-sync's (url, username, password, api_endpoint,
// verify, and the CISCO_APIC_* variables), plus paging, concurrency, retries and a timeout.
import { z } from 'zod';
import { boolish, nonNegativeInt, positiveInt, positiveNumber } from '../rest-paging/settings.js';

export const aciSettingsSchema = z.looseObject({
  url: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  api_endpoint: z.string().default('api'),
  /** TLS verification; "false", "0" and "no" (any case) are false, as upstream reads them. */
  verify: boolish.default(true),
  /** Objects per page (APIC's `page-size`); APIC refuses an unpaged class query whose result is too big. */
  page_size: positiveInt.default(1000),
  /** Pages fetched at the same time for one class. */
  concurrency: positiveInt.default(4),
  /** Seconds per request (upstream: 30). */
  timeout: positiveNumber.default(30),
  retries: nonNegativeInt.default(3),
  retry_base_ms: nonNegativeInt.default(300),
});

export type AciSettings = z.output<typeof aciSettingsSchema>;
