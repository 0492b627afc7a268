import { resolve } from 'node:path';
import { findConfigByName, loadConfigFile } from '../config/load.js';
import { nameProblem, prefixProblem } from '../config/names.js';
import type { LoadedConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { CliIO } from './io.js';

export interface ConfigSelector {
  name?: string;
  directory?: string;
  configFile?: string;
  strict?: boolean;
}

/** `--name` as a config name (config/names.ts): no config can have any other. */
export function checkNameOption(name: string | undefined): void {
  const problem = name === undefined ? undefined : nameProblem(name);
  if (problem) throw new ConfigError(`--name: ${problem}`, { path: 'name' });
}

/** `--config-file F` or `--name N [--directory D]`, as in infrahub-sync; prints config warnings. */
export async function selectConfig(sel: ConfigSelector, io: CliIO): Promise<LoadedConfig> {
  if (!sel.configFile && !sel.name) {
    throw new ConfigError('give either --name <name> (with --directory) or --config-file <file>');
  }
  if (sel.configFile && sel.name) {
    throw new ConfigError('give --name or --config-file, not both');
  }
  checkNameOption(sel.name);
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

/** `--prefix` as a key prefix inside the bucket (config/names.ts). */
export function checkPrefixOption(prefix: string | undefined): void {
  const problem = prefix === undefined ? undefined : prefixProblem(prefix);
  if (problem) throw new ConfigError(`--prefix: ${problem}`, { path: 'prefix' });
}
