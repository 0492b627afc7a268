// Nautobot source settings (infrahub-sync's `url`, `token`, `verify_ssl`, plus what this
// implementation adds for paging, concurrency and the REST API version).
import { z } from 'zod';
import { boolish, commonRestSettings, nonNegativeInt } from '../rest-paging/settings.js';
import { MAX_DEPTH } from './depth.js';

export const nautobotSettingsSchema = z.looseObject({
  ...commonRestSettings,
  /** `Accept: application/json; version=<v>`. Unset: the server's default, which in Nautobot
   *  2.x is its newest version (infrahub-sync sends none either). */
  api_version: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Overrides the depth derived from the mapped paths. */
  depth: nonNegativeInt.pipe(z.number().max(MAX_DEPTH)).optional(),
  /** Sent as `exclude_m2m` when set (Nautobot 2.4+). Unset: not sent, unless a mapped
   *  many-to-many field turns out to be missing (Nautobot 3 excludes them by default). */
  exclude_m2m: boolish.optional(),
});

export type NautobotSettings = z.output<typeof nautobotSettingsSchema>;
