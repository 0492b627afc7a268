// An in-process queue with SQS's observable behaviour: visibility timeouts, receive counts,
// a dead-letter queue after maxReceiveCount, receipt handles that go stale on redelivery, and
// for FIFO queues message groups (one in flight per group) and a de-duplication window.
import { createHash, randomUUID } from 'node:crypto';
import type { Queue, QueueMessage, SendOptions } from '../ports.js';

export interface MemoryQueueOptions {
  name: string;
  fifo?: boolean;
  contentBasedDeduplication?: boolean;
  /** Seconds (fractions allowed here, unlike SQS). Default 30. */
  visibilityTimeout?: number;
  /** Receives after which an undeleted message goes to the dead-letter queue. */
  maxReceiveCount?: number;
  deadLetterQueue?: MemoryQueue;
  /** Default 300 s, as in SQS. */
  deduplicationWindowSeconds?: number;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  clock?: () => number;
}

interface Stored {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  groupId?: string;
  deduplicationId?: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number;
  receipt?: string;
}

export interface QueueStats {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export class MemoryQueue implements Queue {
  readonly arn: string;
  /** By message id, in the order sent: a delete finds its message without a scan, and removing
   *  it moves nothing (an array's splice made draining thousands of messages quadratic). */
  private readonly messages = new Map<string, Stored>();
  private readonly dedup = new Map<string, { messageId: string; at: number }>();
  private waiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(readonly options: MemoryQueueOptions) {
    if (options.fifo && !options.name.endsWith('.fifo')) {
      throw new Error(`queue ${options.name}: a FIFO queue's name must end in .fifo`);
    }
    this.arn = `arn:aws:sqs:local:000000000000:${options.name}`;
    this.now = options.clock ?? Date.now;
  }

  async send(body: string, opts: SendOptions = {}): Promise<string> {
    return this.enqueue(body, opts);
  }

  async sendBatch(entries: { body: string; opts?: SendOptions }[]): Promise<void> {
    for (const e of entries) this.enqueue(e.body, e.opts ?? {});
  }

  private enqueue(body: string, opts: SendOptions): string {
    const now = this.now();
    let deduplicationId: string | undefined;
    if (this.options.fifo) {
      deduplicationId =
        opts.deduplicationId ??
        (this.options.contentBasedDeduplication ? createHash('sha256').update(body).digest('hex') : undefined);
      if (deduplicationId === undefined) {
        throw new Error(`queue ${this.options.name}: FIFO send needs a deduplicationId (no content-based de-duplication)`);
      }
      const windowMs = (this.options.deduplicationWindowSeconds ?? 300) * 1000;
      const seen = this.dedup.get(deduplicationId);
      // A duplicate is accepted and answered with the first message's id, but not delivered.
      if (seen && now - seen.at < windowMs) return seen.messageId;
    } else if (opts.deduplicationId !== undefined || opts.groupId !== undefined) {
      throw new Error(`queue ${this.options.name}: deduplicationId and groupId are only valid on FIFO queues`);
    }
    const messageId = randomUUID();
    if (deduplicationId !== undefined) this.dedup.set(deduplicationId, { messageId, at: now });
    this.messages.set(messageId, {
      messageId,
      body,
      attributes: { ...(opts.attributes ?? {}) },
      groupId: this.options.fifo ? (opts.groupId ?? 'default') : undefined,
      deduplicationId,
      sentAt: now,
      visibleAt: now + (opts.delaySeconds ?? 0) * 1000,
      receiveCount: 0,
      firstReceiveAt: 0,
    });
    this.wake();
    return messageId;
  }

  async receive(max: number, visibilityTimeout?: number, waitSeconds = 0): Promise<QueueMessage[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const got = this.take(max, visibilityTimeout ?? this.options.visibilityTimeout ?? 30);
      if (got.length > 0) return got;
      const left = deadline - Date.now();
      if (left <= 0) return [];
      await this.sleep(Math.min(left, this.untilNextVisible()));
    }
  }

  private take(max: number, visibilitySeconds: number): QueueMessage[] {
    const now = this.now();
    const out: QueueMessage[] = [];
    const blocked = new Set<string>();
    const maxReceives = this.options.maxReceiveCount;
    const deadLettered: Stored[] = [];
    // No copy of the list per receive: with thousands of messages queued (one load per model and
    // side) that copy made draining the queue quadratic.
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      const inFlight = m.visibleAt > now;
      if (inFlight) {
        // FIFO: while one message of a group is in flight (or delayed), the rest of the group waits.
        if (m.groupId !== undefined) blocked.add(m.groupId);
        continue;
      }
      if (m.groupId !== undefined && blocked.has(m.groupId)) continue;
      if (maxReceives !== undefined && m.receiveCount >= maxReceives) {
        deadLettered.push(m);
        continue;
      }
      m.receiveCount++;
      if (m.receiveCount === 1) m.firstReceiveAt = now;
      m.receipt = `${m.messageId}:${m.receiveCount}:${randomUUID()}`;
      m.visibleAt = now + visibilitySeconds * 1000;
      out.push({
        messageId: m.messageId,
        body: m.body,
        receiptHandle: m.receipt,
        receiveCount: m.receiveCount,
        sentTimestamp: m.sentAt,
        firstReceiveTimestamp: m.firstReceiveAt,
        attributes: { ...m.attributes },
        groupId: m.groupId,
        deduplicationId: m.deduplicationId,
      });
    }
    for (const m of deadLettered) {
      this.messages.delete(m.messageId);
      this.options.deadLetterQueue?.adopt(m);
    }
    return out;
  }

  /** A dead-lettered message keeps its id, body and attributes; its receive count starts over. */
  private adopt(m: Stored): void {
    this.messages.set(m.messageId, { ...m, receiveCount: 0, firstReceiveAt: 0, receipt: undefined, visibleAt: this.now() });
    this.wake();
  }

  async delete(receiptHandle: string): Promise<void> {
    // As in SQS, a stale receipt handle (the message was received again since) deletes nothing.
    const m = this.byReceipt(receiptHandle);
    if (m) this.messages.delete(m.messageId);
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const m = this.byReceipt(receiptHandle);
    if (!m || m.visibleAt <= this.now()) {
      throw new Error(`queue ${this.options.name}: message is not in flight for that receipt handle`);
    }
    m.visibleAt = this.now() + seconds * 1000;
    if (seconds === 0) this.wake();
  }

  stats(): QueueStats {
    const now = this.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed, total: this.messages.size };
  }

  /** Bodies of every message held, for tests and the DLQ report. */
  peekBodies(): string[] {
    return [...this.messages.values()].map((m) => m.body);
  }

  /** The message a receipt handle names (`<messageId>:<receive count>:<nonce>`), if current. */
  private byReceipt(receiptHandle: string): Stored | undefined {
    const m = this.messages.get(receiptHandle.slice(0, receiptHandle.indexOf(':')));
    return m?.receipt === receiptHandle ? m : undefined;
  }

  private untilNextVisible(): number {
    const now = this.now();
    let next = 50;
    for (const m of this.messages.values()) next = Math.min(next, Math.max(1, m.visibleAt - now));
    return next;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
