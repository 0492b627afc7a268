import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/types.js';
import { formatJson, formatText, sideNames } from '../../diff/index.js';
import type { Plan } from '../../diff/types.js';
import { ConfigError, GuardrailError, PlanChangedError } from '../../errors.js';
import { openStore, runLocal } from '../../runtime/local/index.js';
import { showRun } from '../../runtime/run/history.js';
import { reviewedPlan } from '../../runtime/run/reviewed.js';
import type { RunReport } from '../../runtime/steps/index.js';
import { redactor, reportError } from '../errors.js';
import { ExitError, type CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';
import { progressReporter } from '../progress.js';
import { verifyLines } from '../verify-lines.js';
import { stderrLogger, verbosityOf, type GlobalOptions } from '../verbosity.js';
import { isValidRunId } from '../../config/names.js';
import { escapeText } from '../../escape.js';
import { failureLine } from './failure-line.js';

export interface RunOptions extends ConfigSelector, GlobalOptions {
  format?: 'text' | 'json';
  branch?: string;
  force?: boolean;
  /** Run history folder (default `.runs` in the working directory). */
  store?: string;
  workers?: string;
  /** sync: print every difference before applying (default true, as infrahub-sync); false prints the counts per model. */
  diff?: boolean;
  /** sync: plan only, write nothing. */
  dryRun?: boolean;
  /** sync: the run whose plan was reviewed; the sync applies only that plan. */
  plan?: string;
  /** false with `--no-show-progress` (infrahub-sync's flag): no bar, no phase lines. */
  showProgress?: boolean;
  /** diff: this run's id (infrahub-sync's --run-id, which `apply --run-id` then names). */
  runId?: string;
  /** infrahub-sync's Python adapter folders: accepted, said to be unused. */
  adapterPath?: string[];
  /** false: one load at a time. */
  concurrentLoad?: boolean;
  /** false: infrahub-sync's incremental extraction, not available here (said so). */
  fullExtract?: boolean;
  /** CONTINUE_ON_FAILURE for this run. */
  continueOnError?: boolean;
  /** infrahub-sync's name for --force. */
  allowRowcountDrop?: boolean;
  /** Accepted; stages follow the reference tiers anyway. */
  parallel?: boolean;
  /** sync: false with `--no-verify`: no read-back after the apply. */
  verify?: boolean;
}


/**
 * CONTINUE_ON_FAILURE added for one run. An empty flag list means SKIP_UNMATCHED_DST (no deletes),
 * and a list holding only CONTINUE_ON_FAILURE would turn deletes on, so the default is spelled out.
 */
export function withContinueOnFailure(loaded: LoadedConfig): LoadedConfig {
  const flags = loaded.config.diffsync_flags;
  if (flags.includes('CONTINUE_ON_FAILURE')) return loaded;
  const next = flags.length === 0 ? (['SKIP_UNMATCHED_DST', 'CONTINUE_ON_FAILURE'] as const) : [...flags, 'CONTINUE_ON_FAILURE' as const];
  return { ...loaded, config: { ...loaded.config, diffsync_flags: [...next] } };
}

/** What infrahub-sync options that cannot mean the same here do instead, said once each. */
function compatWarnings(opts: RunOptions, loaded: LoadedConfig): string[] {
  const out: string[] = [];
  if (opts.adapterPath && opts.adapterPath.length > 0) {
    const { source, destination } = loaded.config;
    out.push(
      `--adapter-path ${opts.adapterPath.join(', ')}: Python adapters cannot run in this tool, so nothing there is loaded; ` +
        `this run uses the built-in ${source.name} and ${destination.name} adapters`,
    );
  }
  if (opts.fullExtract === false) {
    out.push('--no-full-extract: incremental extraction is not available in this tool; this run reads every record');
  }
  return out;
}

/** `diff` and `sync`: one run through the local runtime (the same steps the Lambdas run);
 *  sync (unless --dry-run) also applies the plan. With `--format json`, a run that ends before it
 *  has a plan (a config error, an unreachable system) still prints its one JSON document: the
 *  error, as the terminal shows it on stderr. */
export async function runCommand(mode: 'diff' | 'sync', opts: RunOptions, io: CliIO): Promise<number> {
  let printed = false;
  const counted: CliIO = { ...io, out: (text) => ((printed = true), io.out(text)) };
  try {
    return await runCommandOnce(mode, opts, counted);
  } catch (err) {
    if (opts.format === 'json' && !printed) io.out(JSON.stringify({ error: errorDocument(err, io) }, null, 2) + '\n');
    throw err;
  }
}

function errorDocument(err: unknown, io: CliIO): Record<string, unknown> {
  const redact = redactor(io);
  const e = err instanceof Error ? err : new Error(String(err));
  const exit = err instanceof ExitError ? err.code : err instanceof ConfigError ? 2 : 1;
  const doc: Record<string, unknown> = { name: e.name, message: redact(e.message), exit };
  if (err instanceof ConfigError && err.problems.length > 0) doc.problems = err.problems.map(redact);
  return doc;
}

async function runCommandOnce(mode: 'diff' | 'sync', opts: RunOptions, io: CliIO): Promise<number> {
  const verbosity = verbosityOf(opts);
  let loaded = await selectConfig(opts, io);
  const json = opts.format === 'json';
  const logs: string[] = [];
  let planWarnings: string[] = [];
  const apply = mode === 'sync' && !opts.dryRun;
  const store = resolve(io.cwd, opts.store ?? '.runs');
  if (opts.plan !== undefined && opts.dryRun) {
    throw new ExitError(2, '--plan applies a reviewed plan; it cannot be combined with --dry-run');
  }
  if (opts.runId !== undefined && !isValidRunId(opts.runId)) {
    throw new ExitError(2, `--run-id: expected letters, digits, ".", "_" or "-" (at most 100), but got "${opts.runId}"`);
  }
  if (opts.continueOnError) loaded = withContinueOnFailure(loaded);
  const compat = compatWarnings(opts, loaded);
  for (const w of compat) io.err(`warning: ${w}\n`);

  const reviewed = opts.plan !== undefined ? await reviewedPlan(openStore(store), loaded.config.name, opts.plan) : undefined;
  // Progress is on unless asked off; -q turns it off unless --show-progress asks for it.
  const progress = opts.showProgress === false || (verbosity === 'quiet' && opts.showProgress !== true) ? undefined : progressReporter(io);
  let runId: string | undefined;
  /** Plan warnings said when the plan was made, before anything was written (a kind with no
   *  identity in the destination, a value naming no peer): not said again with the output. */
  const early = new Set<string>();
  const output = (plan: Plan, report: RunReport | undefined, error?: Error) => {
    const warnings = [...loaded.warnings.map((w) => `${w.path}: ${w.message}`), ...compat, ...planWarnings, ...logs];
    if (json) {
      const doc: Record<string, unknown> = { ...formatJson(plan, warnings), runId: plan.runId };
      if (apply && report) doc.report = report;
      if (apply && report?.verify) {
        const v = report.verify;
        doc.verify = { converged: v.converged, notConverged: v.notConverged, ...(v.error ? { error: v.error } : {}) };
      }
      if (error) doc.error = { name: error.name, message: error.message };
      io.out(JSON.stringify(doc, null, 2) + '\n');
      return;
    }
    // A refused sync says why in its refusal; the guardrail warning would say it twice.
    for (const w of planWarnings) {
      if (early.has(w) || (error instanceof GuardrailError && w.startsWith('guardrail:'))) continue;
      io.err(`warning: ${escapeText(w)}\n`);
    }
    // sync --diff (the default) and diff print every difference; sync --no-diff the counts per model.
    const changes = mode === 'diff' || opts.diff !== false;
    io.out(formatText(plan, { ...sideNames(loaded.config), changes }));
  };

  let result;
  try {
    result = await runLocal({
      loaded,
      mode: apply ? 'sync' : 'diff',
      // The reviewed plan was computed against one branch; the default is to apply it there.
      branch: opts.branch ?? reviewed?.branch,
      expectPlan: reviewed?.expect,
      verify: opts.verify,
      force: opts.force || opts.allowRowcountDrop,
      store,
      runId: opts.runId,
      workers: opts.workers ? Number(opts.workers) : undefined,
      loadWorkers: opts.concurrentLoad === false ? 1 : undefined,
      env: io.env,
      logger: stderrLogger(io, logs, verbosity),
      onProgress: progress,
      onEvent: (e) => {
        if (e.type === 'run-started') runId = e.runId;
        if (e.type !== 'planned') return;
        planWarnings = e.warnings;
        if (json || !apply) return;
        for (const w of e.warnings.filter((x) => !x.startsWith('guardrail:'))) {
          early.add(w);
          io.err(`warning: ${escapeText(w)}\n`);
        }
      },
    });
  } catch (err) {
    // A sync refused after planning (a guardrail, a plan that changed since its review): the plan
    // is in the history, so show it as the run would have, then the refusal.
    if ((err instanceof GuardrailError || err instanceof PlanChangedError) && runId !== undefined) {
      const details = await showRun(openStore(store), runId, loaded.config.name).catch(() => undefined);
      if (details?.plan) {
        planWarnings = details.planMeta?.warnings ?? [];
        output(details.plan, undefined, err);
        return reportError(err, io);
      }
    }
    throw err;
  }
  const { plan, report } = result;
  output(plan, report);
  if (apply) {
    const a = report.applied;
    if (verbosity !== 'quiet' || report.failed > 0) {
      io.err(
        `sync ${report.status}: created ${a.create}, updated ${a.update}, deleted ${a.delete}, failed ${report.failed}, skipped ${report.skipped} (run ${report.runId})\n`,
      );
    }
    for (const f of report.failures.slice(0, 20)) io.err(`${failureLine('failed', f)}\n`);
    if (report.failures.length > 20) {
      io.err(`  ... and ${report.failures.length - 20} more failures: infrahub-sync runs show ${report.runId}\n`);
    }
    const found = report.foundExisting ?? [];
    if (found.length > 0) io.err(`  ${found.length} change(s) written onto a node already in ${loaded.config.destination.name}:\n`);
    for (const f of found.slice(0, 10)) io.err(`  ${failureLine('found existing', f)}\n`);
    if (found.length > 10) io.err(`    ... and ${found.length - 10} more: infrahub-sync runs show ${report.runId}\n`);
    if (verbosity !== 'quiet' || report.verify?.converged === false) for (const line of verifyLines(report.verify, 20)) io.err(`${line}\n`);
    return report.failed > 0 || report.verify?.converged === false ? 1 : 0;
  }
  if (!json && verbosity !== 'quiet') {
    io.err(
      mode === 'diff'
        ? `run ${plan.runId}: apply exactly this plan with \`infrahub-sync apply --run-id ${plan.runId}\` (or sync --plan ${plan.runId})\n`
        : `dry run ${plan.runId}: nothing was written\n`,
    );
  }
  return 0;
}
