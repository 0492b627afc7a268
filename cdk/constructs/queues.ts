// One work queue per run step (load, diff, apply), each with its dead-letter queue. Standard
// queues: the runtime's fan-in is an S3 conditional write, so no FIFO ordering is needed.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../settings.js';

/** Lambda's guidance for SQS event sources: visibility at least 6x the function's timeout. */
export const VISIBILITY_FACTOR = 6;

export interface WorkQueueProps {
  settings: DeploymentSettings['queues'];
  /** Timeout of the function that consumes this queue. */
  consumerTimeout: Duration;
}

export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const s = props.settings;
    this.deadLetterQueue = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(s.dlqRetentionDays),
      maxMessageSizeBytes: s.maxMessageSizeBytes,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(s.retentionDays),
      maxMessageSizeBytes: s.maxMessageSizeBytes,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_FACTOR),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: s.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
