// Alarms for what needs a person: messages parked in a dead-letter queue, function errors,
// failed runs and failed changes. Actions go to an SNS topic when one is configured.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../settings.js';

/** Counted from the runtime's log lines (metric filters), since the runtime has no EMF metric for it. */
export const RUNS_FAILED_METRIC = 'RunsFailed';
/** EMF metric the apply handler publishes per batch (shared/runtime/aws/powertools.ts). */
export const CHANGE_FAILURES_METRIC = 'ChangeFailures';

// Powertools writes one JSON object per line: `message` plus the fields passed with it.
// A run that could not finish ("run failed", error.json) or finished with failed changes.
export const RUN_FAILED_PATTERNS = {
  errored: '{ $.message = "run failed" }',
  finishedWithFailures: '{ ($.message = "run finished") && (($.status = "failed") || ($.status = "partial")) }',
};

export interface AlarmsProps {
  settings: DeploymentSettings['alarms'];
  metricsNamespace: string;
  deadLetterQueues: Record<string, sqs.IQueue>;
  functions: Record<string, lambda.IFunction>;
  /** Log groups of the functions that end runs (loader, diff, apply). */
  runLogGroups: Record<string, logs.ILogGroup>;
  /** Powertools `service` dimension of the apply function's metrics. */
  applyService: string;
}

export class Alarms extends Construct {
  readonly topic?: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = this.makeTopic(props.settings);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}DlqDepth`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        alarmDescription: `Messages in the ${name} dead-letter queue: work that failed every retry.`,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, {
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        alarmDescription: `The ${name} function returned errors (thrown, timed out or out of memory).`,
      });
    }

    for (const [name, group] of Object.entries(props.runLogGroups)) {
      for (const [kind, pattern] of Object.entries(RUN_FAILED_PATTERNS)) {
        new logs.MetricFilter(this, `${name}RunsFailed-${kind}`, {
          logGroup: group,
          filterPattern: logs.FilterPattern.literal(pattern),
          metricNamespace: props.metricsNamespace,
          metricName: RUNS_FAILED_METRIC,
          metricValue: '1',
        });
      }
    }
    this.add('RunsFailed', {
      metric: new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName: RUNS_FAILED_METRIC,
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      alarmDescription: 'A run ended in error or with failed changes: read runs/<name>/<runId>/report.json or error.json.',
    });
    this.add('ChangeFailures', {
      metric: new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName: CHANGE_FAILURES_METRIC,
        dimensionsMap: { service: props.applyService },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      alarmDescription: 'Infrahub refused changes; the report lists each with the server message.',
    });
  }

  private add(id: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'alarmDescription'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private makeTopic(s: DeploymentSettings['alarms']): sns.ITopic | undefined {
    if (s.topicArn) return sns.Topic.fromTopicArn(this, 'Topic', s.topicArn);
    if (s.emails.length === 0) return undefined;
    // CloudWatch can publish to an encrypted topic only with a customer key that lets it.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'infrahub-sync alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'infrahub-sync alarms' });
    for (const email of s.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
