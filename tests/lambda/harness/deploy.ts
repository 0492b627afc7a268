// Creates the synthesized template's resources on moto, in dependency order, as CloudFormation
// would name them, and resolves every intrinsic against them: the bucket, the queues with their
// redrive policies, the secrets (generated values, as CloudFormation generates them), the
// schedule group and schedules (Scheduler API). Functions, event source mappings and the
// function URL are run by the harness (moto's Lambda would need Docker). Resources with no
// behaviour under test (IAM, log groups, alarms, metric filters, policies, SNS, CDK metadata)
// get a physical id only, and are listed in `notEmulated`.
import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, CreateScheduleGroupCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, GetRandomPasswordCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FunctionConfig } from './execution-env.js';
import type { EventSourceMappingConfig } from './sqs-event-source.js';
import { Resolver, type CfnResource, type CfnTemplate, type PhysicalResource, type Pseudo } from './template.js';

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  secrets: SecretsManagerClient;
  scheduler: SchedulerClient;
}

export interface DeployedResources {
  physical: Map<string, PhysicalResource>;
  resolver: Resolver;
  functions: FunctionConfig[];
  eventSources: (EventSourceMappingConfig & { functionName: string })[];
  functionUrls: { logicalId: string; functionArn: string; authType: string; invokeMode: string }[];
  notEmulated: { logicalId: string; type: string }[];
}

/** The logical ids a value refers to (Ref, Fn::GetAtt, ${...} in Fn::Sub). */
function references(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) out.add(v);
      else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0] as string);
      else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of text.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) if (!m[1]?.startsWith('AWS::')) out.add(m[1] as string);
        if (Array.isArray(v)) references(v[1], out);
      } else references(v, out);
    }
  }
  return out;
}

function order(t: CfnTemplate): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (done.has(id)) return;
    if (path.includes(id)) throw new Error(`dependency cycle: ${[...path, id].join(' -> ')}`);
    const r = t.Resources[id];
    if (!r) return;
    const deps = references(r.Properties);
    for (const d of [r.DependsOn ?? []].flat()) deps.add(d);
    for (const d of deps) visit(d, [...path, id]);
    done.add(id);
    out.push(id);
  };
  for (const id of Object.keys(t.Resources)) visit(id, []);
  return out;
}

/** CloudFormation's generated names: <stack>-<logicalId>-<random>, cut to the service's limit. */
function generatedName(stack: string, id: string, max: number, lower = false): string {
  const suffix = randomBytes(6).toString('hex').toUpperCase();
  const head = `${stack}-${id}`.slice(0, max - suffix.length - 1);
  const name = `${head}-${suffix}`;
  return lower ? name.toLowerCase() : name;
}

