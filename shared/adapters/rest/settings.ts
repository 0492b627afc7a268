// Settings of the `genericrestapi` source: infrahub-sync's keys with their defaults, plus
// `pagination`, which the reference adapter lacks (it issues one GET per endpoint).
import { z } from 'zod';
import { commonRestSettings, positiveInt, positiveNumber } from '../rest-paging/settings.js';

export const AUTH_METHODS = ['token', 'x-auth-token', 'api-key', 'key', 'bearer', 'basic', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const envNames = z.array(z.string().min(1));

const paginationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  /** `?limit=&offset=`; with `count_key` the other pages are fetched in parallel. */
  z.object({
    type: z.literal('offset'),
    limit_param: z.string().default('limit'),
    offset_param: z.string().default('offset'),
    page_size: positiveInt.optional(),
    count_key: z.string().optional(),
  }),
  /** `?page=N[&per_page=]`; with `total_pages_key` or `count_key`, pages go in parallel. */
  z.object({
    type: z.literal('page'),
    page_param: z.string().default('page'),
    size_param: z.string().optional(),
    page_size: positiveInt.optional(),
    start: z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().int().nonnegative()).default(1),
    total_pages_key: z.string().optional(),
    count_key: z.string().optional(),
  }),
  /** The body names the next page: a URL, or with `cursor_param` a cursor for that parameter. */
  z.object({
    type: z.literal('next'),
    next_key: z.string().default('next'),
    cursor_param: z.string().optional(),
  }),
  /** RFC 8288 `Link: <...>; rel="next"` response header (GitHub style). */
  z.object({ type: z.literal('link') }),
]);

export type PaginationSettings = z.output<typeof paginationSchema>;

export const restSettingsSchema = z.looseObject({
  ...commonRestSettings,
  // The reference's default page size is irrelevant (it does not page); 100 suits most APIs.
  page_size: positiveInt.default(100),
  // The reference client's default.
  timeout: positiveNumber.default(30),
  api_endpoint: z.string().default('/api/v0'),
  auth_method: z.enum(AUTH_METHODS).default('token'),
  username: z.string().optional(),
  password: z.string().optional(),
  url_env_vars: envNames.default(['URL', 'ADDRESS']),
  token_env_vars: envNames.default(['TOKEN']),
  username_env_vars: envNames.default(['USERNAME']),
  password_env_vars: envNames.default(['PASSWORD']),
  params: z.record(z.string(), z.union([scalar, z.array(scalar)])).default({}),
  response_key_pattern: z.string().optional(),
  pagination: paginationSchema.default({ type: 'none' }),
});

export type RestSettings = z.output<typeof restSettingsSchema>;
