// Store keys of one run, as laid out in docs/architecture.md (same keys in S3 and locally).
import { randomBytes } from 'node:crypto';
import type { RunRef } from './types.js';

export const runsPrefix = (name?: string) => (name ? `runs/${name}/` : 'runs/');
export const runPrefix = (r: RunRef) => `runs/${r.name}/${r.runId}/`;

export const keys = {
  run: (r: RunRef) => `${runPrefix(r)}run.json`,
  config: (r: RunRef) => `${runPrefix(r)}config.json`,
  snapshot: (r: RunRef, side: string, model: string) => `${runPrefix(r)}snapshots/${side}/${model}.json`,
  loadedPrefix: (r: RunRef) => `${runPrefix(r)}loaded/`,
  diffClaim: (r: RunRef) => `${runPrefix(r)}claims/diff`,
  diffDone: (r: RunRef) => `${runPrefix(r)}claims/diff.done`,
  plan: (r: RunRef) => `${runPrefix(r)}plan.json`,
  planMeta: (r: RunRef) => `${runPrefix(r)}plan-meta.json`,
  diffText: (r: RunRef) => `${runPrefix(r)}diff.txt`,
  manifest: (r: RunRef) => `${runPrefix(r)}batches/manifest.json`,
  batch: (r: RunRef, stage: number, batch: number) => `${runPrefix(r)}batches/${stage}/${batch}.json`,
  result: (r: RunRef, stage: number, batch: number) => `${runPrefix(r)}results/${stage}/${batch}.json`,
  resultsPrefix: (r: RunRef, stage: number) => `${runPrefix(r)}results/${stage}/`,
  peers: (r: RunRef, stage: number) => `${runPrefix(r)}state/peers-${stage}.json`,
  /** Per model: identifiers and references (those the destination's schema implies included). */
  specs: (r: RunRef) => `${runPrefix(r)}state/specs.json`,
  /** Destination facts per model (Adapter.describeModel), so the verify need not read every snapshot. */
  facts: (r: RunRef) => `${runPrefix(r)}state/facts.json`,
  stageClaim: (r: RunRef, stage: number) => `${runPrefix(r)}claims/stage-${stage}.done`,
  stageAdvanced: (r: RunRef, stage: number) => `${runPrefix(r)}claims/stage-${stage}.advanced`,
  report: (r: RunRef) => `${runPrefix(r)}report.json`,
  lockPrefix: (name: string) => `runs/${name}/.lock/`,
  lock: (name: string, n: number) => `runs/${name}/.lock/${String(n).padStart(10, '0')}.json`,
  error: (r: RunRef) => `${runPrefix(r)}error.json`,
};

/** Sortable by time, unique enough for concurrent triggers: 20260712T174501Z-3f9a1c. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const tail = randomBytes(3).toString('hex');
  return `${stamp}-${tail}`;
}
