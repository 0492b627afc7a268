import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTemplate, EXISTING_SECRET_ARN, FULL_SETTINGS } from './helpers.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** `{Fn::Join: ['', [{Fn::GetAtt: [Id, 'Arn']}, '/runs/*']]}` -> `Id/runs/*`, with logical-id hashes cut. */
function show(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  const id = (s: string) => s.replace(/[0-9A-F]{8}$/, '');
  if (Array.isArray(r['Fn::GetAtt'])) return id(String(r['Fn::GetAtt'][0]));
  if (typeof r.Ref === 'string') return id(r.Ref);
  if (Array.isArray(r['Fn::Join'])) return (r['Fn::Join'][1] as unknown[]).map(show).join(r['Fn::Join'][0] as string);
  return JSON.stringify(resource);
}

function statementsOf(template: Template, rolePrefix: string): { action: string; resource: string }[] {
  const out: { action: string; resource: string }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = policy.Properties.Roles as { Ref: string }[];
    if (!roles.some((r) => r.Ref.startsWith(rolePrefix))) continue;
    for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
      expect(s.Effect).toBe('Allow');
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      for (const a of actions) for (const r of resources) out.push({ action: a, resource: show(r) });
    }
  }
  return out;
}

const resourcesFor = (stmts: { action: string; resource: string }[], action: string) =>
  [...new Set(stmts.filter((s) => s.action === action).map((s) => s.resource))].sort();

describe('IAM, least privilege per function', () => {
  const { template } = buildTemplate(FULL_SETTINGS);
  const roles = {
    trigger: statementsOf(template, 'TriggerFunctionRole'),
    webhook: statementsOf(template, 'WebhookFunctionRole'),
    loader: statementsOf(template, 'LoaderFunctionRole'),
    diff: statementsOf(template, 'DiffFunctionRole'),
    apply: statementsOf(template, 'ApplyFunctionRole'),
  };

  it('names a resource in every statement (no "*")', () => {
    for (const stmts of Object.values(roles)) {
      expect(stmts.length).toBeGreaterThan(0);
      for (const s of stmts) expect(s.resource).not.toBe('*');
    }
  });

  it('attaches no managed policy to a function role', () => {
    const fnRoles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => /Function(Role)/.test(id));
    expect(fnRoles).toHaveLength(5);
    for (const [, role] of fnRoles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets each function write only its own log group', () => {
    for (const [name, stmts] of Object.entries(roles)) {
      const fn = name[0]?.toUpperCase() + name.slice(1);
      expect(resourcesFor(stmts, 'logs:PutLogEvents')).toEqual([`${fn}FunctionLogs`]);
      expect(resourcesFor(stmts, 'logs:CreateLogStream')).toEqual([`${fn}FunctionLogs`]);
    }
  });

  it('scopes object access to the prefixes each step uses', () => {
    expect(resourcesFor(roles.trigger, 's3:GetObject')).toEqual(['StorageBucket/configs/*', 'StorageBucket/runs/*']);
    // The run lock is a conditional write: the S3 store probes the endpoint once (.probes/).
    expect(resourcesFor(roles.trigger, 's3:PutObject')).toEqual(['StorageBucket/.probes/*', 'StorageBucket/runs/*']);
    expect(resourcesFor(roles.trigger, 's3:DeleteObject')).toEqual(['StorageBucket/.probes/*']);
    expect(resourcesFor(roles.webhook, 's3:GetObject')).toEqual([
      'StorageBucket/configs/*',
      'StorageBucket/runs/*',
      'StorageBucket/webhooks/*',
    ]);
    expect(resourcesFor(roles.webhook, 's3:DeleteObject')).toEqual(['StorageBucket/.probes/*', 'StorageBucket/webhooks/*']);
    for (const name of ['loader', 'diff', 'apply'] as const) {
      expect(resourcesFor(roles[name], 's3:GetObject')).toEqual(['StorageBucket/runs/*']);
      expect(resourcesFor(roles[name], 's3:PutObject')).toEqual(['StorageBucket/.probes/*', 'StorageBucket/runs/*']);
      expect(resourcesFor(roles[name], 's3:DeleteObject')).toEqual(['StorageBucket/.probes/*']);
    }
    for (const stmts of Object.values(roles)) {
      expect(resourcesFor(stmts, 's3:ListBucket')).toEqual(['StorageBucket']);
      expect(stmts.filter((s) => s.action.startsWith('s3:') && /[*]$/.test(s.action))).toEqual([]);
    }
  });

  it('lets each function send only to the queue of the next step', () => {
    expect(resourcesFor(roles.trigger, 'sqs:SendMessage')).toEqual(['LoadQueue']);
    expect(resourcesFor(roles.webhook, 'sqs:SendMessage')).toEqual(['LoadQueue']);
    expect(resourcesFor(roles.loader, 'sqs:SendMessage')).toEqual(['DiffQueue']);
    expect(resourcesFor(roles.diff, 'sqs:SendMessage')).toEqual(['ApplyQueue']);
    expect(resourcesFor(roles.apply, 'sqs:SendMessage')).toEqual(['ApplyQueue']);
  });

  it('lets each consumer receive only from its own queue', () => {
    expect(resourcesFor(roles.loader, 'sqs:ReceiveMessage')).toEqual(['LoadQueue']);
    expect(resourcesFor(roles.diff, 'sqs:ReceiveMessage')).toEqual(['DiffQueue']);
    expect(resourcesFor(roles.apply, 'sqs:ReceiveMessage')).toEqual(['ApplyQueue']);
    expect(resourcesFor(roles.trigger, 'sqs:ReceiveMessage')).toEqual([]);
  });

  it('lets only the functions that need a secret read it', () => {
    for (const name of ['loader', 'apply'] as const) {
      expect(resourcesFor(roles[name], 'secretsmanager:GetSecretValue')).toEqual([
        'SecretsINFRAHUBAPITOKEN',
        EXISTING_SECRET_ARN,
      ]);
    }
    expect(resourcesFor(roles.webhook, 'secretsmanager:GetSecretValue')).toEqual(['SecretsWebhook']);
    expect(resourcesFor(roles.trigger, 'secretsmanager:GetSecretValue')).toEqual([]);
    expect(resourcesFor(roles.diff, 'secretsmanager:GetSecretValue')).toEqual([]);
  });

  it('lets the schedules invoke the trigger function and park undeliverable invocations, nothing else', () => {
    const stmts = statementsOf(template, 'SchedulesRole');
    expect([...new Set(stmts.map((s) => s.action))].sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(resourcesFor(stmts, 'lambda:InvokeFunction')).toEqual(['TriggerFunction', 'TriggerFunction:*']);
    expect(resourcesFor(stmts, 'sqs:SendMessage')).toEqual(['SchedulerDlq']);
  });

  it('uses exact KMS actions on the store key with encryption: kms', () => {
    const kms = buildTemplate({ bucket: { encryption: 'kms' } }).template;
    const apply = statementsOf(kms, 'ApplyFunctionRole');
    const trigger = statementsOf(kms, 'TriggerFunctionRole');
    expect(resourcesFor(apply, 'kms:GenerateDataKey')).toEqual(['StorageKey']);
    expect(resourcesFor(apply, 'kms:Decrypt')).toEqual(['StorageKey']);
    expect(resourcesFor(trigger, 'kms:Decrypt')).toEqual(['StorageKey']);
    expect(apply.filter((s) => s.action.startsWith('kms:') && s.action.endsWith('*'))).toEqual([]);
  });
});
