import { randomUUID } from 'node:crypto';
import { formatJson, formatText } from '../../diff/index.js';
import type { Logger } from '../../log.js';
import { runInProcess } from '../../runtime/steps/index.js';
import type { CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';
import { progressReporter } from '../progress.js';

export interface RunOptions extends ConfigSelector {
  format?: 'text' | 'json';
  branch?: string;
  force?: boolean;
  /** sync: print the diff before applying. */
  diff?: boolean;
  /** sync: plan only, write nothing. */
  dryRun?: boolean;
}

function stderrLogger(io: CliIO, sink: string[]): Logger {
  const line = (level: string) => (message: string) => {
    sink.push(message);
    if (level !== 'debug') io.err(`${level}: ${message}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

/** `diff` and `sync`: same pipeline; sync (unless --dry-run) also applies the plan. */
export async function runCommand(mode: 'diff' | 'sync', opts: RunOptions, io: CliIO): Promise<number> {
  const loaded = await selectConfig(opts, io);
  const json = opts.format === 'json';
  const logs: string[] = [];
  const apply = mode === 'sync' && !opts.dryRun;
  const { outcome, report } = await runInProcess(loaded, {
    mode: apply ? 'sync' : 'diff',
    runId: newRunId(),
    env: io.env,
    branch: opts.branch,
    force: opts.force,
    logger: stderrLogger(io, logs),
    onProgress: progressReporter(io),
  });
  const warnings = [...loaded.warnings.map((w) => `${w.path}: ${w.message}`), ...outcome.warnings, ...logs];
  if (!json) for (const w of outcome.warnings) io.err(`warning: ${w}\n`);

  const { source, destination } = loaded.config;
  // DiffSync names sides by adapter; when both sides use one adapter that would read "MISSING in file".
  const names =
    source.name === destination.name
      ? { source: 'source', destination: 'destination' }
      : { source: source.name, destination: destination.name };
  if (json) {
    const doc: Record<string, unknown> = formatJson(outcome.plan, warnings) as unknown as Record<string, unknown>;
    if (apply) doc.report = report;
    io.out(JSON.stringify(doc, null, 2) + '\n');
  } else if (mode === 'diff' || opts.diff || opts.dryRun) {
    io.out(formatText(outcome.plan, names));
  }
  if (apply) {
    const a = report.applied;
    io.err(
      `sync ${report.status}: created ${a.create}, updated ${a.update}, deleted ${a.delete}, failed ${report.failed}, skipped ${report.skipped} (run ${report.runId})\n`,
    );
    for (const f of report.failures.slice(0, 50)) io.err(`  failed ${f.action} ${f.model} ${f.key}: ${f.message}\n`);
    if (report.failures.length > 50) io.err(`  ... and ${report.failures.length - 50} more failures\n`);
    return report.failed > 0 ? 1 : 0;
  }
  return 0;
}
