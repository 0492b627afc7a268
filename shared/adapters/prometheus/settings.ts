// Settings of the `prometheus` adapter: infrahub-sync's (mode, url, endpoint, timeout,
// verify_ssl, params, auth_method, username, password, token, headers, promql.resources, and
// the PROM_* variables), plus retries and the number of PromQL queries in flight.
import { z } from 'zod';
import { boolish, nonNegativeInt, positiveInt, positiveNumber } from '../rest-paging/settings.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const prometheusSettingsSchema = z.looseObject({
  mode: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['scrape', 'api'])).default('scrape'),
  url: z.string().optional(),
  /** Scrape: the exposition path (default /metrics). API: the instant query path (default /api/v1/query). */
  endpoint: z.string().optional(),
  timeout: positiveNumber.default(10),
  verify_ssl: boolish.default(true),
  /** Query parameters of the scrape (node_exporter's `collect[]`, a federation `match[]`). */
  params: z.record(z.string(), z.union([scalar, z.array(scalar)])).default({}),
  auth_method: z.enum(['none', 'basic', 'bearer']).default('none'),
  username: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  promql: z.looseObject({ resources: z.record(z.string(), z.string()).default({}) }).default({ resources: {} }),
  retries: nonNegativeInt.default(4),
  retry_base_ms: nonNegativeInt.default(250),
  /** PromQL queries in flight at once (API mode). */
  concurrency: positiveInt.default(4),
});

export type PrometheusSettings = z.output<typeof prometheusSettingsSchema>;
