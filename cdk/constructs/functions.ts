// One Lambda function per handler in functions/: its own role (no managed policies; grants are
// added by the stack per resource), its own log group with retention, bundled by local esbuild.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import type { DeploymentSettings } from '../settings.js';

export type HandlerName = 'trigger' | 'webhook' | 'loader' | 'diff' | 'apply';

export const RUNTIME = lambda.Runtime.NODEJS_22_X;

export interface SyncFunctionProps {
  handler: HandlerName;
  /** Folder holding <handler>.ts. */
  functionsDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency?: number;
  environment: Record<string, string>;
  logRetentionDays: DeploymentSettings['logRetentionDays'];
  logLevel: DeploymentSettings['logLevel'];
  metricsNamespace: string;
}

/** The Powertools service name each handler passes to its Metrics (the EMF `service` dimension). */
export const serviceName = (handler: HandlerName) => `infrahub-sync-${handler}`;

export class SyncFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SyncFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `infrahub-sync ${props.handler} function`,
    });
    // Only the two log actions the runtime needs, on this function's own log group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(props.functionsDir, `${props.handler}.ts`),
      handler: 'handler',
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      description: `infrahub-sync ${props.handler}`,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName(props.handler),
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The handlers rely on SDK features newer than the runtime's bundled SDK (S3 If-None-Match).
        externalModules: [],
        // CommonJS dependencies call require(); ESM output has none unless it is made here.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        mainFields: ['module', 'main'],
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is the newest Node the project is built and tested on (esbuild target node22); a runtime move is a tested change, not a default.',
    });
  }
}
