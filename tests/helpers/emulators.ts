// Real-protocol AWS emulators for tests: s3rver (S3) and local-aws-sqs (SQS), on random ports.
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqsServer } from 'local-aws-sqs';
import S3rver from 's3rver';

export const FAKE_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const REGION = 'us-east-1';

export interface S3Emulator {
  endpoint: string;
  bucket: string;
  client: S3Client;
  close(): Promise<void>;
}

/**
 * s3rver 3.7 ignores If-None-Match on PutObject (it only reads it on GET). Real S3 answers a
 * conditional create of an existing key with 412 PreconditionFailed; this middleware gives
 * the emulator that behaviour, serialised per key as S3 is, so the fan-in code is tested
 * against the semantics it relies on. Without it, S3ObjectStore's probe refuses to run.
 */
function conditionalPuts(server: S3rver) {
  const locks = new Map<string, Promise<void>>();
  return async (ctx: Parameters<S3rver['middleware'][number]>[0], next: () => Promise<void>) => {
    const header = ctx.headers['if-none-match'];
    const [, bucket, ...rest] = ctx.path.split('/');
    if (ctx.method !== 'PUT' || header !== '*' || !bucket || rest.length === 0) return next();
    const key = decodeURIComponent(rest.join('/'));
    const id = `${bucket}/${key}`;
    const previous = locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    locks.set(id, previous.then(() => mine));
    await previous;
    try {
      if (await server.store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
          '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
          '<Condition>If-None-Match</Condition></Error>';
        return;
      }
      await next();
    } finally {
      release();
      if (locks.get(id) === mine) locks.delete(id);
    }
  };
}

export async function startS3(opts: { conditionalWrites?: boolean; bucket?: string } = {}): Promise<S3Emulator> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const bucket = opts.bucket ?? 'sync-runs';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  if (opts.conditionalWrites !== false) server.middleware.unshift(conditionalPuts(server));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS, forcePathStyle: true });
  return {
    endpoint,
    bucket,
    client,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** For code that builds its own S3 client from the environment (the CLI): the emulator's
 *  credentials and region in process.env. */
export function useFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = REGION;
}

export interface SqsEmulator {
  endpoint: string;
  client: SQSClient;
  createQueue(name: string, attributes?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export async function startSqs(): Promise<SqsEmulator> {
  const server = await createSqsServer({ port: 0, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  return {
    endpoint,
    client,
    async createQueue(name, attributes) {
      const out = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      return out.QueueUrl as string;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
