// Lambda's SQS event source mapping, as the synthesized template configures it: pollers receive
// from the queue (never changing the queue's visibility timeout), build the SQS event, invoke the
// function synchronously, and delete what succeeded. A function error, a crash or a timeout
// leaves the whole batch to reappear after the visibility timeout; with ReportBatchItemFailures
// only the listed items stay, and an invalid response fails the whole batch, as documented for
// Lambda. Redrive to the dead-letter queue is SQS's own (moto's) after maxReceiveCount receives.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvokeResult } from './execution-env.js';
import type { LambdaFunction } from './lambda-function.js';

export interface EventSourceMappingConfig {
  logicalId: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  batchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency; Lambda starts 5 pollers without one. */
  maximumConcurrency?: number;
  enabled: boolean;
}

export interface EventSourceStats {
  batches: number;
  deleted: number;
  /** Invocations whose whole batch was left on the queue (error, crash, timeout, bad response). */
  failedBatches: number;
  /** Messages a partial batch response kept on the queue. */
  itemFailures: number;
  results: InvokeResult['status'][];
}

export function toSqsRecord(m: Message, queueArn: string, region: string): SQSRecord {
  const a: Record<string, string | undefined> = m.Attributes ?? {};
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
    SentTimestamp: a.SentTimestamp ?? '0',
    SenderId: a.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '0',
  };
  for (const k of ['MessageGroupId', 'MessageDeduplicationId', 'SequenceNumber', 'AWSTraceHeader']) {
    if (a[k] !== undefined) attributes[k] = a[k] as string;
  }
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: attributes as unknown as SQSRecord['attributes'],
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          stringValue: v.StringValue,
          binaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
          stringListValues: [],
          binaryListValues: [],
          dataType: v.DataType ?? 'String',
        },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Message ids to keep on the queue; undefined means the whole batch failed. */
export function itemsToKeep(event: SQSEvent, result: InvokeResult, reportBatchItemFailures: boolean): Set<string> | undefined {
  if (result.status !== 'ok') return undefined;
  if (!reportBatchItemFailures) return new Set();
  const response = result.payload as SQSBatchResponse | null | undefined | string;
  if (response === null || response === undefined || response === '') return new Set();
  if (typeof response !== 'object') return undefined;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set(event.Records.map((r) => r.messageId));
  const keep = new Set<string>();
  for (const f of failures as { itemIdentifier?: unknown }[]) {
    if (!f || typeof f.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier)) return undefined;
    keep.add(f.itemIdentifier);
  }
  return keep;
}

export class SqsEventSource {
  readonly stats: EventSourceStats = { batches: 0, deleted: 0, failedBatches: 0, itemFailures: 0, results: [] };
  /** Deliver every batch twice, to two environments at once: SQS's at-least-once delivery. */
  duplicateDeliveries = false;
  private running = false;
  private pollers: Promise<void>[] = [];
  private inFlight = 0;

  constructor(
    readonly cfg: EventSourceMappingConfig,
    private readonly sqs: SQSClient,
    readonly fn: LambdaFunction,
    private readonly region: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  get concurrency(): number {
    return Math.min(this.cfg.maximumConcurrency ?? 5, this.fn.concurrencyLimit);
  }

  /** Invocations in progress. */
  get busy(): number {
    return this.inFlight;
  }

  start(): void {
    if (this.running || !this.cfg.enabled) return;
    this.running = true;
    this.pollers = Array.from({ length: this.concurrency }, () => this.poll());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.pollers);
  }

  private async receive(): Promise<Message[]> {
    const out: Message[] = [];
    const deadline = Date.now() + this.cfg.batchingWindowSeconds * 1000;
    do {
      const res = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.cfg.queueUrl,
          MaxNumberOfMessages: Math.min(10, this.cfg.batchSize - out.length),
          // Lambda long-polls for 20 s; 1 s keeps stop() quick and changes nothing else.
          WaitTimeSeconds: out.length === 0 ? 1 : 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      out.push(...(res.Messages ?? []));
      if ((res.Messages ?? []).length === 0 && out.length > 0) break;
    } while (this.running && out.length < this.cfg.batchSize && Date.now() < deadline);
    return out;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let messages: Message[];
      try {
        messages = await this.receive();
      } catch (err) {
        if (this.running) this.onError(err);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (messages.length === 0) continue;
      this.inFlight++;
      try {
        const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, this.cfg.queueArn, this.region)) };
        const deliveries = this.duplicateDeliveries ? [this.deliver(event), this.deliver(event)] : [this.deliver(event)];
        await Promise.all(deliveries);
      } catch (err) {
        this.onError(err);
      } finally {
        this.inFlight--;
      }
    }
  }

  private async deliver(event: SQSEvent): Promise<void> {
    this.stats.batches++;
    const result = await this.fn.invoke(event, { wait: true });
    this.stats.results.push(result.status);
    const keep = itemsToKeep(event, result, this.cfg.reportBatchItemFailures);
    if (keep === undefined) {
      this.stats.failedBatches++;
      return;
    }
    this.stats.itemFailures += keep.size;
    const done = event.Records.filter((r) => !keep.has(r.messageId));
    if (done.length === 0) return;
    const out = await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.cfg.queueUrl,
        Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
    this.stats.deleted += out.Successful?.length ?? 0;
  }
}
