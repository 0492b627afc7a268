// What every Lambda handler builds once per container from its environment:
//   BUCKET_NAME            the store bucket (configs/ and runs/)
//   STORE_PREFIX           optional key prefix inside it
//   S3_FORCE_PATH_STYLE    'true' for S3-compatible endpoints (emulators)
//   LOAD_QUEUE_URL, DIFF_QUEUE_URL, APPLY_QUEUE_URL
//   MAX_RECEIVE_COUNT      the queues' redrive maxReceiveCount (a load gives up after it); default 3
//   BATCH_SIZE             changes per apply message's batch file; default 100
//   <NAME>_SECRET_ARN      Secrets Manager ARN (or ARN#jsonKey) resolved into <NAME> at run time,
//                          e.g. INFRAHUB_API_TOKEN_SECRET_ARN, NAUTOBOT_TOKEN_SECRET_ARN
//   WEBHOOK_SECRET_ARN     the webhooks' secret: a string for every config, or JSON {"<config>": "..."};
//                          WEBHOOK_SECRET (plain) is used when there is no ARN (local, tests)
//   POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL as usual
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LoadedConfig } from '../../config/types.js';
import { parseConfig } from '../../config/load.js';
import type { ObjectStore } from '../ports.js';
import { CachedAdapters } from '../run/adapters.js';
import type { RunDeps } from '../run/types.js';
import { fromPowertools, recordMetrics, RunMetrics } from './powertools.js';
import { S3ObjectStore } from './s3-store.js';
import { SecretResolver, secretsManagerFetcher } from './secrets.js';
import { SqsQueue } from './sqs-queue.js';

export interface AwsRuntime {
  deps: RunDeps;
  store: ObjectStore;
  secrets: SecretResolver;
  logger: PowertoolsLogger;
  metrics: Metrics;
  batchSize: number;
  /** configs/<name>.yml (or .yaml) from the bucket; undefined when there is none. */
  loadConfig(name: string): Promise<LoadedConfig | undefined>;
  webhookSecret(name: string): Promise<string | undefined>;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

export function awsRuntimeFromEnv(env: NodeJS.ProcessEnv = process.env, serviceName = 'infrahub-sync'): AwsRuntime {
  const logger = new PowertoolsLogger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? serviceName });
  const metrics = new RunMetrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? 'InfrahubSync', serviceName });
  // Path-style addressing for S3-compatible endpoints that have no per-bucket host names.
  const s3 = new S3Client({ forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true' });
  const sqs = new SQSClient({});
  const secrets = new SecretResolver(secretsManagerFetcher(new SecretsManagerClient({})));
  const store = new S3ObjectStore(s3, required(env, 'BUCKET_NAME'), { prefix: env.STORE_PREFIX });
  const queue = (name: string) => {
    const url = env[name];
    // A function that never sends to a queue need not be given its URL.
    return new SqsQueue(sqs, url ?? `https://sqs.invalid/000000000000/${name}-not-configured`);
  };
  const log = fromPowertools(logger);
  const maxReceive = Number(env.MAX_RECEIVE_COUNT ?? '3');
  const deps: RunDeps = {
    store,
    queues: { load: queue('LOAD_QUEUE_URL'), diff: queue('DIFF_QUEUE_URL'), apply: queue('APPLY_QUEUE_URL') },
    adapters: new CachedAdapters(() => secrets.resolveEnv(env), log),
    logger: log,
    maxLoadAttempts: maxReceive,
    onEvent: (e) => recordMetrics(metrics, e),
  };
  return {
    deps,
    store,
    secrets,
    logger,
    metrics,
    batchSize: Number(env.BATCH_SIZE ?? '100'),
    async loadConfig(name) {
      for (const ext of ['yml', 'yaml']) {
        const key = `configs/${name}.${ext}`;
        const text = await store.get(key);
        if (text !== undefined) return parseConfig(text, key);
      }
      return undefined;
    },
    async webhookSecret(name) {
      const text = env.WEBHOOK_SECRET_ARN ? await secrets.get(env.WEBHOOK_SECRET_ARN) : env.WEBHOOK_SECRET;
      if (!text) return undefined;
      if (!text.trimStart().startsWith('{')) return text;
      const perConfig = JSON.parse(text) as Record<string, unknown>;
      return typeof perConfig[name] === 'string' ? perConfig[name] : undefined;
    },
  };
}
