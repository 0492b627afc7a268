// Trigger: record the run, then fan out one load message per (side, model).
import { literalSecrets } from '../../config/redact.js';
import type { LoadedConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import { resolveOrder } from '../../diff/index.js';
import { putJson, putJsonIfAbsent } from '../ports.js';
import { keys, newRunId } from './keys.js';
import { acquireRunLock } from './lock.js';
import { scopeConfig } from './scope.js';
import type { ExpectedPlan, RunDeps, RunMessage, RunMode, RunRecord, RunScope, TriggerKind } from './types.js';

export interface StartRunInput {
  loaded: LoadedConfig;
  mode: RunMode;
  branch?: string;
  force?: boolean;
  scope?: RunScope;
  trigger: { kind: TriggerKind; detail?: string };
  batchSize?: number;
  runId?: string;
  expectPlan?: ExpectedPlan;
  /** false: the sync does not read back what it wrote (--no-verify). */
  verify?: boolean;
  /** A sync refuses to start while another sync of the config is unfinished (run/lock.ts):
   *  where runs are started by independent invocations (AWS). */
  exclusive?: boolean;
}

export async function startRun(deps: RunDeps, input: StartRunInput): Promise<RunRecord> {
  const name = input.loaded.config.name;
  // The frozen config is written to the store (S3): a literal token would land there. The local
  // runtime moves literals into its environment first (extractLiteralSecrets); in AWS they come
  // from Secrets Manager, so a config that still holds one is refused before anything is written.
  const literal = literalSecrets(input.loaded.config);
  if (literal.length > 0) {
    throw new ConfigError(
      `${input.loaded.file}: ${literal.join(', ')} hold(s) a literal secret; use \${VAR} references ` +
        `and provide the values through the environment (Secrets Manager in AWS)`,
      { file: input.loaded.file, path: literal[0] },
    );
  }
  const runId = input.runId ?? newRunId();
  const effective = input.scope ? scopeConfig(input.loaded, input.scope) : input.loaded;
  const models = resolveOrder(effective.config).flat();
  const run: RunRecord = {
    name,
    runId,
    mode: input.mode,
    branch: input.branch,
    force: input.force,
    trigger: input.trigger,
    scope: input.scope,
    expectPlan: input.expectPlan,
    ...(input.verify === false ? { verify: false } : {}),
    createdAt: new Date().toISOString(),
    loads: (['source', 'destination'] as const).flatMap((side) => models.map((model) => ({ side, model }))),
    batchSize: input.batchSize ?? 100,
  };
  const ref = { name, runId };
  const locked = input.exclusive === true && run.mode === 'sync';
  if (locked) await acquireRunLock(deps.store, name, runId);
  try {
    // The config is frozen into the run, so every step of it sees the same one even if
    // configs/<name>.yml changes meanwhile. It holds `${VAR}` references, never their values.
    await putJson(deps.store, keys.config(run), input.loaded);
    await putJson(deps.store, keys.run(run), run);
    deps.onEvent?.({ type: 'run-started', runId, name, mode: run.mode, loads: run.loads.length });
    deps.logger.info('run started', { runId, name, mode: run.mode, loads: run.loads.length, trigger: run.trigger.kind });
    await deps.queues.load.sendBatch(
      run.loads.map(({ side, model }) => ({
        body: JSON.stringify({ type: 'load', run: ref, side, model } satisfies RunMessage),
        opts: { attributes: { runId } },
      })),
    );
  } catch (err) {
    // An error record ends the run, which frees the config's lock for the next start.
    if (locked) {
      const e = err instanceof Error ? err : new Error(String(err));
      await putJsonIfAbsent(deps.store, keys.error(ref), { runId, phase: 'start', name: e.name, message: e.message, at: new Date().toISOString() });
    }
    throw err;
  }
  return run;
}
