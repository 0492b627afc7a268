// Setting parsers shared by the REST source adapters. Configs come from YAML with `${VAR}`
// interpolation, so numbers and booleans may arrive as strings; "false" must mean false.
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

export const boolish = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(s)) return true;
    if (['false', 'no', '0', 'off'].includes(s)) return false;
  }
  return v;
}, z.boolean());

const numeric = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);

export const positiveInt = z.preprocess(numeric, z.number().int().positive());
export const nonNegativeInt = z.preprocess(numeric, z.number().int().nonnegative());
export const positiveNumber = z.preprocess(numeric, z.number().positive());

/** Settings every REST source shares, with the defaults they share. */
export const commonRestSettings = {
  url: z.string().optional(),
  token: z.string().optional(),
  verify_ssl: boolish.default(true),
  /** Objects asked for per page; the server may cap it (MAX_PAGE_SIZE). */
  page_size: positiveInt.default(1000),
  /** Pages fetched at the same time for one model. */
  concurrency: positiveInt.default(8),
  /** Seconds to wait for headers, and between body chunks, of one response. A page of 1000
   *  objects at depth 1 can take Nautobot well over 30 s to render; pynautobot and pynetbox set
   *  no timeout at all. */
  timeout: positiveNumber.default(120),
  retries: nonNegativeInt.default(4),
  /** First backoff step in ms; it doubles per retry. */
  retry_base_ms: nonNegativeInt.default(250),
};

export function parseSettings<S extends z.ZodType>(system: string, schema: S, settings: unknown): z.output<S> {
  const r = schema.safeParse(settings ?? {});
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
    throw new ConfigError(`${system} settings are invalid: ${problems.join('; ')}`, {}, problems);
  }
  return r.data;
}

/** First non-empty environment variable among `names`, with its name (for logs; never the value). */
export function fromEnv(env: NodeJS.ProcessEnv, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** An absolute http(s) base URL without a trailing slash. */
export function parseBaseUrl(system: string, raw: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${system}: ${from} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${system}: ${from} must be an http or https URL`);
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
