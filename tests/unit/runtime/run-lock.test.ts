// One sync of a config at a time where runs are started by independent invocations (the AWS
// trigger and webhook): a second sync started while the first is unfinished is refused before
// it writes anything; the first one's report or error frees the config again.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { silentLogger } from '../../../shared/log.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { MemoryQueue } from '../../../shared/runtime/local/memory-queue.js';
import { putJson } from '../../../shared/runtime/ports.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import { acquireRunLock, RunInProgressError, RUN_LOCK_STALE_MS } from '../../../shared/runtime/run/lock.js';
import { startRun } from '../../../shared/runtime/run/start.js';
import type { RunDeps } from '../../../shared/runtime/run/types.js';

const loaded = parseConfig(
  [
    'name: locked',
    'source: { name: file, settings: { path: ./src } }',
    'destination: { name: file, settings: { path: ./dst } }',
    'schema_mapping: [{ name: BuiltinTag, mapping: tags, identifiers: [name], fields: [{ name: name, mapping: name }] }]',
  ].join('\n'),
  join(tmpdir(), 'locked.yml'),
);

async function setup(): Promise<{ deps: RunDeps; store: DirectoryObjectStore; load: MemoryQueue }> {
  const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'lock-')));
  // Nothing consumes the queues: these tests are about starting runs.
  const load = new MemoryQueue({ name: 'load' });
  const deps: RunDeps = {
    store,
    queues: { load, diff: new MemoryQueue({ name: 'diff' }), apply: new MemoryQueue({ name: 'apply' }) },
    adapters: { get: () => Promise.reject(new Error('no adapters here')) },
    logger: silentLogger,
  };
  return { deps, store, load };
}

const sync = (deps: RunDeps, exclusive = true) => startRun(deps, { loaded, mode: 'sync', trigger: { kind: 'invoke' }, exclusive });
const runJsons = async (store: DirectoryObjectStore) => (await store.list('runs/locked/')).filter((k) => k.endsWith('/run.json'));

describe('one sync of a config at a time', () => {
  it('of two syncs started at once, one starts and the other is refused, writing nothing', async () => {
    const { deps, store, load } = await setup();
    const outcomes = await Promise.allSettled([sync(deps), sync(deps), sync(deps)]);
    const started = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(2);
    const winner = (started[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(RunInProgressError);
      expect((r.reason as RunInProgressError).activeRunId).toBe(winner);
      expect((r.reason as Error).message).toMatch(new RegExp(`a sync of locked is already running \\(run ${winner}`));
    }
    expect(await runJsons(store)).toEqual([`runs/locked/${winner}/run.json`]);
    expect(load.stats().total).toBe(2);
  });

  it('frees the config when the running sync ends, with a report or with an error', async () => {
    const { deps, store } = await setup();
    const first = await sync(deps);
    await expect(sync(deps)).rejects.toBeInstanceOf(RunInProgressError);
    await putJson(store, keys.report(first), { status: 'succeeded' });
    const second = await sync(deps);
    await expect(sync(deps)).rejects.toThrow(new RegExp(second.runId));
    await putJson(store, keys.error(second), { message: 'guardrail' });
    await expect(sync(deps)).resolves.toMatchObject({ name: 'locked' });
    expect(await runJsons(store)).toHaveLength(3);
  });

  it('never refuses a diff (it writes nothing to the destination), nor a start that does not ask for it', async () => {
    const { deps } = await setup();
    await sync(deps);
    await expect(startRun(deps, { loaded, mode: 'diff', trigger: { kind: 'invoke' }, exclusive: true })).resolves.toBeDefined();
    await expect(sync(deps, false)).resolves.toBeDefined();
  });

  it('takes over from a sync that has neither ended nor moved for a day', async () => {
    const { deps } = await setup();
    const t0 = new Date('2026-07-01T00:00:00Z');
    await acquireRunLock(deps.store, 'locked', 'run-a', t0);
    const soon = new Date(t0.getTime() + RUN_LOCK_STALE_MS - 1000);
    await expect(acquireRunLock(deps.store, 'locked', 'run-b', soon)).rejects.toBeInstanceOf(RunInProgressError);
    const later = new Date(t0.getTime() + RUN_LOCK_STALE_MS + 1000);
    await expect(acquireRunLock(deps.store, 'locked', 'run-c', later)).resolves.toBeUndefined();
    await expect(acquireRunLock(deps.store, 'locked', 'run-d', later)).rejects.toThrow(/run run-c/);
  });

  it('frees the config again when the start fails after taking it', async () => {
    const { deps, store } = await setup();
    const failing: RunDeps = {
      ...deps,
      queues: { ...deps.queues, load: Object.assign(Object.create(deps.queues.load) as MemoryQueue, { sendBatch: () => Promise.reject(new Error('SQS is down')) }) },
    };
    await expect(sync(failing)).rejects.toThrow(/SQS is down/);
    const errors = (await store.list('runs/locked/')).filter((k) => k.endsWith('/error.json'));
    expect(errors).toHaveLength(1);
    await expect(sync(deps)).resolves.toBeDefined();
  });
});
