import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/types.js';
import { formatJson, formatText, sideNames } from '../../diff/index.js';
import type { Plan } from '../../diff/types.js';
import { GuardrailError, PlanChangedError } from '../../errors.js';
import { openStore, runLocal } from '../../runtime/local/index.js';
import { showRun } from '../../runtime/run/history.js';
import { reviewedPlan } from '../../runtime/run/reviewed.js';
import type { RunReport } from '../../runtime/steps/index.js';
import { reportError } from '../errors.js';
import { ExitError, type CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';
import { progressReporter } from '../progress.js';
import { stderrLogger, verbosityOf, type GlobalOptions } from '../verbosity.js';

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
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

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
 *  sync (unless --dry-run) also applies the plan. */
export async function runCommand(mode: 'diff' | 'sync', opts: RunOptions, io: CliIO): Promise<number> {
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
  if (opts.runId !== undefined && !RUN_ID.test(opts.runId)) {
    throw new ExitError(2, `--run-id: expected letters, digits, ".", "_" or "-" (at most 100), but got "${opts.runId}"`);
  }
  if (opts.continueOnError) loaded = withContinueOnFailure(loaded);
  const compat = compatWarnings(opts, loaded);
  for (const w of compat) io.err(`warning: ${w}\n`);

  const reviewed = opts.plan !== undefined ? await reviewedPlan(openStore(store), loaded.config.name, opts.plan) : undefined;
  // Progress is on unless asked off; -q turns it off unless --show-progress asks for it.
  const progress = opts.showProgress === false || (verbosity === 'quiet' && opts.showProgress !== true) ? undefined : progressReporter(io);
  let runId: string | undefined;
  const output = (plan: Plan, report: RunReport | undefined, error?: Error) => {
    const warnings = [...loaded.warnings.map((w) => `${w.path}: ${w.message}`), ...compat, ...planWarnings, ...logs];
    if (json) {
      const doc: Record<string, unknown> = { ...formatJson(plan, warnings), runId: plan.runId };
      if (apply && report) doc.report = report;
      if (error) doc.error = { name: error.name, message: error.message };
      io.out(JSON.stringify(doc, null, 2) + '\n');
      return;
    }
    // A refused sync says why in its refusal; the guardrail warning would say it twice.
    for (const w of planWarnings) if (!(error instanceof GuardrailError && w.startsWith('guardrail:'))) io.err(`warning: ${w}\n`);
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
        if (e.type === 'planned') planWarnings = e.warnings;
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
    for (const f of report.failures.slice(0, 20)) io.err(`  failed ${f.action} ${f.model} ${f.key}: ${f.message}\n`);
    if (report.failures.length > 20) {
      io.err(`  ... and ${report.failures.length - 20} more failures: infrahub-sync runs show ${report.runId}\n`);
    }
    return report.failed > 0 ? 1 : 0;
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
