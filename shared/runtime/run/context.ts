// Reading a run's record and its (scoped) config, the way every step starts.
import type { LoadedConfig } from '../../config/types.js';
import type { ObjectStore } from '../ports.js';
import { readImmutable } from './immutable.js';
import { keys } from './keys.js';
import { scopeConfig } from './scope.js';
import type { RunRecord, RunRef } from './types.js';

export interface RunContext {
  run: RunRecord;
  /** The config this run works with: scoped when the run is. */
  loaded: LoadedConfig;
}

export async function readRun(store: ObjectStore, ref: RunRef): Promise<RunContext> {
  const [run, stored] = await Promise.all([
    readImmutable<RunRecord>(store, keys.run(ref)),
    readImmutable<LoadedConfig>(store, keys.config(ref)),
  ]);
  return { run, loaded: run.scope ? scopeConfig(stored, run.scope) : stored };
}
