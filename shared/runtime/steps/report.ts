import type { ChangeResult, Plan } from '../../diff/types.js';
import type { FailureEntry, RunReport, VerifyReport } from './types.js';

export function buildReport(
  plan: Plan,
  results: ChangeResult[],
  meta: { mode: 'diff' | 'sync'; startedAt: Date; finishedAt?: Date; timings?: Record<string, number>; verify?: VerifyReport },
): RunReport {
  const finishedAt = meta.finishedAt ?? new Date();
  const applied = { create: 0, update: 0, delete: 0 };
  const failures: FailureEntry[] = [];
  const skippedChanges: FailureEntry[] = [];
  const foundExisting: FailureEntry[] = [];
  for (const r of results) {
    const entry = { changeId: r.changeId, action: r.action, model: r.model, key: r.key, message: r.message ?? '' };
    if (r.status === 'applied') {
      applied[r.action]++;
      // A create (or a planned update of a node found under another key) written onto a node that
      // was already there: the report says which, and how it was found.
      if (r.action !== 'delete' && r.message && /, found by its /.test(r.message)) foundExisting.push(entry);
    } else if (r.status === 'failed') failures.push(entry);
    else skippedChanges.push(entry);
  }
  const planned = plan.summary.create + plan.summary.update + plan.summary.delete;
  const done = applied.create + applied.update + applied.delete;
  let status: RunReport['status'];
  if (meta.mode === 'diff') status = 'planned';
  else if (failures.length === 0 && done === planned) status = 'succeeded';
  else if (done > 0) status = 'partial';
  else status = planned === 0 ? 'succeeded' : 'failed';
  // Written, but not what the destination now holds: not a success.
  if (status === 'succeeded' && meta.verify && !meta.verify.converged) status = 'partial';
  return {
    runId: plan.runId,
    config: plan.config,
    mode: meta.mode,
    status,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - meta.startedAt.getTime(),
    planned: plan.summary,
    applied,
    failed: failures.length,
    skipped: skippedChanges.length,
    failures,
    skippedChanges,
    ...(foundExisting.length > 0 ? { foundExisting } : {}),
    timings: meta.timings,
    ...(meta.verify ? { verify: meta.verify } : {}),
  };
}
