import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Match } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CHANGE_FAILURES_METRIC, RUN_FAILED_PATTERNS, RUNS_FAILED_METRIC } from '../../../cdk/constructs/alarms.js';
import { fromPowertools, recordMetrics } from '../../../shared/runtime/aws/powertools.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { failRun } from '../../../shared/runtime/run/finish.js';
import type { RunDeps, RunRecord } from '../../../shared/runtime/run/types.js';
import { buildTemplate, FULL_SETTINGS } from './helpers.js';

type Props = Record<string, unknown>;

describe('alarms', () => {
  const { template } = buildTemplate(FULL_SETTINGS);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Props);
  const byMetric = (name: string) => alarms.filter((a) => a.MetricName === name);
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];

  it('fire on any message in each dead-letter queue (load, diff, apply, scheduler)', () => {
    const dlq = byMetric('ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(4);
    const queues = dlq.map((a) => ((a.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0] ?? '').replace(/[0-9A-F]{8}$/, ''));
    expect(queues.sort()).toEqual(['ApplyQueueDlq', 'DiffQueueDlq', 'LoadQueueDlq', 'SchedulerDlq']);
    for (const a of dlq) {
      expect(a).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    }
  });

  it('fire on errors of each function', () => {
    const errors = byMetric('Errors');
    expect(errors).toHaveLength(5);
    const fns = errors.map((a) => ((a.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref ?? '').replace(/[0-9A-F]{8}$/, ''));
    expect(fns.sort()).toEqual(['ApplyFunction', 'DiffFunction', 'LoaderFunction', 'TriggerFunction', 'WebhookFunction']);
    for (const a of errors) expect(a).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0, Statistic: 'Sum' });
  });

  it('fire on failed runs, counted by metric filters on the loader, diff and apply logs', () => {
    expect(byMetric(RUNS_FAILED_METRIC)).toEqual([
      expect.objectContaining({ Namespace: 'InfrahubSync', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
    ]);
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => f.Properties as Props);
    expect(filters).toHaveLength(6);
    const groups = new Set(filters.map((f) => (f.LogGroupName as { Ref: string }).Ref.replace(/[0-9A-F]{8}$/, '')));
    expect([...groups].sort()).toEqual(['ApplyFunctionLogs', 'DiffFunctionLogs', 'LoaderFunctionLogs']);
    for (const f of filters) {
      expect(f.MetricTransformations).toEqual([{ MetricName: RUNS_FAILED_METRIC, MetricNamespace: 'InfrahubSync', MetricValue: '1' }]);
    }
  });

  it('fire on changes Infrahub refused (the apply function EMF metric)', () => {
    expect(byMetric(CHANGE_FAILURES_METRIC)).toEqual([
      expect.objectContaining({
        Namespace: 'InfrahubSync',
        Dimensions: [{ Name: 'service', Value: 'infrahub-sync-apply' }],
        Threshold: 0,
      }),
    ]);
  });

  it('notify an encrypted SNS topic with the e-mail subscribers', () => {
    expect(alarms).toHaveLength(11);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it('use an existing topic when given, and have no actions without one', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    const withTopic = buildTemplate({ alarms: { topicArn: arn } }).template;
    withTopic.resourceCountIs('AWS::SNS::Topic', 0);
    for (const a of Object.values(withTopic.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmActions).toEqual([arn]);
    const bare = buildTemplate({}).template;
    for (const a of Object.values(bare.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmActions).toBeUndefined();
  });
});

describe('the runtime emits what the alarms watch', () => {
  it('the apply step publishes ChangeFailures', () => {
    const added: string[] = [];
    const metrics = { addMetric: (name: string) => added.push(name) } as unknown as Metrics;
    recordMetrics(metrics, { type: 'batch-applied', runId: 'r', stage: 0, batch: 0, applied: 1, failed: 2, skipped: 0, byAction: {} });
    expect(added).toContain(CHANGE_FAILURES_METRIC);
  });

  it('a failed run logs "run failed" as a top-level JSON message, the field the metric filter reads', async () => {
    // Both streams: outside Lambda Powertools prints errors to stderr; in Lambda both reach the log group.
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    try {
      const logger = fromPowertools(new PowertoolsLogger({ serviceName: 'infrahub-sync-loader' }));
      const store = new DirectoryObjectStore(mkdtempSync(path.join(tmpdir(), 'cdk-alarm-')));
      const deps = { store, logger } as unknown as RunDeps;
      const run = { name: 'demo', runId: '20260101T000000Z-abcdef' } as RunRecord;
      await failRun(deps, run, 'load source Device', new Error('boom'));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const records = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'run failed', runId: '20260101T000000Z-abcdef' }));
    expect(RUN_FAILED_PATTERNS.errored).toBe('{ $.message = "run failed" }');
  });
});
