// The store bucket: configs/<name>.yml, runs/<name>/<runId>/..., webhooks/<name>/<sha256> (replay
// markers) and .probes/ (the runtime's one-off check that conditional writes are honoured).
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../settings.js';
import { acknowledgeWildcardResource, arnToken } from './acknowledge.js';

export const STORE_PREFIXES = {
  configs: 'configs/',
  runs: 'runs/',
  webhooks: 'webhooks/',
  probes: '.probes/',
} as const;

export interface StorageProps {
  settings: DeploymentSettings['bucket'];
  logRetentionDays: DeploymentSettings['logRetentionDays'];
}

export class Storage extends Construct {
  readonly bucket: s3.Bucket;
  readonly key?: kms.Key;
  readonly accessLogs?: s3.Bucket;
  private readonly logRetentionDays: number;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const s = props.settings;
    this.logRetentionDays = props.logRetentionDays;
    // Log delivery by bucket policy, not the legacy ACL (which BUCKET_OWNER_ENFORCED forbids).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    if (s.encryption === 'kms') {
      this.key = new kms.Key(this, 'Key', {
        description: 'infrahub-sync store bucket',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    if (s.accessLogs) {
      this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
        // Server access log delivery supports only SSE-S3 on the target bucket.
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(Math.max(s.runsExpirationDays, 90)) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.accessLogs).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log target bucket; logging it into itself would loop.',
      });
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: s.name,
      encryption: this.key ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: this.key,
      bucketKeyEnabled: this.key ? true : undefined,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: this.accessLogs ? 'store/' : undefined,
      lifecycleRules: [
        { id: 'expire-runs', prefix: STORE_PREFIXES.runs, expiration: Duration.days(s.runsExpirationDays) },
        // Replay markers must outlive the window in which a delivery's timestamp is accepted
        // (twice webhook.toleranceSeconds, at most 12 h); after it the timestamp refuses a
        // replay. Lifecycle expiry never comes early, only late.
        { id: 'expire-webhook-markers', prefix: STORE_PREFIXES.webhooks, expiration: Duration.days(1) },
        { id: 'expire-probes', prefix: STORE_PREFIXES.probes, expiration: Duration.days(1) },
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(s.noncurrentVersionExpirationDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!this.accessLogs) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'Server access logs turned off in the deployment settings (bucket.accessLogs: false).',
      });
    }
    if (s.configsDir) this.deployConfigs(s.configsDir);
  }

  /** Uploads the folder's YAML files to configs/; prune is off so pushed configs survive a deploy. */
  private deployConfigs(dir: string): void {
    new s3deploy.BucketDeployment(this, 'Configs', {
      sources: [s3deploy.Source.asset(dir, { exclude: ['**', '!*.yml', '!*.yaml'] })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: STORE_PREFIXES.configs,
      prune: false,
      retainOnDelete: true,
      logGroup: new logs.LogGroup(this, 'ConfigsDeploymentLogs', {
        retention: this.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    // The upload runs in CDK's shared BucketDeployment function, not in our code.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const reason = (what: string) => `CDK's BucketDeployment upload function (deploy-time only): ${what}.`;
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: reason('its runtime is chosen by aws-cdk-lib') },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: reason('the managed policy only grants writing its own logs'),
      },
    );
    const wildcards = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Action::kms:ReEncrypt*',
      'Action::kms:GenerateDataKey*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::${arnToken(this.bucket)}/*`,
    ];
    for (const w of wildcards) {
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[${w}]`,
        reason: reason('grants come from BucketDeployment (asset bucket read, store bucket write)'),
      });
    }
  }

  /** s3:ListBucket on the bucket: without it S3 answers 403 instead of 404 for a missing key, and
   *  the runtime reads "missing" as a normal answer (no config, no snapshot yet). */
  grantList(grantee: iam.Role): void {
    grantee.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }

  grantRead(grantee: iam.Role, prefix: string): void {
    this.grantObjects(grantee, prefix, ['s3:GetObject']);
    this.grantKey(grantee, ['kms:Decrypt']);
  }

  grantReadWrite(grantee: iam.Role, prefix: string, opts: { delete?: boolean } = {}): void {
    this.grantObjects(grantee, prefix, ['s3:GetObject', 's3:PutObject', ...(opts.delete ? ['s3:DeleteObject'] : [])]);
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']);
  }

  /** What S3ObjectStore.putIfAbsent needs before its first conditional write. */
  grantProbe(grantee: iam.Role): void {
    this.grantObjects(grantee, STORE_PREFIXES.probes, ['s3:PutObject', 's3:DeleteObject']);
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']);
  }

  /** The exact KMS actions SSE-KMS needs (Key.grant* would add wildcard actions). */
  private grantKey(grantee: iam.Role, actions: string[]): void {
    if (!this.key) return;
    grantee.addToPolicy(new iam.PolicyStatement({ actions, resources: [this.key.keyArn] }));
  }

  private grantObjects(grantee: iam.Role, prefix: string, actions: string[]): void {
    grantee.addToPolicy(new iam.PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${prefix}*`)] }));
    acknowledgeWildcardResource(
      grantee,
      `${arnToken(this.bucket)}/${prefix}*`,
      `Object actions limited to the ${prefix} prefix; the keys under it are made per run and unknown at deploy time.`,
    );
  }
}
