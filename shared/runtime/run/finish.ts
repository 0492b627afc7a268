// The end of a run: one report.json (or error.json when no plan could be made).
import type { ChangeResult, Plan } from '../../diff/types.js';
import { GuardrailError } from '../../errors.js';
import { getJson, putJsonIfAbsent, requireJson } from '../ports.js';
import { buildReport, type RunReport, type VerifyReport } from '../steps/index.js';
import { keys } from './keys.js';
import type { ResultFile, RunDeps, RunRecord, StageManifest } from './types.js';

export interface RunError {
  runId: string;
  phase: string;
  name: string;
  message: string;
  at: string;
  violations?: GuardrailError['violations'];
}

export async function failRun(deps: RunDeps, run: RunRecord, phase: string, err: unknown): Promise<void> {
  const e = err instanceof Error ? err : new Error(String(err));
  const record: RunError = {
    runId: run.runId,
    phase,
    name: e.name,
    message: e.message,
    at: new Date().toISOString(),
    violations: err instanceof GuardrailError ? err.violations : undefined,
  };
  if (await putJsonIfAbsent(deps.store, keys.error(run), record)) {
    deps.onRunError?.(run.runId, err);
    deps.logger.error('run failed', { runId: run.runId, phase, error: e.message });
    deps.onEvent?.({ type: 'finished', runId: run.runId, status: 'error', error: `${phase}: ${e.message}` });
  }
}

export async function readResults(deps: RunDeps, run: RunRecord, manifest: StageManifest[]): Promise<ChangeResult[]> {
  const out: ChangeResult[] = [];
  for (const stage of manifest) {
    for (let b = 0; b < stage.batches; b++) {
      const file = await getJson<ResultFile>(deps.store, keys.result(run, stage.index, b));
      if (file) out.push(...file.results);
    }
  }
  return out;
}

/** Writes the report once (a repeated finish keeps the first); `notAttempted` marks stages never run. */
export async function finishRun(
  deps: RunDeps,
  run: RunRecord,
  plan: Plan,
  results: ChangeResult[],
  timings: Record<string, number>,
  verify?: VerifyReport,
): Promise<RunReport> {
  const report = buildReport(plan, results, { mode: run.mode, startedAt: new Date(run.createdAt), timings, verify });
  if (await putJsonIfAbsent(deps.store, keys.report(run), report)) {
    deps.logger.info('run finished', {
      runId: run.runId,
      status: report.status,
      applied: report.applied,
      failed: report.failed,
      skipped: report.skipped,
      durationMs: report.durationMs,
    });
    deps.onEvent?.({ type: 'finished', runId: run.runId, status: report.status, report });
    return report;
  }
  return requireJson<RunReport>(deps.store, keys.report(run));
}
