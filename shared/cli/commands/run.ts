import { resolve } from 'node:path';
import { formatJson, formatText } from '../../diff/index.js';
import type { Logger } from '../../log.js';
import { openStore, runLocal } from '../../runtime/local/index.js';
import { reviewedPlan } from '../../runtime/run/reviewed.js';
import { ExitError, type CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';
import { progressReporter } from '../progress.js';
import { verifyLines } from '../verify-lines.js';

export interface RunOptions extends ConfigSelector {
  format?: 'text' | 'json';
  branch?: string;
  force?: boolean;
  /** Run history folder (default `.runs` in the working directory). */
  store?: string;
  workers?: string;
  /** sync: print the diff before applying. */
  diff?: boolean;
  /** sync: plan only, write nothing. */
  dryRun?: boolean;
  /** sync: the run whose plan was reviewed; the sync applies only that plan. */
  plan?: string;
  /** Print info-level log lines (each load, each stage). */
  verbose?: boolean;
  /** false with `--no-show-progress` (infrahub-sync's flag): no bar, no phase lines. */
  showProgress?: boolean;
  /** sync: false with `--no-verify`: no read-back after the apply. */
  verify?: boolean;
}

function stderrLogger(io: CliIO, sink: string[], verbose: boolean): Logger {
  // A run that fails rejects with its error, which the CLI prints; the runtime's own "run failed"
  // log line would only say it twice.
  const shown = new Set(verbose ? ['info', 'warn', 'error'] : ['warn']);
  const line = (level: string) => (message: string) => {
    if (level === 'warn') sink.push(message);
    if (shown.has(level)) io.err(`${level}: ${message}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** `diff` and `sync`: one run through the local runtime (the same steps the Lambdas run);
 *  sync (unless --dry-run) also applies the plan. */
export async function runCommand(mode: 'diff' | 'sync', opts: RunOptions, io: CliIO): Promise<number> {
  const loaded = await selectConfig(opts, io);
  const json = opts.format === 'json';
  const logs: string[] = [];
  let planWarnings: string[] = [];
  const apply = mode === 'sync' && !opts.dryRun;
  const store = resolve(io.cwd, opts.store ?? '.runs');
  if (opts.plan !== undefined && opts.dryRun) {
    throw new ExitError(2, '--plan applies a reviewed plan; it cannot be combined with --dry-run');
  }
  const reviewed = opts.plan !== undefined ? await reviewedPlan(openStore(store), loaded.config.name, opts.plan) : undefined;
  const { plan, report } = await runLocal({
    loaded,
    mode: apply ? 'sync' : 'diff',
    // The reviewed plan was computed against one branch; the default is to apply it there.
    branch: opts.branch ?? reviewed?.branch,
    expectPlan: reviewed?.expect,
    verify: opts.verify,
    force: opts.force,
    store,
    workers: opts.workers ? Number(opts.workers) : undefined,
    env: io.env,
    logger: stderrLogger(io, logs, Boolean(opts.verbose)),
    onProgress: opts.showProgress === false ? undefined : progressReporter(io),
    onEvent: (e) => {
      if (e.type !== 'planned') return;
      planWarnings = e.warnings;
      // Said when the plan is made, before anything is written (a kind with no identity, say).
      if (!json) for (const w of planWarnings) io.err(`warning: ${w}\n`);
    },
  });
  const warnings = [...loaded.warnings.map((w) => `${w.path}: ${w.message}`), ...planWarnings, ...logs];

  const { source, destination } = loaded.config;
  // DiffSync names sides by adapter; when both sides use one adapter that would read "MISSING in file".
  const names =
    source.name === destination.name
      ? { source: 'source', destination: 'destination' }
      : { source: source.name, destination: destination.name };
  if (json) {
    const doc: Record<string, unknown> = { ...formatJson(plan, warnings), runId: plan.runId };
    if (apply) doc.report = report;
    if (apply && report.verify) doc.verify = { converged: report.verify.converged, notConverged: report.verify.notConverged, ...(report.verify.error ? { error: report.verify.error } : {}) };
    io.out(JSON.stringify(doc, null, 2) + '\n');
  } else if (mode === 'diff' || opts.diff || opts.dryRun) {
    io.out(formatText(plan, names));
  }
  if (apply) {
    const a = report.applied;
    io.err(
      `sync ${report.status}: created ${a.create}, updated ${a.update}, deleted ${a.delete}, failed ${report.failed}, skipped ${report.skipped} (run ${report.runId})\n`,
    );
    for (const f of report.failures.slice(0, 20)) io.err(`  failed ${f.action} ${f.model} ${f.key}: ${f.message}\n`);
    if (report.failures.length > 20) {
      io.err(`  ... and ${report.failures.length - 20} more failures: infrahub-sync runs show ${report.runId}\n`);
    }
    const found = report.foundExisting ?? [];
    if (found.length > 0) io.err(`  ${found.length} change(s) written onto a node already in ${destination.name}:\n`);
    for (const f of found.slice(0, 10)) io.err(`    ${f.action} ${f.model} ${f.key}: ${f.message}\n`);
    if (found.length > 10) io.err(`    ... and ${found.length - 10} more: infrahub-sync runs show ${report.runId}\n`);
    for (const line of verifyLines(report.verify, 20)) io.err(`${line}\n`);
    return report.failed > 0 || report.verify?.converged === false ? 1 : 0;
  }
  return 0;
}
