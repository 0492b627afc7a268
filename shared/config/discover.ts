// Finds sync configs under a folder the way upstream's `list` does (every `**/config.yml`), plus
// any other .yml/.yaml whose top level has `schema_mapping` (our `configs/<name>.yml` layout).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { closestMatch } from './suggest.js';
import { MAX_ALIAS_COUNT, YAML_OPTIONS } from './yaml-options.js';

export interface ConfigListing {
  name: string;
  /** `directory` joined with the file's relative path (absolute only if `directory` was). */
  file: string;
}

export interface ConfigScan {
  configs: ConfigListing[];
  /** Files that look like configs but cannot be read, parsed or named; listing goes on without them. */
  problems: { file: string; message: string }[];
}

// Dot-folders hold VCS data and our local run store (copies of configs); the others are build output.
const SKIPPED_FOLDERS = new Set(['node_modules', 'cdk.out', 'coverage']);

export async function scanConfigs(directory: string): Promise<ConfigScan> {
  const scan: ConfigScan = { configs: [], problems: [] };
  for (const file of await yamlFiles(directory)) {
    const isConfigYml = path.basename(file) === 'config.yml';
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isConfigYml) scan.problems.push({ file, message: (error as Error).message });
      continue;
    }
    // A cheap pre-check keeps unrelated YAML (CI workflows, schemas) out of the problem list.
    const mayBeConfig = isConfigYml || /^schema_mapping\s*:/m.test(text);
    if (!mayBeConfig) continue;
    const doc = parseDocument(text, YAML_OPTIONS);
    const firstError = doc.errors[0];
    if (firstError) {
      scan.problems.push({ file, message: `invalid YAML: ${firstError.message.split('\n')[0] ?? ''}` });
      continue;
    }
    const top: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (top === null || typeof top !== 'object' || Array.isArray(top)) {
      if (isConfigYml) scan.problems.push({ file, message: 'not a sync config (top level is not a mapping)' });
      continue;
    }
    const record = top as Record<string, unknown>;
    if (!isConfigYml && !('schema_mapping' in record)) continue;
    if (typeof record.name !== 'string' || record.name === '') {
      scan.problems.push({ file, message: 'sync config has no `name`' });
      continue;
    }
    scan.configs.push({ name: record.name, file });
  }
  scan.configs.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  return scan;
}

/** Every sync config under `directory`; unreadable ones go to `onProblem` instead of failing. */
export async function findConfigs(
  directory: string,
  opts: { onProblem?: (problem: { file: string; message: string }) => void } = {},
): Promise<ConfigListing[]> {
  const scan = await scanConfigs(directory);
  scan.problems.forEach((problem) => opts.onProblem?.(problem));
  return scan.configs;
}

/** The file of the config named `name`; ConfigError (with the names on offer) when none or several match. */
export async function findConfigByName(directory: string, name: string): Promise<string> {
  const { configs } = await scanConfigs(directory);
  const matches = configs.filter((config) => config.name === name);
  const only = matches[0];
  if (only && matches.length === 1) return only.file;
  if (matches.length > 1) {
    const message = `several sync configs are named "${name}": ${matches.map((m) => m.file).join(', ')}`;
    throw new ConfigError(message, { path: 'name' }, [message]);
  }
  const names = [...new Set(configs.map((config) => config.name))];
  const close = closestMatch(name, names);
  const message =
    `no sync config named "${name}" under ${directory}` +
    (close ? ` (did you mean "${close}"?)` : '') +
    (names.length > 0 ? `; available: ${names.join(', ')}` : '; none found');
  throw new ConfigError(message, { path: 'name' }, [message]);
}

async function yamlFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
        await walk(full);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        found.push(full);
      }
    }
  };
  await walk(directory);
  return found.sort();
}
