// One SQS event -> the run steps, with Lambda's partial batch response. Each record is one
// message of any type; records run concurrently; a failed record is retried by the queue alone.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { handleApply } from './apply.js';
import { handleDiff } from './diff.js';
import { handleLoad } from './load.js';
import { parseRunMessage } from './messages.js';
import type { RunDeps, RunMessage } from './types.js';

export interface InvocationInfo {
  /** When this invocation ends (ms since the epoch): Lambda's deadline, or a local handler timeout. */
  deadline?: number;
}

export async function handleRunMessage(
  deps: RunDeps,
  msg: RunMessage,
  record: Pick<SQSRecord, 'messageId' | 'attributes'>,
  invocation: InvocationInfo = {},
): Promise<void> {
  const delivery = {
    messageId: record.messageId,
    receiveCount: Number(record.attributes.ApproximateReceiveCount ?? '1'),
    deadline: invocation.deadline,
  };
  if (msg.type === 'load') return handleLoad(deps, msg, delivery);
  if (msg.type === 'diff') return handleDiff(deps, msg);
  return handleApply(deps, msg, delivery);
}

/** "load source InfraDevice of run R" rather than a message id, for the retry log line. */
function describeMessage(body: string): string {
  try {
    const msg = parseRunMessage(body);
    if (msg.type === 'load') return `load ${msg.side} ${msg.model} (run ${msg.run.runId})`;
    if (msg.type === 'apply') return `apply stage ${msg.stage + 1} batch ${msg.batch + 1} (run ${msg.run.runId})`;
    return `diff (run ${msg.run.runId})`;
  } catch {
    return 'message';
  }
}

export async function handleSqsEvent(
  deps: RunDeps,
  event: SQSEvent,
  accept: readonly RunMessage['type'][] = ['load', 'diff', 'apply'],
  invocation: InvocationInfo = {},
): Promise<SQSBatchResponse> {
  const outcomes = await Promise.allSettled(
    event.Records.map(async (record) => {
      let msg: RunMessage;
      try {
        msg = parseRunMessage(record.body);
      } catch (err) {
        // Retrying cannot fix a malformed body; drop it loudly instead of poisoning the queue.
        deps.logger.error('malformed run message dropped', { messageId: record.messageId, error: (err as Error).message });
        return;
      }
      if (!accept.includes(msg.type)) {
        deps.logger.error('message of the wrong type for this queue dropped', { messageId: record.messageId, type: msg.type });
        return;
      }
      try {
        await handleRunMessage(deps, msg, record, invocation);
      } catch (err) {
        deps.onMessageFailed?.(msg.type, err);
        throw err;
      }
    }),
  );
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  outcomes.forEach((o, i) => {
    const record = event.Records[i] as SQSRecord;
    if (o.status === 'rejected') {
      const error = (o.reason as Error)?.message ?? String(o.reason);
      const attempt = record.attributes.ApproximateReceiveCount ?? '1';
      deps.logger.warn(`${describeMessage(record.body)} failed (attempt ${attempt}), will be retried: ${error}`, {
        messageId: record.messageId,
        receiveCount: attempt,
        error,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  });
  return { batchItemFailures };
}
