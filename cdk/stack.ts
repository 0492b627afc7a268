// The whole deployment: store, queues, functions, triggers, secrets, alarms. Wiring only.
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Alarms } from './constructs/alarms.js';
import { serviceName, SyncFunction, type HandlerName } from './constructs/functions.js';
import { WorkQueue } from './constructs/queues.js';
import { Secrets } from './constructs/secrets.js';
import { STORE_PREFIXES, Storage } from './constructs/storage.js';
import { Schedules, WebhookEndpoint } from './constructs/triggers.js';
import type { DeploymentSettings } from './settings.js';

export const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'functions');

export interface InfrahubSyncStackProps extends StackProps {
  settings: DeploymentSettings;
  /** Where the handlers' sources are; tests point elsewhere only to prove the wiring. */
  functionsDir?: string;
}

type Consumer = 'loader' | 'diff' | 'apply';

export class InfrahubSyncStack extends Stack {
  readonly storage: Storage;
  readonly queues: Record<'load' | 'diff' | 'apply', WorkQueue>;
  readonly functions: Record<HandlerName, SyncFunction>;
  readonly secrets: Secrets;
  readonly alarms: Alarms;
  readonly webhook?: WebhookEndpoint;
  readonly schedules?: Schedules;

  constructor(scope: Construct, id: string, props: InfrahubSyncStackProps) {
    super(scope, id, props);
    const s = props.settings;
    const fnSettings = s.functions;

    this.storage = new Storage(this, 'Storage', { settings: s.bucket, logRetentionDays: s.logRetentionDays });
    const queue = (qid: string, consumer: Consumer) =>
      new WorkQueue(this, qid, { settings: s.queues, consumerTimeout: Duration.seconds(fnSettings[consumer].timeoutSeconds) });
    this.queues = { load: queue('LoadQueue', 'loader'), diff: queue('DiffQueue', 'diff'), apply: queue('ApplyQueue', 'apply') };
    this.secrets = new Secrets(this, 'Secrets', { secrets: s.secrets, webhook: s.webhook, namePrefix: this.stackName });

    const common = {
      BUCKET_NAME: this.storage.bucket.bucketName,
      MAX_RECEIVE_COUNT: String(s.queues.maxReceiveCount),
      BATCH_SIZE: String(s.changesPerBatch),
      ...s.environment,
    };
    const make = (handler: HandlerName, id: string, reservedConcurrency?: number) =>
      new SyncFunction(this, id, {
        handler,
        functionsDir: props.functionsDir ?? FUNCTIONS_DIR,
        memoryMb: fnSettings[handler].memoryMb,
        timeoutSeconds: fnSettings[handler].timeoutSeconds,
        reservedConcurrency,
        environment: common,
        logRetentionDays: s.logRetentionDays,
        logLevel: s.logLevel,
        metricsNamespace: s.metricsNamespace,
      });
    this.functions = {
      trigger: make('trigger', 'TriggerFunction'),
      webhook: make('webhook', 'WebhookFunction', s.webhook.reservedConcurrency),
      loader: make('loader', 'LoaderFunction', fnSettings.loader.reservedConcurrency),
      diff: make('diff', 'DiffFunction', fnSettings.diff.reservedConcurrency),
      apply: make('apply', 'ApplyFunction', fnSettings.apply.reservedConcurrency),
    };
    this.grantAccess();
    this.connectQueues(s);

    this.functions.webhook.fn.addEnvironment('WEBHOOK_TOLERANCE_SECONDS', String(s.webhook.toleranceSeconds));
    if (s.webhook.enabled) {
      this.webhook = new WebhookEndpoint(this, 'Webhook', { webhook: this.functions.webhook.fn });
      new CfnOutput(this, 'WebhookUrl', {
        value: this.webhook.url.url,
        description: 'NetBox/Nautobot webhook target: <url>webhooks/<config name>',
      });
    }
    let schedulerDlq: sqs.Queue | undefined;
    if (s.schedules.length > 0) {
      schedulerDlq = new sqs.Queue(this, 'SchedulerDlq', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(s.queues.dlqRetentionDays),
        maxMessageSizeBytes: s.queues.maxMessageSizeBytes,
      });
      Validations.of(schedulerDlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the EventBridge Scheduler targets.',
      });
      this.schedules = new Schedules(this, 'Schedules', {
        schedules: s.schedules,
        trigger: this.functions.trigger.fn,
        deadLetterQueue: schedulerDlq,
      });
    }

    const fns = this.functions;
    this.alarms = new Alarms(this, 'Alarms', {
      settings: s.alarms,
      metricsNamespace: s.metricsNamespace,
      deadLetterQueues: {
        Load: this.queues.load.deadLetterQueue,
        Diff: this.queues.diff.deadLetterQueue,
        Apply: this.queues.apply.deadLetterQueue,
        ...(schedulerDlq ? { Scheduler: schedulerDlq } : {}),
      },
      functions: { Trigger: fns.trigger.fn, Webhook: fns.webhook.fn, Loader: fns.loader.fn, Diff: fns.diff.fn, Apply: fns.apply.fn },
      runLogGroups: { Loader: fns.loader.logGroup, Diff: fns.diff.logGroup, Apply: fns.apply.logGroup },
      applyService: serviceName('apply'),
    });

    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'configs/ and runs/ live here' });
    new CfnOutput(this, 'TriggerFunctionName', {
      value: fns.trigger.fn.functionName,
      description: 'aws lambda invoke --function-name <this> --payload \'{"name":"<config>","mode":"sync"}\'',
    });
    if (this.secrets.webhookSecret) new CfnOutput(this, 'WebhookSecretArn', { value: this.secrets.webhookSecret.secretArn });
    for (const sec of this.secrets.adapterSecrets) {
      new CfnOutput(this, `${sec.env}SecretArn`, { value: sec.secret.secretArn, description: `\${${sec.env}}` });
    }
  }

  /** Per function, only the prefixes, queues and secrets its steps touch. */
  private grantAccess(): void {
    const { storage, queues, secrets } = this;
    const f = this.functions;
    for (const fn of Object.values(f)) storage.grantList(fn.role);

    // trigger, webhook: read configs/<name>.yml, take the config's run lock (a conditional
    // write under runs/, hence the probe), write the run record, fan out the loads.
    for (const fn of [f.trigger, f.webhook]) {
      storage.grantRead(fn.role, STORE_PREFIXES.configs);
      storage.grantReadWrite(fn.role, STORE_PREFIXES.runs);
      storage.grantProbe(fn.role);
      queues.load.queue.grantSendMessages(fn.role);
      fn.fn.addEnvironment('LOAD_QUEUE_URL', queues.load.queue.queueUrl);
    }
    // webhook: replay markers are conditional writes, deleted again when a run fails to start.
    storage.grantReadWrite(f.webhook.role, STORE_PREFIXES.webhooks, { delete: true });
    secrets.bindWebhookSecret(f.webhook.fn);

    // loader -> diff queue, diff -> apply queue, apply -> apply queue (the next stage).
    const next: [SyncFunction, WorkQueue, string][] = [
      [f.loader, queues.diff, 'DIFF_QUEUE_URL'],
      [f.diff, queues.apply, 'APPLY_QUEUE_URL'],
      [f.apply, queues.apply, 'APPLY_QUEUE_URL'],
    ];
    for (const [fn, q, env] of next) {
      storage.grantReadWrite(fn.role, STORE_PREFIXES.runs);
      storage.grantProbe(fn.role);
      q.queue.grantSendMessages(fn.role);
      fn.fn.addEnvironment(env, q.queue.queueUrl);
    }
    // Adapters are opened by the loader (both sides) and apply (the destination) only.
    secrets.bindAdapterSecrets(f.loader.fn);
    secrets.bindAdapterSecrets(f.apply.fn);
  }

  private connectQueues(s: DeploymentSettings): void {
    const pairs: [Consumer, WorkQueue][] = [
      ['loader', this.queues.load],
      ['diff', this.queues.diff],
      ['apply', this.queues.apply],
    ];
    for (const [name, q] of pairs) {
      const fnSettings = s.functions[name];
      this.functions[name].fn.addEventSource(
        new SqsEventSource(q.queue, {
          batchSize: fnSettings.batchSize,
          reportBatchItemFailures: true,
          maxConcurrency: fnSettings.maxConcurrency,
        }),
      );
    }
  }
}
