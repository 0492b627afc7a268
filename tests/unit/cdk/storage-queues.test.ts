import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTemplate } from './helpers.js';

describe('store bucket', () => {
  const { template } = buildTemplate({ bucket: { runsExpirationDays: 45 } });
  const buckets = template.findResources('AWS::S3::Bucket');
  const [storeId] = Object.entries(buckets).find(([id]) => id.startsWith('StorageBucket')) ?? [];

  it('is encrypted (SSE-S3 by default), versioned, private and owner-enforced', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^StorageAccessLogs') }, LogFilePrefix: 'store/' },
    });
  });

  it('expires runs/ after the configured days, and old versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-runs', Prefix: 'runs/', ExpirationInDays: 45, Status: 'Enabled' }),
          Match.objectLike({ Id: 'expire-webhook-markers', Prefix: 'webhooks/', ExpirationInDays: 1 }),
          Match.objectLike({ Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        ]),
      },
    });
  });

  it('refuses plain HTTP with a bucket policy', () => {
    expect(storeId).toBeDefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: storeId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is retained when the stack is deleted', () => {
    expect(buckets[storeId as string]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has a separate access-log bucket that is itself private and TLS-only', () => {
    const logsId = Object.keys(buckets).find((id) => id.startsWith('StorageAccessLogs')) as string;
    expect(buckets[logsId]?.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });

  it('uploads no configs unless a folder is configured', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('store bucket options', () => {
  it('uses a rotating customer KMS key with encryption: kms', () => {
    const { template } = buildTemplate({ bucket: { encryption: 'kms' } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          },
        ],
      },
    });
  });

  it('uploads the configs folder to configs/ without pruning pushed configs', () => {
    const { template } = buildTemplate({ bucket: { configsDir: 'configs/file-demo', accessLogs: false } });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'configs/',
      Prune: false,
      RetainOnDelete: true,
    });
    template.resourceCountIs('AWS::S3::Bucket', 1);
  });
});

describe('work queues', () => {
  const { template } = buildTemplate({
    functions: { loader: { timeoutSeconds: 120 }, diff: { timeoutSeconds: 400 }, apply: { timeoutSeconds: 200 } },
    queues: { maxMessageSizeBytes: 524_288 },
  });
  const queues = template.findResources('AWS::SQS::Queue');
  const byPrefix = (prefix: string) =>
    Object.entries(queues).find(([id]) => id.startsWith(prefix) && !id.startsWith(`${prefix}Dlq`)) ?? [];

  it.each([
    ['LoadQueue', 120],
    ['DiffQueue', 400],
    ['ApplyQueue', 200],
  ])('%s: DLQ after 5 receives, visibility 6x its consumer timeout, explicit size, encrypted', (prefix, timeout) => {
    const [, queue] = byPrefix(prefix);
    expect(queue?.Properties).toMatchObject({
      VisibilityTimeout: timeout * 6,
      MaximumMessageSize: 524_288,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(`^${prefix}Dlq`), 'Arn'] } },
    });
  });

  it('keeps dead letters 14 days, encrypted, with the same explicit size', () => {
    const dlqs = Object.entries(queues).filter(([id]) => /^(Load|Diff|Apply)QueueDlq/.test(id));
    expect(dlqs).toHaveLength(3);
    for (const [, dlq] of dlqs) {
      expect(dlq.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true, MaximumMessageSize: 524_288 });
    }
  });

  it('are standard queues (fan-in is an S3 conditional write, not FIFO)', () => {
    for (const q of Object.values(queues)) expect(q.Properties?.FifoQueue).toBeUndefined();
  });

  it('refuse plain HTTP, every one of them', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const denied = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[])
        .filter((s) => s.Effect === 'Deny')
        .map((s) => s.Condition),
    );
    expect(Object.keys(queues)).toHaveLength(6);
    expect(policies).toHaveLength(6);
    for (const c of denied) expect(c).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });
});
