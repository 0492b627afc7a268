// At-least-once delivery, the hard way: every message of every queue is delivered twice (the
// first acknowledgement is "lost" after the work was done), two apply workers run at once, and
// one apply worker dies in the middle of a batch after writing part of it.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWritable, type ModelWriteSpec } from '../../../shared/adapters/types.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { runLocal, startLocalRuntime } from '../../../shared/runtime/local/index.js';
import { getJson, requireJson } from '../../../shared/runtime/ports.js';
import { readRun } from '../../../shared/runtime/run/context.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import { parseRunMessage } from '../../../shared/runtime/run/messages.js';
import { startRun } from '../../../shared/runtime/run/start.js';
import type { BatchFile, PeerState, RunEvent } from '../../../shared/runtime/run/types.js';
import { applyBatch, type RunReport } from '../../../shared/runtime/steps/index.js';
import { destinationState, fileDemo, writeDestination, type FileDemo } from '../../helpers/file-demo.js';

async function seedDestination(demo: FileDemo): Promise<void> {
  await writeDestination(demo.destination, 'InfraDevice', [
    { id: 'd1', name: 'old-dev1', serial: '', location: null, tags: [], managed: false },
    { id: 'd2', name: 'par-edge1', serial: 'old', location: 'paris', tags: [], managed: false },
  ]);
  await writeDestination(demo.destination, 'InfraInterfaceL2L3', [
    { id: 'i1', name: 'eth0', device: 'old-dev1', description: null, enabled: true, mtu: 1500 },
    { id: 'i2', name: 'eth1', device: 'old-dev1', description: null, enabled: true, mtu: 1500 },
  ]);
}

describe('a run under redelivery, concurrency and a crashed worker', () => {
  it('ends with exactly the planned destination state, one plan and one report, stages in order', async () => {
    // The state a clean run produces, to compare with.
    const clean = await fileDemo();
    await seedDestination(clean);
    await runLocal({ loaded: clean.loaded, mode: 'sync', store: await mkdtemp(join(tmpdir(), 'runs-')), env: clean.env, force: true });
    const expected = await destinationState(clean.destination);

    const demo = await fileDemo();
    await seedDestination(demo);
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'runs-')));
    const events: RunEvent[] = [];
    let finished!: (e: RunEvent) => void;
    const done = new Promise<RunEvent>((r) => (finished = r));
    let redelivered = 0;
    let killed = 0;
    let applyMessages = 0;

    const rt = startLocalRuntime({
      store,
      workers: 2,
      env: demo.env,
      handlerTimeoutMs: 400,
      retryDelaySeconds: 0.05,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'finished') finished(e);
      },
      wrap: (kind, handler) => async (event: SQSEvent): Promise<SQSBatchResponse | void> => {
        const record = event.Records[0]!;
        const first = record.attributes.ApproximateReceiveCount === '1';
        if (!first) redelivered++;
        if (kind === 'apply' && first && ++applyMessages === 3) {
          // Die after writing the first change of the batch: no result file, no acknowledgement.
          killed++;
          const msg = parseRunMessage(record.body);
          if (msg.type !== 'apply') throw new Error('unexpected message');
          const { run, loaded } = await readRun(store, msg.run);
          const batch = await requireJson<BatchFile>(store, msg.key);
          expect(batch.changes.length).toBeGreaterThan(1);
          const peers = await requireJson<PeerState>(store, keys.peers(msg.run, msg.stage));
          const adapter = await rt.adapters.get(run, 'destination', loaded);
          if (!isWritable(adapter)) throw new Error('not writable');
          const specs = await requireJson<Record<string, ModelWriteSpec>>(store, keys.specs(msg.run));
          await applyBatch(adapter, specs, batch.changes.slice(0, 1), (m, k) => peers.ids[m]?.[k]);
          return new Promise(() => undefined);
        }
        const response = await handler(event);
        // The work is done but the acknowledgement is lost: the message comes back.
        if (first) return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
        return response;
      },
    });
    try {
      const run = await startRun(rt.deps, { loaded: demo.loaded, mode: 'sync', force: true, trigger: { kind: 'cli' }, batchSize: 3 });
      const end = await done;
      // Let the duplicate deliveries still in the queues drain: they must change nothing.
      for (let i = 0; i < 200 && rt.pending() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(rt.pending()).toBe(0);
      expect(rt.queues.dead.stats().total).toBe(0);

      expect(killed).toBe(1);
      expect(redelivered).toBeGreaterThan(10);
      expect(events.filter((e) => e.type === 'finished')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'planned')).toHaveLength(1);
      expect(end.type === 'finished' && end.status).toBe('succeeded');
      const report = await getJson<RunReport>(store, keys.report(run));
      expect(report?.applied).toEqual({ create: 12, update: 1, delete: 3 });
      expect(report?.failed).toBe(0);

      let stage = -1;
      for (const e of events) {
        if (e.type === 'stage-started') expect(e.stage).toBe(++stage);
        if (e.type === 'batch-applied') expect(e.stage).toBe(stage);
      }
      const applied = events.filter((e) => e.type === 'batch-applied').length;
      const manifest = await requireJson<{ batches: number }[]>(store, keys.manifest(run));
      expect(applied).toBe(manifest.reduce((n, s) => n + s.batches, 0));

      expect(await destinationState(demo.destination)).toEqual(expected);
    } finally {
      await rt.stop();
    }
  });
});
