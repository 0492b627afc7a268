// The system-shaped store a stand-in serves. Rows hold plain field values; a reference
// field holds the referenced row's id (a many-reference a list of ids), and the model
// spec says which table it points at, so renames show up everywhere a test looks.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../dataset/types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type RowId = number | string;
export interface SourceRow { id: RowId; [field: string]: Json }

/** Systems the dataset is rendered for (tests/standins/dataset/renderers.ts); one folder each. */
export type SourceSystem = 'netbox' | 'nautobot' | 'peeringmanager' | 'device42' | 'librenms' | 'observium' | 'peeringdb';

export interface SourceDataset {
  kind: 'source-dataset';
  system: SourceSystem;
  /** Keyed `<app>.<model-with-dashes>`, e.g. `dcim.devices`, `ipam.ip-addresses`. */
  tables: Record<string, SourceRow[]>;
}

export function isSourceDataset(v: unknown): v is SourceDataset {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'source-dataset';
}

/** Writes `<dir>/<system>/<app>.<model>.json`, one JSON array per table. */
export async function writeSourceDataset(dir: string, ds: SourceDataset): Promise<void> {
  const out = join(dir, ds.system);
  await mkdir(out, { recursive: true });
  for (const [table, rows] of Object.entries(ds.tables)) {
    await writeFile(join(out, `${table}.json`), JSON.stringify(rows));
  }
}

/** Reads what writeSourceDataset wrote; `dir` is the dataset root (one folder per system). */
export async function readSourceDataset(dir: string, system: SourceSystem): Promise<SourceDataset> {
  const base = join(dir, system);
  const tables: Record<string, SourceRow[]> = {};
  for (const file of (await readdir(base)).sort()) {
    if (!file.endsWith('.json')) continue;
    const rows: unknown = JSON.parse(await readFile(join(base, file), 'utf8'));
    if (!Array.isArray(rows)) throw new Error(`${join(base, file)}: expected a JSON array of rows`);
    tables[file.slice(0, -'.json'.length)] = rows as SourceRow[];
  }
  return { kind: 'source-dataset', system, tables };
}

/** A stand-in's `dataset` option: neutral (rendered here), already rendered, or a directory. */
export async function loadSource(input: Dataset | SourceDataset | string, system: SourceSystem, render: (d: Dataset) => SourceDataset): Promise<SourceDataset> {
  if (typeof input === 'string') return readSourceDataset(input, system);
  if (isSourceDataset(input)) {
    if (input.system !== system) throw new Error(`dataset is rendered for ${input.system}, not ${system}`);
    return input;
  }
  return render(input);
}
