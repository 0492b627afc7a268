import { resolve } from 'node:path';
import { findConfigByName, loadConfigFile } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { CliIO } from './io.js';

export interface ConfigSelector {
  name?: string;
  directory?: string;
  configFile?: string;
  strict?: boolean;
}

/** `--config-file F` or `--name N [--directory D]`, as in infrahub-sync; prints config warnings. */
export async function selectConfig(sel: ConfigSelector, io: CliIO): Promise<LoadedConfig> {
  if (!sel.configFile && !sel.name) {
    throw new ConfigError('give either --name <name> (with --directory) or --config-file <file>');
  }
  if (sel.configFile && sel.name) {
    throw new ConfigError('give --name or --config-file, not both');
  }
  // As infrahub-sync, a relative --config-file is taken inside --directory when one is given.
  const file = sel.configFile
    ? resolve(io.cwd, sel.directory ?? '.', sel.configFile)
    : await findConfigByName(resolve(io.cwd, sel.directory ?? '.'), sel.name as string);
  const loaded = await loadConfigFile(file, { strict: sel.strict });
  for (const w of loaded.warnings) {
    const where = [w.file, w.line, w.column].filter((x) => x !== undefined).join(':');
    io.err(`warning: ${where}: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
  }
  return loaded;
}
