import { Match, type Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTemplate, EXISTING_SECRET_ARN, FULL_SETTINGS } from './helpers.js';

type Resource = { Properties: Record<string, unknown> };

const HANDLERS = ['Trigger', 'Webhook', 'Loader', 'Diff', 'Apply'] as const;

function fnOf(template: Template, name: (typeof HANDLERS)[number]): [string, Resource] {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`${name}Function`),
  );
  if (!found) throw new Error(`no ${name} function`);
  return found as [string, Resource];
}

const envOf = (template: Template, name: (typeof HANDLERS)[number]) =>
  (fnOf(template, name)[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('functions', () => {
  const { template } = buildTemplate({
    ...FULL_SETTINGS,
    functions: {
      ...FULL_SETTINGS.functions,
      diff: { memoryMb: 3008, timeoutSeconds: 700, maxConcurrency: 4, batchSize: 2 },
    },
    changesPerBatch: 250,
    logRetentionDays: 90,
  });

  it('are five, all nodejs22.x on arm64, handler "handler" of a bundled module', () => {
    template.resourceCountIs('AWS::Lambda::Function', 5);
    for (const name of HANDLERS) {
      expect(fnOf(template, name)[1].Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('are sized per function from the settings', () => {
    expect(fnOf(template, 'Trigger')[1].Properties).toMatchObject({ MemorySize: 512, Timeout: 60 });
    expect(fnOf(template, 'Webhook')[1].Properties).toMatchObject({ MemorySize: 512, Timeout: 30 });
    expect(fnOf(template, 'Loader')[1].Properties).toMatchObject({ MemorySize: 1024, Timeout: 300 });
    expect(fnOf(template, 'Diff')[1].Properties).toMatchObject({ MemorySize: 3008, Timeout: 700 });
    expect(fnOf(template, 'Apply')[1].Properties).toMatchObject({ MemorySize: 2048, Timeout: 300 });
  });

  it('reserve concurrency on apply only (it protects Infrahub)', () => {
    expect(fnOf(template, 'Apply')[1].Properties.ReservedConcurrentExecutions).toBe(4);
    for (const name of ['Trigger', 'Webhook', 'Loader', 'Diff'] as const) {
      expect(fnOf(template, name)[1].Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it.each([
    ['Loader', 'LoadQueue', 7, 1],
    ['Diff', 'DiffQueue', 4, 2],
    ['Apply', 'ApplyQueue', 3, 1],
  ] as const)('%s consumes %s with partial batch failures and maxConcurrency from the settings', (name, queue, max, batch) => {
    const [fnId] = fnOf(template, name);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queue}(?!Dlq)`), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: max },
      BatchSize: batch,
    });
  });

  it('has exactly three event source mappings (trigger and webhook are not queue consumers)', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
  });

  it('log to their own log group with the configured retention', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    for (const name of HANDLERS) {
      const cfg = fnOf(template, name)[1].Properties.LoggingConfig as { LogGroup: { Ref: string } };
      expect(groups[cfg.LogGroup.Ref]?.Properties).toEqual({ RetentionInDays: 90 });
    }
  });

  it('get the store, queue and run settings each needs in their environment', () => {
    for (const name of HANDLERS) {
      expect(envOf(template, name)).toMatchObject({
        BUCKET_NAME: { Ref: expect.stringMatching(/^StorageBucket/) },
        MAX_RECEIVE_COUNT: '5',
        BATCH_SIZE: '250',
        INFRAHUB_ADDRESS: 'https://infrahub.example.com',
        POWERTOOLS_METRICS_NAMESPACE: 'InfrahubSync',
        POWERTOOLS_SERVICE_NAME: `infrahub-sync-${name.toLowerCase()}`,
      });
    }
    const queueRef = (q: string) => ({ Ref: expect.stringMatching(new RegExp(`^${q}[0-9A-F]{8}$`)) });
    expect(envOf(template, 'Trigger').LOAD_QUEUE_URL).toEqual(queueRef('LoadQueue'));
    expect(envOf(template, 'Webhook').LOAD_QUEUE_URL).toEqual(queueRef('LoadQueue'));
    expect(envOf(template, 'Loader').DIFF_QUEUE_URL).toEqual(queueRef('DiffQueue'));
    expect(envOf(template, 'Diff').APPLY_QUEUE_URL).toEqual(queueRef('ApplyQueue'));
    expect(envOf(template, 'Apply').APPLY_QUEUE_URL).toEqual(queueRef('ApplyQueue'));
    expect(envOf(template, 'Trigger').APPLY_QUEUE_URL).toBeUndefined();
  });

  it('name the Powertools service the way the handlers publish their metrics', () => {
    for (const name of HANDLERS) {
      const source = readFileSync(`functions/${name.toLowerCase()}.ts`, 'utf8');
      expect(source).toContain(`awsRuntimeFromEnv(process.env, 'infrahub-sync-${name.toLowerCase()}')`);
    }
  });

  it('receive secrets as ARNs only, and only where adapters are opened', () => {
    for (const name of ['Loader', 'Apply'] as const) {
      const env = envOf(template, name);
      expect(env.INFRAHUB_API_TOKEN_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^SecretsINFRAHUBAPITOKEN/) });
      expect(env.NAUTOBOT_TOKEN_SECRET_ARN).toBe(`${EXISTING_SECRET_ARN}#token`);
      expect(env.INFRAHUB_API_TOKEN).toBeUndefined();
    }
    for (const name of ['Trigger', 'Webhook', 'Diff'] as const) {
      expect(Object.keys(envOf(template, name)).filter((k) => k.endsWith('TOKEN_SECRET_ARN'))).toEqual([]);
    }
    expect(envOf(template, 'Webhook').WEBHOOK_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^SecretsWebhook/) });
  });

  it('carry no secret value anywhere in the template', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"SecretString"/);
    for (const name of HANDLERS) {
      for (const key of Object.keys(envOf(template, name))) {
        expect(key).not.toMatch(/(TOKEN|PASSWORD|SECRET)$/);
      }
    }
  });
});
