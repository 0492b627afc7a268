// Queue over an SQS queue (standard or FIFO).
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage, SendOptions } from '../ports.js';

const BATCH = 10;

function attributes(opts: SendOptions | undefined): Record<string, MessageAttributeValue> | undefined {
  if (!opts?.attributes || Object.keys(opts.attributes).length === 0) return undefined;
  return Object.fromEntries(Object.entries(opts.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
}

export class SqsQueue implements Queue {
  readonly arn: string;

  constructor(
    private readonly client: SQSClient,
    readonly url: string,
    arn?: string,
  ) {
    // https://sqs.<region>.amazonaws.com/<account>/<name> -> arn:aws:sqs:<region>:<account>:<name>
    const u = new URL(url);
    const [, account = '000000000000', name = 'queue'] = u.pathname.split('/');
    const region = /sqs\.([^.]+)\./.exec(u.hostname)?.[1] ?? 'local';
    this.arn = arn ?? `arn:aws:sqs:${region}:${account}:${name}`;
  }

  async send(body: string, opts?: SendOptions): Promise<string> {
    const out = await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: body,
        MessageDeduplicationId: opts?.deduplicationId,
        MessageGroupId: opts?.groupId ?? (this.url.endsWith('.fifo') ? 'default' : undefined),
        MessageAttributes: attributes(opts),
        DelaySeconds: opts?.delaySeconds,
      }),
    );
    return out.MessageId ?? '';
  }

  async sendBatch(entries: { body: string; opts?: SendOptions }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      let pending = entries.slice(i, i + BATCH).map((e, j) => ({ id: String(j), ...e }));
      // SendMessageBatch can fail some entries (throttling) while accepting the rest.
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.url,
            Entries: pending.map((e) => ({
              Id: e.id,
              MessageBody: e.body,
              MessageDeduplicationId: e.opts?.deduplicationId,
              MessageGroupId: e.opts?.groupId ?? (this.url.endsWith('.fifo') ? 'default' : undefined),
              MessageAttributes: attributes(e.opts),
              DelaySeconds: e.opts?.delaySeconds,
            })),
          }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        const senderFault = (out.Failed ?? []).find((f) => f.SenderFault);
        if (senderFault) throw new Error(`SQS rejected a message: ${senderFault.Code}: ${senderFault.Message}`);
        pending = pending.filter((e) => failed.has(e.id));
        if (pending.length > 0) {
          if (attempt >= 5) throw new Error(`SQS did not accept ${pending.length} message(s) after ${attempt + 1} attempts`);
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
    }
  }

  async receive(max: number, visibilityTimeout?: number, waitSeconds = 0): Promise<QueueMessage[]> {
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url,
        MaxNumberOfMessages: Math.min(Math.max(1, max), BATCH),
        VisibilityTimeout: visibilityTimeout === undefined ? undefined : Math.ceil(visibilityTimeout),
        WaitTimeSeconds: Math.round(waitSeconds),
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1'),
      sentTimestamp: Number(m.Attributes?.SentTimestamp ?? '0'),
      firstReceiveTimestamp: Number(m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0'),
      attributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
      ),
      groupId: m.Attributes?.MessageGroupId,
      deduplicationId: m.Attributes?.MessageDeduplicationId,
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: receiptHandle }));
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.url, ReceiptHandle: receiptHandle, VisibilityTimeout: Math.ceil(seconds) }),
    );
  }
}
