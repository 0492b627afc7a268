// Computes the plan from the run's snapshots; in sync mode enqueues stage 0.
// SQS event source with ReportBatchItemFailures: failed messages are retried alone.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { handleSqsEvent } from '../shared/runtime/run/dispatch.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-diff');

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  try {
    return await handleSqsEvent(rt.deps, event, ['diff']);
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
