// The run history as the store holds it: `runs list` and `runs show` read only this.
import type { Plan, Summary } from '../../diff/types.js';
import { getJson, type ObjectStore } from '../ports.js';
import type { RunReport } from '../steps/index.js';
import type { PlanMeta } from './diff.js';
import type { RunError } from './finish.js';
import { keys, runsPrefix } from './keys.js';
import type { RunRecord } from './types.js';

export type RunStatus = RunReport['status'] | 'running' | 'error';

export interface RunListEntry {
  name: string;
  runId: string;
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  createdAt: string;
  status: RunStatus;
  scoped: boolean;
  planned?: Summary;
  durationMs?: number;
  error?: string;
}

export interface RunDetails {
  run: RunRecord;
  status: RunStatus;
  plan?: Plan;
  planMeta?: PlanMeta;
  diffText?: string;
  report?: RunReport;
  error?: RunError;
}

async function runRecords(store: ObjectStore, name?: string): Promise<RunRecord[]> {
  const all = await store.list(runsPrefix(name));
  // runs/<name>/<runId>/run.json: exactly four parts, so nothing deeper can pose as a run.
  const runKeys = all.filter((k) => k.endsWith('/run.json') && k.split('/').length === 4);
  const runs = await Promise.all(runKeys.map((k) => getJson<RunRecord>(store, k)));
  return runs.filter((r): r is RunRecord => r !== undefined);
}

/** Newest first. */
export async function listRuns(store: ObjectStore, name?: string): Promise<RunListEntry[]> {
  const runs = await runRecords(store, name);
  const entries = await Promise.all(
    runs.map(async (run): Promise<RunListEntry> => {
      const [report, error] = await Promise.all([
        getJson<RunReport>(store, keys.report(run)),
        getJson<RunError>(store, keys.error(run)),
      ]);
      return {
        name: run.name,
        runId: run.runId,
        mode: run.mode,
        trigger: run.trigger,
        createdAt: run.createdAt,
        status: error ? 'error' : (report?.status ?? 'running'),
        scoped: run.scope !== undefined,
        planned: report?.planned,
        durationMs: report?.durationMs,
        error: error ? `${error.phase}: ${error.message}` : undefined,
      };
    }),
  );
  return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
}

/** A run by id (or a unique prefix of one); undefined when no run matches. */
export async function showRun(store: ObjectStore, runId: string, name?: string): Promise<RunDetails | undefined> {
  const runs = (await runRecords(store, name)).filter((r) => r.runId === runId || r.runId.startsWith(runId));
  const exact = runs.filter((r) => r.runId === runId);
  const pick = exact.length === 1 ? exact : runs;
  if (pick.length !== 1) {
    if (pick.length > 1) throw new Error(`run id ${runId} is ambiguous: ${pick.map((r) => `${r.name}/${r.runId}`).join(', ')}`);
    return undefined;
  }
  const run = pick[0] as RunRecord;
  const [plan, planMeta, diffText, report, error] = await Promise.all([
    getJson<Plan>(store, keys.plan(run)),
    getJson<PlanMeta>(store, keys.planMeta(run)),
    store.get(keys.diffText(run)),
    getJson<RunReport>(store, keys.report(run)),
    getJson<RunError>(store, keys.error(run)),
  ]);
  return { run, status: error ? 'error' : (report?.status ?? 'running'), plan, planMeta, diffText, report, error };
}
