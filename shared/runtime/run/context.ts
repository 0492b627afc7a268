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

/** A scoped run's config, cut once per run record (both are cached, immutable objects): cut
 *  again for every message, each message also missed every per-config cache (the compiled
 *  mapping, the entry index). */
const scopedConfigs = new WeakMap<RunRecord, { stored: LoadedConfig; loaded: LoadedConfig }>();

export async function readRun(store: ObjectStore, ref: RunRef): Promise<RunContext> {
  const [run, stored] = await Promise.all([
    readImmutable<RunRecord>(store, keys.run(ref)),
    readImmutable<LoadedConfig>(store, keys.config(ref)),
  ]);
  if (!run.scope) return { run, loaded: stored };
  let scoped = scopedConfigs.get(run);
  if (scoped?.stored !== stored) {
    scoped = { stored, loaded: scopeConfig(stored, run.scope) };
    scopedConfigs.set(run, scoped);
  }
  return { run, loaded: scoped.loaded };
}
