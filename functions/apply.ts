// Applies batch files to the destination; the last batch of a stage starts the next one.
// SQS event source with ReportBatchItemFailures: failed messages are retried alone.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { handleSqsEvent } from '../shared/runtime/run/dispatch.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-apply');

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  try {
    return await handleSqsEvent(rt.deps, event, ['apply']);
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
