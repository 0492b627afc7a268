import { hasAdapter, knownAdapters } from '../../adapters/registry.js';
import type { InfrahubAdapter } from '../../adapters/infrahub/index.js';
import { ConfigError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { openAdapter } from '../../runtime/steps/index.js';
import { expandSettings } from '../../config/env.js';
import { resolveOrder } from '../../diff/index.js';
import type { CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';

/** Checks the config itself. What only matters when a run needs it (an adapter this tool lacks,
 *  an unset variable) is a warning here and an error in diff/sync. */
export async function validateCommand(opts: ConfigSelector & { checkSchema?: boolean; branch?: string }, io: CliIO): Promise<number> {
  const loaded = await selectConfig(opts, io);
  const { config } = loaded;
  let warnings = loaded.warnings.length;
  for (const side of ['source', 'destination'] as const) {
    const adapter = config[side];
    if (!hasAdapter(adapter.name)) {
      warnings++;
      io.err(
        `warning: ${loaded.file}: ${side}.name: adapter "${adapter.name}" is not available in this tool (available: ${knownAdapters().join(', ')}); diff and sync will fail\n`,
      );
    }
    const { missing } = expandSettings(adapter.settings, io.env);
    for (const name of missing) {
      warnings++;
      io.err(`warning: ${loaded.file}: ${side}.settings: environment variable ${name} is not set\n`);
    }
  }
  if (opts.checkSchema) {
    // Compare the mapping with the live Infrahub schema (the destination, else the source).
    const side = config.destination.name === 'infrahub' ? 'destination' : config.source.name === 'infrahub' ? 'source' : undefined;
    if (!side) throw new ConfigError('--check-schema needs an infrahub source or destination');
    const adapter = await openAdapter(side, loaded, { env: io.env, branch: opts.branch, logger: silentLogger });
    try {
      // The Infrahub client loads only here: a plain validate stays offline and quick to start.
      const { checkMapping } = await import('../../adapters/infrahub/index.js');
      const problems = checkMapping(config, await (adapter as InfrahubAdapter).schema());
      if (problems.length > 0) {
        throw new ConfigError(`${loaded.file}: the mapping does not match the Infrahub schema (${problems.length} problem(s))`, { file: loaded.file }, problems);
      }
      io.err(`the mapping matches the Infrahub schema of ${side} ${config[side].name}\n`);
    } finally {
      await adapter.close?.();
    }
  }
  const tiers = resolveOrder(config);
  const models = tiers.flat();
  io.out(
    `${loaded.file}: config "${config.name}" is valid: ${config.schema_mapping.length} mapping entries, ${models.length} models` +
      `${warnings ? `, ${warnings} warning(s)` : ''}\n`,
  );
  return 0;
}
