// NetBox source settings (infrahub-sync's `url`, `token`, `verify_ssl`, plus paging and
// concurrency).
import { z } from 'zod';
import { commonRestSettings } from '../rest-paging/settings.js';

export const netboxSettingsSchema = z.looseObject({
  ...commonRestSettings,
});

export type NetboxSettings = z.output<typeof netboxSettingsSchema>;
