// AWS emulators for tests: moto's server (tests/helpers/moto.ts) on a random port, with clients.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FAKE_CREDENTIALS, REGION, startMoto, type MotoServer } from './moto.js';

export { FAKE_CREDENTIALS, REGION } from './moto.js';

export interface S3Emulator {
  endpoint: string;
  bucket: string;
  client: S3Client;
  close(): Promise<void>;
}

export interface SqsEmulator {
  endpoint: string;
  client: SQSClient;
  createQueue(name: string, attributes?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** One moto server: S3 with a bucket, and SQS. */
export interface AwsEmulator {
  endpoint: string;
  moto: MotoServer;
  s3: S3Emulator;
  sqs: SqsEmulator;
  close(): Promise<void>;
}

export async function startAws(opts: { bucket?: string } = {}): Promise<AwsEmulator> {
  const moto = await startMoto();
  const endpoint = moto.endpoint;
  const bucket = opts.bucket ?? 'sync-runs';
  // An IP endpoint makes the SDK address buckets by path, as S3-compatible servers need.
  const s3client = new S3Client({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  const sqsClient = new SQSClient({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  await s3client.send(new CreateBucketCommand({ Bucket: bucket }));
  const close = async () => {
    s3client.destroy();
    sqsClient.destroy();
    await moto.stop();
  };
  return {
    endpoint,
    moto,
    close,
    s3: { endpoint, bucket, client: s3client, close },
    sqs: {
      endpoint,
      client: sqsClient,
      async createQueue(name, attributes) {
        const out = await sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
        return out.QueueUrl as string;
      },
      close,
    },
  };
}

export async function startS3(opts: { bucket?: string } = {}): Promise<S3Emulator> {
  return (await startAws(opts)).s3;
}

export async function startSqs(): Promise<SqsEmulator> {
  return (await startAws()).sqs;
}

/** For code that builds its own AWS clients from the environment (the CLI): the emulator's
 *  credentials and region in process.env. */
export function useFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = REGION;
}
