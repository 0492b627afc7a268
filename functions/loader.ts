// Loads one (side, model) of a run per message; the last loader starts the diff.
// SQS event source with ReportBatchItemFailures: failed messages are retried alone.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { handleSqsEvent } from '../shared/runtime/run/dispatch.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-loader');

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  try {
    return await handleSqsEvent(rt.deps, event, ['load']);
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