export async function deployResources(
  t: CfnTemplate,
  assemblyDir: string,
  pseudo: Pseudo,
  clients: AwsClients,
): Promise<DeployedResources> {
  const physical = new Map<string, PhysicalResource>();
  const resolver = new Resolver(pseudo, (id) => {
    const p = physical.get(id);
    if (!p) throw new Error(`${id} is referenced before it exists`);
    return p;
  });
  const { region, account, stackName } = pseudo;
  const out: DeployedResources = { physical, resolver, functions: [], eventSources: [], functionUrls: [], notEmulated: [] };
  const str = (v: unknown) => resolver.resolveString(v);

  for (const id of order(t)) {
    const r = t.Resources[id] as CfnResource;
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    switch (r.Type) {
      case 'AWS::S3::Bucket': {
        const name = p.BucketName ? str(p.BucketName) : generatedName(stackName, id, 63, true);
        await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
        const versioning = p.VersioningConfiguration as { Status?: string } | undefined;
        if (versioning?.Status) {
          await clients.s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: versioning.Status as 'Enabled' } }));
        }
        physical.set(id, {
          ref: name,
          attributes: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${region}.amazonaws.com` },
        });
        break;
      }
      case 'AWS::SQS::Queue': {
        const fifo = p.FifoQueue === true;
        const name = p.QueueName ? str(p.QueueName) : generatedName(stackName, id, fifo ? 75 : 80) + (fifo ? '.fifo' : '');
        const attrs: Record<string, string> = {};
        for (const k of ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication']) {
          if (p[k] !== undefined) attrs[k] = String(resolver.resolve(p[k]));
        }
        if (p.RedrivePolicy) attrs.RedrivePolicy = JSON.stringify(resolver.resolve(p.RedrivePolicy));
        const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }))).QueueUrl as string;
        const arn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
        physical.set(id, { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } });
        break;
      }
      case 'AWS::SecretsManager::Secret': {
        const name = p.Name ? str(p.Name) : generatedName(stackName, id, 128);
        let value = p.SecretString !== undefined ? str(p.SecretString) : undefined;
        const gen = p.GenerateSecretString as Record<string, unknown> | undefined;
        if (value === undefined && gen) {
          const pw = await clients.secrets.send(
            new GetRandomPasswordCommand({
              PasswordLength: gen.PasswordLength as number | undefined,
              ExcludePunctuation: gen.ExcludePunctuation as boolean | undefined,
              ExcludeCharacters: gen.ExcludeCharacters as string | undefined,
              IncludeSpace: gen.IncludeSpace as boolean | undefined,
            }),
          );
          value = pw.RandomPassword;
          if (gen.SecretStringTemplate && gen.GenerateStringKey) {
            value = JSON.stringify({ ...JSON.parse(String(gen.SecretStringTemplate)), [String(gen.GenerateStringKey)]: value });
          }
        }
        const created = await clients.secrets.send(
          new CreateSecretCommand({ Name: name, Description: p.Description ? str(p.Description) : undefined, SecretString: value }),
        );
        physical.set(id, { ref: created.ARN as string, attributes: { Id: created.ARN as string } });
        break;
      }
      case 'AWS::Scheduler::ScheduleGroup': {
        const name = p.Name ? str(p.Name) : generatedName(stackName, id, 64);
        const created = await clients.scheduler.send(new CreateScheduleGroupCommand({ Name: name }));
        physical.set(id, { ref: name, attributes: { Arn: created.ScheduleGroupArn as string } });
        break;
      }
      case 'AWS::Scheduler::Schedule': {
        const name = p.Name ? str(p.Name) : generatedName(stackName, id, 64);
        const target = resolver.resolve(p.Target) as Record<string, unknown>;
        const created = await clients.scheduler.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: p.GroupName ? str(p.GroupName) : undefined,
            ScheduleExpression: str(p.ScheduleExpression),
            ScheduleExpressionTimezone: p.ScheduleExpressionTimezone ? str(p.ScheduleExpressionTimezone) : undefined,
            State: p.State ? (str(p.State) as 'ENABLED') : undefined,
            Description: p.Description ? str(p.Description) : undefined,
            FlexibleTimeWindow: resolver.resolve(p.FlexibleTimeWindow) as { Mode: 'OFF' },
            Target: target as never,
          }),
        );
        physical.set(id, { ref: name, attributes: { Arn: created.ScheduleArn as string } });
        break;
      }
      case 'AWS::IAM::Role': {
        const name = p.RoleName ? str(p.RoleName) : generatedName(stackName, id, 64);
        physical.set(id, { ref: name, attributes: { Arn: `arn:aws:iam::${account}:role/${name}`, RoleId: `AROA${randomBytes(8).toString('hex').toUpperCase()}` } });
        out.notEmulated.push({ logicalId: id, type: r.Type });
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const name = p.LogGroupName ? str(p.LogGroupName) : generatedName(stackName, id, 512);
        physical.set(id, { ref: name, attributes: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` } });
        out.notEmulated.push({ logicalId: id, type: r.Type });
        break;
      }
      case 'AWS::Lambda::Function': {
        const name = p.FunctionName ? str(p.FunctionName) : generatedName(stackName, id, 64);
        const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
        const assetPath = r.Metadata?.['aws:asset:path'];
        if (typeof assetPath !== 'string') throw new Error(`${id}: no aws:asset:path metadata (was the stack synthesized with bundling?)`);
        const env = ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
        const logGroup = (p.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
        out.functions.push({
          logicalId: id,
          name,
          arn,
          assetDir: join(assemblyDir, assetPath),
          handler: str(p.Handler),
          runtime: str(p.Runtime),
          // CloudFormation's defaults when the template leaves them out.
          memoryMb: p.MemorySize === undefined ? 128 : Number(resolver.resolve(p.MemorySize)),
          timeoutSeconds: p.Timeout === undefined ? 3 : Number(resolver.resolve(p.Timeout)),
          environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)])),
          reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : Number(resolver.resolve(p.ReservedConcurrentExecutions)),
          logGroup: logGroup ? str(logGroup) : `/aws/lambda/${name}`,
        });
        physical.set(id, { ref: name, attributes: { Arn: arn } });
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const sourceArn = str(p.EventSourceArn);
        const queue = [...physical.values()].find((q) => q.attributes.Arn === sourceArn && q.attributes.QueueUrl);
        if (!queue) throw new Error(`${id}: event source ${sourceArn} is not an SQS queue of this stack`);
        const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
        out.eventSources.push({
          logicalId: id,
          functionName: str(p.FunctionName),
          queueUrl: queue.attributes.QueueUrl as string,
          queueArn: sourceArn,
          batchSize: p.BatchSize === undefined ? 10 : Number(p.BatchSize),
          batchingWindowSeconds: p.MaximumBatchingWindowInSeconds === undefined ? 0 : Number(p.MaximumBatchingWindowInSeconds),
          reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
          maximumConcurrency: scaling?.MaximumConcurrency,
          enabled: p.Enabled !== false,
        });
        physical.set(id, { ref: randomBytes(16).toString('hex'), attributes: {} });
        break;
      }
      case 'AWS::Lambda::Url': {
        out.functionUrls.push({
          logicalId: id,
          functionArn: str(p.TargetFunctionArn),
          authType: str(p.AuthType),
          invokeMode: p.InvokeMode ? str(p.InvokeMode) : 'BUFFERED',
        });
        // The URL is known once the harness listens; stack.ts fills it in.
        physical.set(id, { ref: id, attributes: { FunctionArn: str(p.TargetFunctionArn), FunctionUrl: '' } });
        break;
      }
      default: {
        const arn = `arn:aws:${r.Type.split('::')[1]?.toLowerCase()}:${region}:${account}:${id}`;
        physical.set(id, { ref: id, attributes: { Arn: arn } });
        out.notEmulated.push({ logicalId: id, type: r.Type });
      }
    }
  }
  return out;
}
