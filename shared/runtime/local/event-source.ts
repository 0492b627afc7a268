// What Lambda's SQS event source mapping does, in process: N pollers receive batches, call the
// handler with an SQS-shaped event, delete what succeeded and leave the rest to reappear after
// the visibility timeout (whole batch on a throw or a timeout, only the listed items when the
// handler answers with batchItemFailures).
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Queue, QueueMessage } from '../ports.js';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface EventSourceOptions {
  queue: Queue;
  handler: SqsHandler;
  batchSize?: number;
  /** Concurrent pollers, like a mapping's maximum concurrency. */
  workers?: number;
  /** Seconds a received batch stays hidden. */
  visibilityTimeout?: number;
  /** A handler still running after this long counts as failed (a Lambda timeout); its batch reappears. */
  handlerTimeoutMs?: number;
  onError?: (err: unknown, event: SQSEvent) => void;
  /** Seconds before a failed message is visible again (instead of the rest of its visibility
   *  timeout): a local convenience, the same as a shorter timeout for failures only. */
  retryDelaySeconds?: number;
}

export interface EventSourceMapping {
  stop(): Promise<void>;
  /** Pollers inside a handler call right now. */
  busy(): number;
}

export function toSqsRecord(m: QueueMessage, arn: string): SQSRecord {
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: String(m.receiveCount),
    SentTimestamp: String(m.sentTimestamp),
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
  };
  if (m.groupId !== undefined) attributes.MessageGroupId = m.groupId;
  if (m.deduplicationId !== undefined) attributes.MessageDeduplicationId = m.deduplicationId;
  let md5: string | undefined;
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(m.attributes).map(([k, v]) => [k, { stringValue: v, dataType: 'String', stringListValues: [], binaryListValues: [] }]),
    ),
    // Computed when read: the run's handlers never read it, and a hash per message was a tenth
    // of the event source's cost.
    get md5OfBody(): string {
      return (md5 ??= createHash('md5').update(m.body).digest('hex'));
    },
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'local',
  };
}

/** Ids to keep in the queue; undefined means the whole batch failed (as Lambda treats a bad answer). */
export function failedIds(event: SQSEvent, response: SQSBatchResponse | void): Set<string> | undefined {
  if (!response || !Array.isArray(response.batchItemFailures)) return new Set();
  const ids = new Set(event.Records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const f of response.batchItemFailures) {
    if (!f || typeof f.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier)) return undefined;
    failed.add(f.itemIdentifier);
  }
  return failed;
}

const TIMED_OUT = Symbol('timeout');

export function startEventSource(opts: EventSourceOptions): EventSourceMapping {
  const { queue, handler } = opts;
  let running = true;
  let busy = 0;

  const callHandler = async (event: SQSEvent): Promise<SQSBatchResponse | void | typeof TIMED_OUT> => {
    const call = handler(event);
    if (opts.handlerTimeoutMs === undefined) return call;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), opts.handlerTimeoutMs);
    });
    // A handler that outlives its timeout is abandoned, as Lambda freezes it; its late rejection is ignored.
    call.catch(() => undefined);
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const poll = async (): Promise<void> => {
    while (running) {
      const messages = await queue.receive(opts.batchSize ?? 10, opts.visibilityTimeout, 0.05);
      if (messages.length === 0) {
        // Queues without long polling answer at once; do not spin.
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, queue.arn)) };
      busy++;
      let failed: Set<string> | undefined;
      try {
        const response = await callHandler(event);
        failed = response === TIMED_OUT ? undefined : failedIds(event, response);
        if (response === TIMED_OUT) opts.onError?.(new Error('handler timed out'), event);
      } catch (err) {
        failed = undefined;
        opts.onError?.(err, event);
      } finally {
        busy--;
      }
      for (const m of messages) {
        if (failed !== undefined && !failed.has(m.messageId)) await queue.delete(m.receiptHandle);
        else if (opts.retryDelaySeconds !== undefined) {
          await queue.changeVisibility(m.receiptHandle, opts.retryDelaySeconds).catch(() => undefined);
        }
      }
    }
  };

  const pollers = Array.from({ length: opts.workers ?? 1 }, () => poll());
  return {
    async stop() {
      running = false;
      await Promise.all(pollers);
    },
    busy: () => busy,
  };
}
