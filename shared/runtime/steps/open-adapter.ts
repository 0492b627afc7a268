import { createAdapter } from '../../adapters/registry.js';
import type { Adapter } from '../../adapters/types.js';
import { expandSettings } from '../../config/env.js';
import type { LoadedConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Side } from './types.js';

export interface OpenOptions {
  env: NodeJS.ProcessEnv;
  branch?: string;
  logger: Logger;
  /** Skip `open()` (connection, schema fetch): for offline work such as building load requests. */
  connect?: boolean;
}

/** Creates the side's adapter with `${VAR}` settings expanded; an unset variable is a config error here. */
export async function openAdapter(side: Side, loaded: LoadedConfig, opts: OpenOptions): Promise<Adapter> {
  const config = loaded.config[side];
  const { value, missing } = expandSettings(config.settings, opts.env);
  if (missing.length > 0) {
    throw new ConfigError(
      `${loaded.file}: ${side}.settings uses unset environment variable(s) ${missing.map((m) => '${' + m + '}').join(', ')}`,
      { file: loaded.file, path: `${side}.settings` },
    );
  }
  const adapter = await createAdapter(
    { ...config, settings: value as Record<string, unknown> },
    {
      configDir: loaded.dir,
      env: opts.env,
      branch: opts.branch,
      logger: opts.logger,
      ...(side === 'destination' ? { lineageAccount: loaded.config.source.name } : {}),
    },
  );
  if (opts.connect !== false) await adapter.open?.();
  return adapter;
}
