import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../../shared/runtime/local/memory-queue.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

describe('MemoryQueue', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 30, clock: c.now });
    await q.send('a');
    const [first] = await q.receive(10);
    expect(first?.receiveCount).toBe(1);
    expect(await q.receive(10)).toEqual([]);
    c.advance(29);
    expect(await q.receive(10)).toEqual([]);
    c.advance(2);
    const [again] = await q.receive(10);
    expect(again?.body).toBe('a');
    expect(again?.receiveCount).toBe(2);
    expect(again?.receiptHandle).not.toBe(first?.receiptHandle);
  });

  it('deletes only with the newest receipt handle', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 1, clock: c.now });
    await q.send('a');
    const [first] = await q.receive(1);
    c.advance(2);
    const [second] = await q.receive(1);
    await q.delete(first!.receiptHandle);
    expect(q.stats().total).toBe(1);
    await q.delete(second!.receiptHandle);
    expect(q.stats().total).toBe(0);
  });

  it('a delete from the middle keeps the rest in send order; a handle naming no current receive deletes nothing', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 10, clock: c.now });
    await q.sendBatch(['a', 'b', 'c', 'd'].map((body) => ({ body })));
    const got = await q.receive(4);
    await q.delete(got[1]?.receiptHandle as string);
    await q.delete('no-such-handle');
    await q.delete(`${got[2]?.messageId}:1:not-the-nonce`);
    await q.delete('');
    expect(q.stats().total).toBe(3);
    c.advance(11);
    expect((await q.receive(10)).map((m) => m.body)).toEqual(['a', 'c', 'd']);
  });

  it('returns at most max messages per receive', async () => {
    const q = new MemoryQueue({ name: 'q' });
    await q.sendBatch(Array.from({ length: 25 }, (_, i) => ({ body: String(i) })));
    expect((await q.receive(10)).map((m) => m.body)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(q.stats()).toEqual({ visible: 15, inFlight: 10, delayed: 0, total: 25 });
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const c = clock();
    const dlq = new MemoryQueue({ name: 'dlq', clock: c.now });
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 1, maxReceiveCount: 3, deadLetterQueue: dlq, clock: c.now });
    await q.send('poison', { attributes: { kind: 'apply' } });
    for (let i = 1; i <= 3; i++) {
      const [m] = await q.receive(1);
      expect(m?.receiveCount).toBe(i);
      c.advance(2);
    }
    expect(await q.receive(1)).toEqual([]);
    const [dead] = await dlq.receive(1);
    expect(dead?.body).toBe('poison');
    expect(dead?.attributes).toEqual({ kind: 'apply' });
  });

  it('changeVisibility(0) makes a message visible at once; a stale handle is an error', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q', visibilityTimeout: 60, clock: c.now });
    await q.send('a');
    const [m] = await q.receive(1);
    await q.changeVisibility(m!.receiptHandle, 0);
    const [again] = await q.receive(1);
    expect(again?.receiveCount).toBe(2);
    await expect(q.changeVisibility(m!.receiptHandle, 10)).rejects.toThrow(/not in flight/);
  });

  it('FIFO: drops a duplicate id inside the window and accepts it after', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q.fifo', fifo: true, clock: c.now });
    const id1 = await q.send('diff run-1', { deduplicationId: 'run-1/diff' });
    const id2 = await q.send('diff run-1 again', { deduplicationId: 'run-1/diff' });
    expect(id2).toBe(id1);
    expect(q.stats().total).toBe(1);
    c.advance(301);
    await q.send('diff run-1 late', { deduplicationId: 'run-1/diff' });
    expect(q.stats().total).toBe(2);
  });

  it('FIFO: one message group is delivered in order, never two of it in flight to different receivers', async () => {
    const c = clock();
    const q = new MemoryQueue({ name: 'q.fifo', fifo: true, contentBasedDeduplication: true, visibilityTimeout: 5, clock: c.now });
    await q.sendBatch([
      { body: 'g1-a', opts: { groupId: 'g1' } },
      { body: 'g1-b', opts: { groupId: 'g1' } },
      { body: 'g2-a', opts: { groupId: 'g2' } },
    ]);
    const first = await q.receive(1);
    expect(first.map((m) => m.body)).toEqual(['g1-a']);
    const second = await q.receive(10);
    expect(second.map((m) => m.body)).toEqual(['g2-a']);
    await q.delete(first[0]!.receiptHandle);
    expect((await q.receive(10)).map((m) => m.body)).toEqual(['g1-b']);
  });

  it('rejects FIFO-only options on a standard queue and a FIFO send without a de-duplication id', async () => {
    const q = new MemoryQueue({ name: 'q' });
    await expect(q.send('a', { deduplicationId: 'x' })).rejects.toThrow(/FIFO/);
    const f = new MemoryQueue({ name: 'f.fifo', fifo: true });
    await expect(f.send('a')).rejects.toThrow(/deduplicationId/);
  });

  it('a waiting receive returns as soon as a message is sent', async () => {
    const q = new MemoryQueue({ name: 'q' });
    const pending = q.receive(1, 30, 5);
    await q.send('late');
    expect((await pending).map((m) => m.body)).toEqual(['late']);
  });
});
