// The stack as AWS would run it, on this machine: `cdk synth` (cached), its resources on moto,
// each function's bundle in Lambda execution environments (Node 22 + aws-lambda-ric under
// aws-lambda-rie) with the template's environment, memory and timeout, the template's SQS event
// source mappings driving them, the function URL in front of the webhook function, and the
// schedules fired on demand through the Scheduler API's own record of them.
import { S3Client } from '@aws-sdk/client-s3';
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeploymentSettingsInput } from '../../../cdk/settings.js';
import { S3ObjectStore } from '../../../shared/runtime/aws/s3-store.js';
import { ACCOUNT, FAKE_CREDENTIALS, REGION, startMoto, type MotoServer } from '../../helpers/moto.js';
import { INSTALL_HINT, lambdaTools, toolsReady } from '../../helpers/tools.js';
import { deployResources, type AwsClients, type DeployedResources } from './deploy.js';
import type { AwsContext } from './execution-env.js';
import { startFunctionUrl, type FunctionUrl } from './function-url.js';
import { LambdaFunction } from './lambda-function.js';
import { SqsEventSource } from './sqs-event-source.js';
import { synthesize, type Assembly } from './synth.js';
import { readTemplate, type CfnTemplate } from './template.js';

export type HandlerName = 'trigger' | 'webhook' | 'loader' | 'diff' | 'apply';
export type QueueKind = 'load' | 'diff' | 'apply';

const HANDLER_PREFIX: Record<HandlerName, string> = {
  trigger: 'TriggerFunction',
  webhook: 'WebhookFunction',
  loader: 'LoaderFunction',
  diff: 'DiffFunction',
  apply: 'ApplyFunction',
};
const CONSUMER: Record<QueueKind, HandlerName> = { load: 'loader', diff: 'diff', apply: 'apply' };

export interface QueueRef {
  url: string;
  arn: string;
  dlqUrl: string;
  maxReceiveCount: number;
  visibilityTimeout: number;
}

export interface DeployedStack {
  assembly: Assembly;
  template: CfnTemplate;
  moto: MotoServer;
  clients: AwsClients;
  resources: DeployedResources;
  bucket: string;
  store: S3ObjectStore;
  functions: Record<HandlerName, LambdaFunction>;
  eventSources: Record<QueueKind, SqsEventSource>;
  queues: Record<QueueKind, QueueRef>;
  /** The webhook function URL (ends with "/"), when the stack has one. */
  webhookUrl?: string;
  /** The last lines each function logged, oldest first. */
  logs(fn?: HandlerName): string[];
  /** What an operator does after the first deploy: put the real value in a created secret. */
  putSecret(env: string, value: string): Promise<void>;
  secretArn(env: string): string;
  /** Invokes a schedule's target with the schedule's input, as EventBridge Scheduler does. */
  fireSchedule(name?: string): Promise<unknown>;
  /** Moves every message of a dead-letter queue back to its source queue (SQS's redrive). */
  redrive(kind: QueueKind): Promise<number>;
  queueCounts(kind: QueueKind): Promise<{ visible: number; inFlight: number; dead: number }>;
  stop(): Promise<void>;
}

