import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../runtime/aws/s3-store.js';
import type { ObjectStore } from '../../runtime/ports.js';
import { listRuns, openStore, showRun } from '../../runtime/local/index.js';
import { pruneRuns } from '../../runtime/run/prune.js';
import { formatSummary } from '../../diff/index.js';
import { ExitError, type CliIO } from '../io.js';

interface RunsOptions {
  store?: string;
  name?: string;
  format?: 'text' | 'json';
  /** Read an AWS deployment's history (its bucket) instead of a local folder. */
  bucket?: string;
  prefix?: string;
  endpointUrl?: string;
}

const storeDir = (io: CliIO, store?: string) => resolve(io.cwd, store ?? '.runs');

/** The history to read: the deployment bucket with --bucket, else the local folder. */
async function withHistory<T>(opts: RunsOptions, io: CliIO, use: (store: ObjectStore, where: string) => Promise<T>): Promise<T> {
  if (!opts.bucket) return use(openStore(storeDir(io, opts.store)), storeDir(io, opts.store));
  const client = new S3Client(opts.endpointUrl ? { endpoint: opts.endpointUrl, forcePathStyle: true } : {});
  try {
    const store = new S3ObjectStore(client, opts.bucket, { prefix: opts.prefix, verifyConditionalWrites: false });
    return await use(store, `s3://${opts.bucket}${opts.prefix ? `/${opts.prefix}` : ''}`);
  } finally {
    client.destroy();
  }
}

export async function runsListCommand(opts: RunsOptions, io: CliIO): Promise<number> {
  const { runs, where } = await withHistory(opts, io, async (store, at) => ({ runs: await listRuns(store, opts.name), where: at }));
  if (opts.format === 'json') {
    io.out(JSON.stringify(runs, null, 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    io.err(`no runs in ${where}\n`);
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
  const { details, where } = await withHistory(opts, io, async (store, at) => ({ details: await showRun(store, runId, opts.name), where: at }));
  if (!details) throw new ExitError(1, `no run ${runId} in ${where}`);
  if (opts.format === 'json') {
    const doc = { run: details.run, status: details.status, report: details.report, error: details.error, guardrail: details.plan?.guardrail };
    io.out(JSON.stringify(doc, null, 2) + '\n');
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

interface PruneCliOptions extends RunsOptions {
  keep?: string;
  olderThan?: string;
  dryRun?: boolean;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseAge(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  if (!m) throw new ExitError(2, `--older-than: expected a number and a unit (m, h or d), such as 30d, but got "${text}"`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

function parseKeep(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new ExitError(2, `--keep: expected a whole number of runs, but got "${text}"`);
  return Number(text);
}

export async function runsPruneCommand(opts: PruneCliOptions, io: CliIO): Promise<number> {
  if (opts.keep === undefined && opts.olderThan === undefined) {
    throw new ExitError(2, 'runs prune: give --keep N, --older-than AGE, or both (nothing is removed by default)');
  }
  const dir = storeDir(io, opts.store);
  const result = await pruneRuns(openStore(dir), {
    keep: opts.keep !== undefined ? parseKeep(opts.keep) : undefined,
    olderThanMs: opts.olderThan !== undefined ? parseAge(opts.olderThan) : undefined,
    name: opts.name,
    dryRun: opts.dryRun,
  });
  if (opts.format === 'json') {
    io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), removed: result.removed, objects: result.objects, kept: result.kept }, null, 2) + '\n');
    return 0;
  }
  const verb = opts.dryRun ? 'would remove' : 'removed';
  for (const r of result.removed) io.out(`${verb} ${r.name} ${r.runId} (${r.createdAt}, ${r.status})\n`);
  io.err(
    `${verb} ${result.removed.length} run(s)${opts.dryRun ? '' : ` (${result.objects} files)`}, kept ${result.kept}, in ${dir}\n`,
  );
  return 0;
}
