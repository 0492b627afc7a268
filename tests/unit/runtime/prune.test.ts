import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { putJson } from '../../../shared/runtime/ports.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import { pruneRuns, RUNNING_GRACE_MS, selectForPruning } from '../../../shared/runtime/run/prune.js';
import type { RunRecord } from '../../../shared/runtime/run/types.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const DAY = 86_400_000;

/** A run `daysAgo` old, finished (report), failed (error) or still running (neither). */
async function addRun(store: DirectoryObjectStore, name: string, runId: string, daysAgo: number, status: 'done' | 'error' | 'running') {
  const run = { name, runId, mode: 'sync', trigger: { kind: 'cli' }, createdAt: new Date(NOW - daysAgo * DAY).toISOString(), loads: [], batchSize: 100 } as RunRecord;
  await putJson(store, keys.run(run), run);
  await putJson(store, keys.snapshot(run, 'source', 'InfraDevice'), { raws: [[{ id: 1 }]] });
  if (status === 'done') await putJson(store, keys.report(run), { status: 'succeeded' });
  if (status === 'error') await putJson(store, keys.error(run), { phase: 'load', message: 'x' });
}

async function fixture() {
  const root = await mkdtemp(join(tmpdir(), 'prune-'));
  const store = new DirectoryObjectStore(root);
  await addRun(store, 'a', 'a5', 0, 'running');
  await addRun(store, 'a', 'a4', 1, 'done');
  await addRun(store, 'a', 'a3', 10, 'error');
  await addRun(store, 'a', 'a2', 40, 'done');
  await addRun(store, 'a', 'a1', 50, 'running'); // crashed long ago
  await addRun(store, 'b', 'b1', 60, 'done');
  return { root, store };
}

const ids = (runs: { runId: string }[]) => runs.map((r) => r.runId).sort();

describe('runs prune', () => {
  it('keeps the newest N of each config, and removes by age only past the given age', async () => {
    const { store } = await fixture();
    const keep2 = await pruneRuns(store, { keep: 2, dryRun: true, now: NOW });
    expect(ids(keep2.removed)).toEqual(['a1', 'a2', 'a3']);
    const old = await pruneRuns(store, { olderThanMs: 30 * DAY, dryRun: true, now: NOW });
    expect(ids(old.removed)).toEqual(['a1', 'a2', 'b1']);
    // Both: only runs past the newest 1 AND older than 30 days; b1 is b's newest.
    const both = await pruneRuns(store, { keep: 1, olderThanMs: 30 * DAY, dryRun: true, now: NOW });
    expect(ids(both.removed)).toEqual(['a1', 'a2']);
    expect(both.objects).toBe(0);
    expect((await store.list('runs/')).length).toBe(16); // a dry run removed nothing
  });

  it('never removes a run that may still be going', () => {
    const young = { name: 'a', runId: 'r', createdAt: new Date(NOW - RUNNING_GRACE_MS / 2).toISOString(), status: 'running' } as never;
    expect(selectForPruning([young], { keep: 0, now: NOW })).toEqual([]);
    expect(() => selectForPruning([young], { now: NOW })).toThrow(/keep, an age, or both/);
  });

  it('removes every file and folder of the pruned runs and nothing of the others', async () => {
    const { root, store } = await fixture();
    const res = await pruneRuns(store, { keep: 1, now: NOW });
    expect(ids(res.removed)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(res.kept).toBe(2);
    expect(res.objects).toBe(11); // a4, a2: 3 files each; a3: 3; a1: 2
    expect((await readdir(join(root, 'runs', 'a'))).sort()).toEqual(['a5']);
    expect(await readdir(join(root, 'runs', 'b'))).toEqual(['b1']);
    expect((await store.list('runs/a/')).every((k) => k.startsWith('runs/a/a5/'))).toBe(true);
    // A later write into a pruned folder works (the folder is made again).
    await store.put('runs/a/a2/run.json', '{}');
    expect(await store.get('runs/a/a2/run.json')).toBe('{}');
  });
});
