// The file-demo config (configs/file-demo) copied to a temporary folder, with its destination
// folder there too, so a run can write and a test can read the destination state.
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../shared/config/load.js';
import type { LoadedConfig } from '../../shared/config/types.js';

export interface FileDemo {
  dir: string;
  source: string;
  destination: string;
  configFile: string;
  /** Config text with absolute paths (for a bucket's configs/ where relative paths mean nothing). */
  configText: string;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
}

const DEMO = resolve(import.meta.dirname, '../../configs/file-demo');

export async function fileDemo(edit: (text: string) => string = (t) => t): Promise<FileDemo> {
  const dir = await mkdtemp(join(tmpdir(), 'file-demo-'));
  const source = join(dir, 'source');
  const destination = join(dir, 'destination');
  await cp(join(DEMO, 'source'), source, { recursive: true });
  await mkdir(destination);
  const text = edit(await readFile(join(DEMO, 'config.yml'), 'utf8'))
    .replace('path: ./source', `path: ${source}`)
    .replace('path: ${FILE_DEMO_DESTINATION:-./destination}', `path: ${destination}`);
  const configFile = join(dir, 'config.yml');
  await writeFile(configFile, text);
  return { dir, source, destination, configFile, configText: text, loaded: parseConfig(text, configFile), env: { ...process.env } };
}

/** Destination records per kind, without the adapter-generated ids, sorted for comparison. */
export async function destinationState(destination: string): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const f of (await readdir(destination)).filter((n) => n.endsWith('.json')).sort()) {
    const records = JSON.parse(await readFile(join(destination, f), 'utf8')) as Record<string, unknown>[];
    out[f.replace(/\.json$/, '')] = records
      .map(({ id: _id, ...rest }) => rest)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

export async function writeDestination(destination: string, kind: string, records: Record<string, unknown>[]): Promise<void> {
  await writeFile(join(destination, `${kind}.json`), JSON.stringify(records, null, 2));
}
