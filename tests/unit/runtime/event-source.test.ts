import { createHash } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startEventSource } from '../../../shared/runtime/local/event-source.js';
import { MemoryQueue } from '../../../shared/runtime/local/memory-queue.js';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition never held');
}

describe('local event source mapping', () => {
  it('passes SQS-shaped records and keeps only the batchItemFailures for redelivery', async () => {
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 0.05 });
    await q.sendBatch([{ body: 'ok-1' }, { body: 'fail-once' }, { body: 'ok-2', opts: { attributes: { runId: 'r1' } } }]);
    const seen: SQSEvent['Records'] = [];
    const esm = startEventSource({
      queue: q,
      batchSize: 10,
      handler: async (event) => {
        seen.push(...event.Records);
        const failures = event.Records.filter(
          (r) => r.body === 'fail-once' && r.attributes.ApproximateReceiveCount === '1',
        ).map((r) => ({ itemIdentifier: r.messageId }));
        return { batchItemFailures: failures };
      },
    });
    await until(() => q.stats().total === 0);
    await esm.stop();
    expect(seen.map((r) => r.body)).toEqual(['ok-1', 'fail-once', 'ok-2', 'fail-once']);
    expect(seen[3]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(seen[2]?.messageAttributes.runId?.stringValue).toBe('r1');
    expect(seen[0]?.eventSource).toBe('aws:sqs');
    expect(seen[0]?.eventSourceARN).toBe(q.arn);
    // md5OfBody is computed when read; it is SQS's MD5 of the body, in JSON too.
    expect(seen[0]?.md5OfBody).toBe(createHash('md5').update('ok-1').digest('hex'));
    expect(JSON.parse(JSON.stringify(seen[2])).md5OfBody).toBe(createHash('md5').update('ok-2').digest('hex'));
  });

  it('a throw or a timed-out handler returns the whole batch; an unknown item id fails the whole batch', async () => {
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 0.05 });
    await q.sendBatch([{ body: 'a' }, { body: 'b' }]);
    let calls = 0;
    const esm = startEventSource({
      queue: q,
      batchSize: 10,
      handlerTimeoutMs: 100,
      handler: async (event) => {
        calls++;
        if (calls === 1) throw new Error('boom');
        if (calls === 2) return new Promise(() => undefined); // never finishes: a killed worker
        if (calls === 3) return { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] };
        expect(event.Records.every((r) => Number(r.attributes.ApproximateReceiveCount) === 4)).toBe(true);
        return { batchItemFailures: [] };
      },
    });
    await until(() => q.stats().total === 0);
    await esm.stop();
    expect(calls).toBe(4);
  });

  it('runs N workers concurrently', async () => {
    const q = new MemoryQueue({ name: 'q' });
    await q.sendBatch(Array.from({ length: 8 }, (_, i) => ({ body: String(i) })));
    let active = 0;
    let peak = 0;
    const esm = startEventSource({
      queue: q,
      batchSize: 1,
      workers: 4,
      handler: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
      },
    });
    await until(() => q.stats().total === 0);
    await esm.stop();
    expect(peak).toBe(4);
  });
});
