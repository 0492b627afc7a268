// Settings of the `peeringmanager` adapter: infrahub-sync's (the generic REST adapter's keys with
// Peering Manager's defaults: token auth, `/api`, `results`, and its own environment variables),
// plus paging, concurrency and retries.
import { z } from 'zod';
import { AUTH_METHODS } from '../rest/settings.js';
import { commonRestSettings, positiveNumber } from '../rest-paging/settings.js';

const envNames = z.array(z.string().min(1));
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const peeringManagerSettingsSchema = z.looseObject({
  ...commonRestSettings,
  // The reference client's default.
  timeout: positiveNumber.default(30),
  api_endpoint: z.string().default('/api'),
  auth_method: z.enum(AUTH_METHODS).default('token'),
  username: z.string().optional(),
  password: z.string().optional(),
  url_env_vars: envNames.default(['PEERING_MANAGER_ADDRESS', 'PEERING_MANAGER_URL']),
  token_env_vars: envNames.default(['PEERING_MANAGER_TOKEN']),
  username_env_vars: envNames.default(['USERNAME']),
  password_env_vars: envNames.default(['PASSWORD']),
  params: z.record(z.string(), z.union([scalar, z.array(scalar)])).default({}),
  response_key_pattern: z.string().default('results'),
});

export type PeeringManagerSettings = z.output<typeof peeringManagerSettingsSchema>;
