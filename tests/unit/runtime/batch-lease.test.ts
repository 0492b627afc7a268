// Two deliveries of one apply message at the same moment (SQS hands a message to two consumers,
// or a redone diff re-sends a stage): one applies the batch, the other finds it leased, fails
// its message and, redelivered, finds the result. No change reaches the destination twice.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWritable } from '../../../shared/adapters/types.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { startLocalRuntime } from '../../../shared/runtime/local/index.js';
import { BatchBusyError, leaseBatch } from '../../../shared/runtime/run/lease.js';
import { startRun } from '../../../shared/runtime/run/start.js';
import type { RunEvent } from '../../../shared/runtime/run/types.js';
import { destinationState, fileDemo } from '../../helpers/file-demo.js';

describe('batch leases', () => {
  it('one holder at a time; free again once released or past its deadline', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'lease-')));
    const ref = { name: 'demo', runId: 'r1' };
    const now = Date.now();
    const outcomes = await Promise.allSettled([
      leaseBatch(store, ref, 0, 0, 'a', now + 60_000, now),
      leaseBatch(store, ref, 0, 0, 'b', now + 60_000, now),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(BatchBusyError);
    await expect(leaseBatch(store, ref, 0, 1, 'c', now + 60_000, now)).resolves.toBeDefined();
    const held = await leaseBatch(store, ref, 0, 2, 'd', now + 60_000, now);
    await held.release();
    await expect(leaseBatch(store, ref, 0, 2, 'e', now + 60_000, now)).resolves.toBeDefined();
    await expect(leaseBatch(store, ref, 0, 0, 'f', now + 60_000, now + 61_000)).resolves.toBeDefined();
  });

  it('two deliveries of each apply message at once apply every change exactly once', async () => {
    const demo = await fileDemo();
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'runs-')));
    let finished!: (e: RunEvent) => void;
    const done = new Promise<RunEvent>((r) => (finished = r));
    const rt = startLocalRuntime({
      store,
      workers: 4,
      env: demo.env,
      handlerTimeoutMs: 10_000,
      retryDelaySeconds: 0.05,
      onEvent: (e) => e.type === 'finished' && finished(e),
      wrap: (kind, handler) => async (event: SQSEvent): Promise<SQSBatchResponse | void> => {
        if (kind !== 'apply') return handler(event);
        const [first] = await Promise.all([handler(event), handler(event)]);
        return first;
      },
    });
    try {
      const run = await startRun(rt.deps, { loaded: demo.loaded, mode: 'sync', trigger: { kind: 'cli' }, batchSize: 2 });
      const destination = await rt.adapters.get(run, 'destination', demo.loaded);
      if (!isWritable(destination)) throw new Error('not writable');
      const applied: string[] = [];
      const apply = destination.apply.bind(destination);
      destination.apply = async (changes, ctx) => {
        applied.push(...changes.map((c) => c.id));
        // Long enough for the duplicate delivery to arrive while this one is still writing.
        await new Promise((r) => setTimeout(r, 50));
        return apply(changes, ctx);
      };
      const end = await done;
      expect(end.type === 'finished' && end.status).toBe('succeeded');
      expect(applied).toHaveLength(13);
      expect(new Set(applied).size).toBe(13);
      expect(Object.keys(await destinationState(demo.destination)).sort()).toEqual(['BuiltinTag', 'InfraDevice', 'InfraInterfaceL2L3', 'LocationGeneric']);
    } finally {
      await rt.stop();
    }
  });
});