async function counts(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const a = (
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    )
  ).Attributes;
  return { visible: Number(a?.ApproximateNumberOfMessages ?? 0), inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

export async function deployStack(settings: DeploymentSettingsInput, opts: { echoLogs?: boolean } = {}): Promise<DeployedStack> {
  if (!toolsReady('moto') || !toolsReady('lambda')) throw new Error(`the Lambda test tooling is missing. ${INSTALL_HINT}`);
  const assembly = await synthesize(settings);
  const template = readTemplate(assembly.templatePath);
  const moto = await startMoto();
  const clientConfig = { endpoint: moto.endpoint, region: REGION, credentials: FAKE_CREDENTIALS };
  const clients: AwsClients = {
    s3: new S3Client(clientConfig),
    sqs: new SQSClient(clientConfig),
    secrets: new SecretsManagerClient(clientConfig),
    scheduler: new SchedulerClient(clientConfig),
  };
  const started: { stop(): Promise<void> }[] = [];
  const lines = new Map<string, string[]>();
  const log = (fn: string, line: string) => {
    const list = lines.get(fn) ?? [];
    list.push(line);
    if (list.length > 2000) list.shift();
    lines.set(fn, list);
    if (opts.echoLogs || process.env.LAMBDA_LOGS) process.stderr.write(`[${fn}] ${line}\n`);
  };
  try {
    const resources = await deployResources(template, assembly.dir, { region: REGION, account: ACCOUNT, stackName: assembly.stackName }, clients);
    const aws: AwsContext = {
      endpoint: moto.endpoint,
      region: REGION,
      credentials: { ...FAKE_CREDENTIALS, sessionToken: 'role-session-token' },
    };
    const tools = lambdaTools();
    const byId = new Map(resources.functions.map((f) => [f.logicalId, new LambdaFunction(f, aws, tools, log)]));
    for (const f of byId.values()) started.push(f);
    const fn = (name: HandlerName) => {
      const hit = [...byId.entries()].find(([id]) => id.startsWith(HANDLER_PREFIX[name]));
      if (!hit) throw new Error(`no ${name} function in the template`);
      return hit[1];
    };
    const functions = Object.fromEntries((Object.keys(HANDLER_PREFIX) as HandlerName[]).map((h) => [h, fn(h)])) as Record<HandlerName, LambdaFunction>;
    const fnByName = (name: string) => [...byId.values()].find((f) => f.cfg.name === name || f.cfg.arn === name);

    const eventSources = {} as Record<QueueKind, SqsEventSource>;
    const queues = {} as Record<QueueKind, QueueRef>;
    for (const kind of Object.keys(CONSUMER) as QueueKind[]) {
      const consumer = functions[CONSUMER[kind]];
      const esm = resources.eventSources.find((e) => fnByName(e.functionName) === consumer);
      if (!esm) throw new Error(`no event source mapping drives the ${CONSUMER[kind]} function`);
      const source = new SqsEventSource(esm, clients.sqs, consumer, REGION, (err) => log(esm.logicalId, `event source error: ${String(err)}`));
      eventSources[kind] = source;
      started.push(source);
      const attrs = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: esm.queueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
      const redrive = JSON.parse(attrs.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
      const dlq = [...resources.physical.values()].find((p) => p.attributes.Arn === redrive.deadLetterTargetArn);
      if (!dlq?.attributes.QueueUrl) throw new Error(`the ${kind} queue has no dead-letter queue`);
      queues[kind] = {
        url: esm.queueUrl,
        arn: esm.queueArn,
        dlqUrl: dlq.attributes.QueueUrl,
        maxReceiveCount: Number(redrive.maxReceiveCount),
        visibilityTimeout: Number(attrs.VisibilityTimeout),
      };
    }
    for (const s of Object.values(eventSources)) s.start();

    let webhookUrl: string | undefined;
    for (const u of resources.functionUrls) {
      const target = fnByName(u.functionArn);
      if (!target) throw new Error(`${u.logicalId}: no function ${u.functionArn}`);
      if (u.authType !== 'NONE' || u.invokeMode !== 'BUFFERED') throw new Error(`${u.logicalId}: only AuthType NONE / BUFFERED is emulated`);
      const url: FunctionUrl = await startFunctionUrl(target, REGION);
      started.push(url);
      (resources.physical.get(u.logicalId) as { attributes: Record<string, string> }).attributes.FunctionUrl = url.url;
      if (target === functions.webhook) webhookUrl = url.url;
    }

    const bucketId = Object.keys(template.Resources).find((id) => id.startsWith('StorageBucket') && template.Resources[id]?.Type === 'AWS::S3::Bucket');
    const bucket = resources.physical.get(bucketId ?? '')?.ref;
    if (!bucket) throw new Error('no store bucket in the template');
    const secretArn = (env: string) => {
      const arn = functions.loader.cfg.environment[`${env}_SECRET_ARN`] ?? functions.webhook.cfg.environment[env === 'WEBHOOK' ? 'WEBHOOK_SECRET_ARN' : ''];
      if (!arn) throw new Error(`no secret is bound to ${env}`);
      return arn;
    };

    return {
      assembly,
      template,
      moto,
      clients,
      resources,
      bucket,
      store: new S3ObjectStore(clients.s3, bucket),
      functions,
      eventSources,
      queues,
      webhookUrl,
      logs: (f) => (f ? (lines.get(functions[f].cfg.logicalId) ?? []) : [...lines.entries()].flatMap(([k, v]) => v.map((l) => `[${k}] ${l}`))),
      secretArn,
      async putSecret(env, value) {
        await clients.secrets.send(new PutSecretValueCommand({ SecretId: secretArn(env), SecretString: value }));
      },
      async fireSchedule(name) {
        const list = (await clients.scheduler.send(new ListSchedulesCommand({}))).Schedules ?? [];
        const summary = name ? list.find((s) => s.Name === name) : list[0];
        if (!summary?.Name) throw new Error(`no schedule ${name ?? ''}`);
        const s = await clients.scheduler.send(new GetScheduleCommand({ Name: summary.Name, GroupName: summary.GroupName }));
        const target = fnByName(s.Target?.Arn ?? '');
        if (!target) throw new Error(`schedule ${summary.Name} targets ${s.Target?.Arn}, not a function of this stack`);
        const result = await target.invoke(JSON.parse(s.Target?.Input ?? '{}'));
        if (result.status !== 'ok') throw new Error(`schedule target failed (${result.status}): ${result.raw}`);
        return result.payload;
      },
      async redrive(kind) {
        const q = queues[kind];
        let moved = 0;
        for (;;) {
          const got = (
            await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 30 }))
          ).Messages ?? [];
          if (got.length === 0) return moved;
          for (const m of got) {
            await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: m.Body, MessageAttributes: m.MessageAttributes }));
            await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: q.dlqUrl, ReceiptHandle: m.ReceiptHandle }));
            moved++;
          }
        }
      },
      async queueCounts(kind) {
        const q = queues[kind];
        const [main, dead] = await Promise.all([counts(clients.sqs, q.url), counts(clients.sqs, q.dlqUrl)]);
        return { ...main, dead: dead.visible + dead.inFlight };
      },
      async stop() {
        await Promise.allSettled(started.map((s) => s.stop()));
        for (const c of Object.values(clients)) c.destroy();
        await moto.stop();
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.stop()));
    await moto.stop();
    throw err;
  }
}
