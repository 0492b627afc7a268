// Applies batch files to the destination; the last batch of a stage starts the next one.
// SQS event source with ReportBatchItemFailures: failed messages are retried alone.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { handleSqsEvent } from '../shared/runtime/run/dispatch.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-apply');

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  try {
    // A batch is leased until this invocation's end, so a duplicate delivery cannot apply it at the same time.
    const remaining = context?.getRemainingTimeInMillis();
    return await handleSqsEvent(rt.deps, event, ['apply'], { deadline: remaining === undefined ? undefined : Date.now() + remaining });
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
