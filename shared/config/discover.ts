// Finds sync configs under a folder the way upstream's `list` does (every `**/config.yml`), plus
// any other .yml/.yaml whose top level has `schema_mapping` (our `configs/<name>.yml` layout).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { closestMatch } from './suggest.js';
import { MAX_ALIAS_COUNT, parseConfigDocument } from './yaml-options.js';

export interface ConfigListing {
  name: string;
  /** `directory` joined with the file's relative path (absolute only if `directory` was). */
  file: string;
  /** Adapter names, as infrahub-sync's `list` shows them. */
  source?: string;
  destination?: string;
}

const adapterName = (side: unknown): string | undefined =>
  side && typeof side === 'object' && typeof (side as { name?: unknown }).name === 'string' ? (side as { name: string }).name : undefined;

export interface ConfigScan {
  configs: ConfigListing[];
  /** Configs under a tests/, test/ or fixtures/ folder below the searched one, left out of `configs`
   *  unless asked for: a checkout's test fixtures are not the configs a user means. */
  testConfigs: ConfigListing[];
  /** Files that look like configs but cannot be read, parsed or named; listing goes on without them. */
  problems: { file: string; message: string }[];
}

// Dot-folders hold VCS data and our local run store (copies of configs); the others are build output.
const SKIPPED_FOLDERS = new Set(['node_modules', 'cdk.out', 'coverage']);
/** Folders whose configs are test material. Searching from inside one lists them as usual. */
const TEST_FOLDERS = new Set(['tests', 'test', '__tests__', 'fixtures']);

const inTestFolder = (relativeDir: string) => relativeDir.split(path.sep).some((part) => TEST_FOLDERS.has(part));

export interface ScanOptions {
  /** List configs under test folders with the others. */
  includeTests?: boolean;
}

export async function scanConfigs(directory: string, opts: ScanOptions = {}): Promise<ConfigScan> {
  const scan: ConfigScan = { configs: [], testConfigs: [], problems: [] };
  for (const file of await yamlFiles(directory)) {
    const isConfigYml = path.basename(file) === 'config.yml';
    const testy = !opts.includeTests && inTestFolder(path.relative(directory, path.dirname(file)));
    // A test folder's broken configs are test material too.
    const problems = testy ? [] : scan.problems;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isConfigYml) problems.push({ file, message: (error as Error).message });
      continue;
    }
    // A cheap pre-check keeps unrelated YAML (CI workflows, schemas) out of the problem list.
    const mayBeConfig = isConfigYml || /^schema_mapping\s*:/m.test(text);
    if (!mayBeConfig) continue;
    const doc = parseConfigDocument(text);
    const firstError = doc.errors[0];
    if (firstError) {
      problems.push({ file, message: `invalid YAML: ${firstError.message.split('\n')[0] ?? ''}` });
      continue;
    }
    const top: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (top === null || typeof top !== 'object' || Array.isArray(top)) {
      if (isConfigYml) problems.push({ file, message: 'not a sync config (top level is not a mapping)' });
      continue;
    }
    const record = top as Record<string, unknown>;
    if (!isConfigYml && !('schema_mapping' in record)) continue;
    if (typeof record.name !== 'string' || record.name === '') {
      problems.push({ file, message: 'sync config has no `name`' });
      continue;
    }
    const listing: ConfigListing = { name: record.name, file, source: adapterName(record.source), destination: adapterName(record.destination) };
    if (testy) scan.testConfigs.push(listing);
    else scan.configs.push(listing);
  }
  const order = (a: ConfigListing, b: ConfigListing) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file);
  scan.configs.sort(order);
  scan.testConfigs.sort(order);
  return scan;
}

/** Every sync config under `directory`; unreadable ones go to `onProblem` instead of failing. */
export async function findConfigs(
  directory: string,
  opts: ScanOptions & { onProblem?: (problem: { file: string; message: string }) => void } = {},
): Promise<ConfigListing[]> {
  const scan = await scanConfigs(directory, opts);
  scan.problems.forEach((problem) => opts.onProblem?.(problem));
  return scan.configs;
}

/** The file of the config named `name`; ConfigError (with the names on offer) when none or several match. */
export async function findConfigByName(directory: string, name: string): Promise<string> {
  const { configs, testConfigs } = await scanConfigs(directory);
  const matches = configs.filter((config) => config.name === name);
  const only = matches[0];
  if (only && matches.length === 1) return only.file;
  if (matches.length > 1) {
    throw new ConfigError(
      `several sync configs are named "${name}" under ${directory}; pick one with --config-file, or a --directory holding only one:`,
      { path: 'name' },
      matches.map((m) => m.file),
    );
  }
  const inTests = testConfigs.filter((config) => config.name === name);
  if (inTests.length > 0) {
    throw new ConfigError(
      `no sync config named "${name}" under ${directory} outside test folders; ` +
        `${inTests.length === 1 ? 'one is' : `${inTests.length} are`} in test folders (pick one with --config-file, or search there with --directory):`,
      { path: 'name' },
      inTests.map((m) => m.file),
    );
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
