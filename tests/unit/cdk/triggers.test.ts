import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { buildTemplate, FULL_SETTINGS } from './helpers.js';

// The trigger handler builds its AWS clients when imported; it needs a bucket name, not a bucket.
vi.hoisted(() => {
  process.env.BUCKET_NAME ??= 'not-used-by-these-tests';
  process.env.AWS_REGION ??= 'eu-west-1';
});
const { parseTriggerEvent } = await import('../../../functions/trigger.js');

describe('schedules', () => {
  const { template } = buildTemplate(FULL_SETTINGS);
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
  const triggerId = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('TriggerFunction'));

  it('one per listed (config, mode), with its expression and time zone', () => {
    expect(schedules).toHaveLength(2);
    expect(schedules[0]).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(schedules[1]).toMatchObject({ ScheduleExpression: 'rate(6 hours)', ScheduleExpressionTimezone: 'UTC' });
  });

  it('invoke the trigger function with { name, mode } (and branch) that the trigger accepts as a schedule', () => {
    for (const s of schedules) {
      const target = s.Target as { Arn: unknown; Input: string; RetryPolicy: unknown; DeadLetterConfig: unknown };
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [triggerId, 'Arn'] });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerDlq/), 'Arn'] } });
    }
    const inputs = schedules.map((s) => JSON.parse((s.Target as { Input: string }).Input) as unknown);
    expect(inputs).toEqual([
      { kind: 'schedule', name: 'nautobot', mode: 'sync' },
      { kind: 'schedule', name: 'netbox', mode: 'diff', branch: 'nightly' },
    ]);
    // The same payload through the trigger's own parser: the contract between the two.
    expect(parseTriggerEvent(inputs[1])).toMatchObject({ kind: 'schedule', name: 'netbox', mode: 'diff', branch: 'nightly' });
  });

  it('can be created disabled', () => {
    const { template: t } = buildTemplate({ schedules: [{ config: 'a', expression: 'rate(1 day)', enabled: false }] });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
  });

  it('are absent, with their role and DLQ, when none are listed', () => {
    const { template: t } = buildTemplate({});
    t.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(Object.keys(t.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith('SchedulerDlq'))).toEqual([]);
    expect(Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('Schedules'))).toEqual([]);
  });

  it('output the trigger function name for on-demand runs', () => {
    template.hasOutput('TriggerFunctionName', { Value: { Ref: triggerId } });
  });
});

describe('webhook endpoint', () => {
  it('is a Function URL on the webhook function with auth NONE (the handler checks HMAC signatures)', () => {
    const { template } = buildTemplate({});
    const webhookId = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('WebhookFunction'));
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [webhookId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionUrlAuthType: 'NONE',
      FunctionName: { 'Fn::GetAtt': [webhookId, 'Arn'] },
    });
    template.hasOutput('WebhookUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebhookUrl'), 'FunctionUrl'] } });
  });

  it('is not created when webhooks are off, and no webhook secret either', () => {
    const { template } = buildTemplate({ webhook: { enabled: false } });
    template.resourceCountIs('AWS::Lambda::Url', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('passes the timestamp tolerance to the function; a tolerance the replay markers cannot outlive is refused', () => {
    const env = (settings: object) => {
      const { template } = buildTemplate(settings);
      const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WebhookFunction')) ?? [];
      return fn?.Properties.Environment.Variables as Record<string, unknown>;
    };
    expect(env({}).WEBHOOK_TOLERANCE_SECONDS).toBe('300');
    expect(env({ webhook: { toleranceSeconds: 900 } }).WEBHOOK_TOLERANCE_SECONDS).toBe('900');
    expect(() => buildTemplate({ webhook: { toleranceSeconds: 7 * 3600 } })).toThrow(/toleranceSeconds/);
    // Markers expire after a day: more than twice the largest tolerance.
    const { template } = buildTemplate({});
    const [, bucket] = Object.entries(template.findResources('AWS::S3::Bucket')).find(([, b]) => JSON.stringify(b).includes('expire-webhook-markers')) ?? [];
    const rule = (bucket?.Properties.LifecycleConfiguration.Rules as { Id: string; ExpirationInDays: number }[]).find((r) => r.Id === 'expire-webhook-markers');
    expect((rule?.ExpirationInDays ?? 0) * 86_400).toBeGreaterThan(2 * 6 * 3600);
  });

  it('has reserved concurrency when the settings ask for it', () => {
    const { template } = buildTemplate({ webhook: { reservedConcurrency: 5 } });
    const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WebhookFunction')) ?? [];
    expect(fn?.Properties.ReservedConcurrentExecutions).toBe(5);
  });
});
