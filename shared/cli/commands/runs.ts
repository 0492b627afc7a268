import { resolve } from 'node:path';
import { listRuns, showRun } from '../../runtime/local/index.js';
import { formatSummary } from '../../diff/index.js';
import { ExitError, type CliIO } from '../io.js';

interface RunsOptions {
  store?: string;
  name?: string;
  format?: 'text' | 'json';
}

const storeDir = (io: CliIO, store?: string) => resolve(io.cwd, store ?? '.runs');

export async function runsListCommand(opts: RunsOptions, io: CliIO): Promise<number> {
  const runs = await listRuns(storeDir(io, opts.store), opts.name);
  if (opts.format === 'json') {
    io.out(JSON.stringify(runs, null, 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    io.err(`no runs in ${storeDir(io, opts.store)}\n`);
    return 0;
  }
  for (const r of runs) {
    const planned = r.planned ? formatSummary(r.planned) : '';
    const took = r.durationMs !== undefined ? `${(r.durationMs / 1000).toFixed(1)}s` : '';
    io.out(
      [r.createdAt, r.name, r.runId, r.mode, r.trigger.kind, r.status, planned, took, r.error ?? '']
        .filter((x) => x !== '')
        .join('  ') + '\n',
    );
  }
  return 0;
}

export async function runsShowCommand(runId: string, opts: RunsOptions, io: CliIO): Promise<number> {
  const details = await showRun(storeDir(io, opts.store), runId, opts.name);
  if (!details) throw new ExitError(1, `no run ${runId} in ${storeDir(io, opts.store)}`);
  if (opts.format === 'json') {
    io.out(JSON.stringify({ run: details.run, status: details.status, report: details.report, error: details.error }, null, 2) + '\n');
    return 0;
  }
  const { run, report, error } = details;
  io.out(`run ${run.runId} of ${run.name}: ${run.mode}, ${details.status}, triggered by ${run.trigger.kind}, created ${run.createdAt}\n`);
  if (details.plan) io.out(`plan: ${formatSummary(details.plan.summary)} in ${details.plan.stages.length} stage(s)\n`);
  if (report) {
    const a = report.applied;
    io.out(`applied: create=${a.create} update=${a.update} delete=${a.delete}; failed ${report.failed}; skipped ${report.skipped}; ${report.durationMs} ms\n`);
    for (const f of report.failures) io.out(`  failed ${f.action} ${f.model} ${f.key}: ${f.message}\n`);
    for (const s of report.skippedChanges.slice(0, 50)) io.out(`  skipped ${s.action} ${s.model} ${s.key}: ${s.message}\n`);
  }
  if (error) io.out(`error in ${error.phase}: ${error.message}\n`);
  if (details.diffText) io.out(`\n${details.diffText}`);
  return 0;
}
