// Credentials live in Secrets Manager. Functions get only `<NAME>_SECRET_ARN` variables (an ARN,
// optionally `ARN#jsonKey`) and read permission on those secrets; the runtime fetches and caches
// the values (shared/runtime/aws/secrets.ts). No secret value is ever in a template or variable.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../settings.js';

export const SECRET_ARN_SUFFIX = '_SECRET_ARN';
export const WEBHOOK_SECRET_ENV = 'WEBHOOK_SECRET_ARN';

interface BoundSecret {
  env: string;
  secret: secretsmanager.ISecret;
  jsonKey?: string;
}

export interface SecretsProps {
  secrets: DeploymentSettings['secrets'];
  webhook: DeploymentSettings['webhook'];
  /** Prefix of the names of secrets the stack creates, e.g. the stack name. */
  namePrefix: string;
}

export class Secrets extends Construct {
  /** Adapter credentials: needed where adapters are opened (loader, apply). */
  readonly adapterSecrets: BoundSecret[];
  readonly webhookSecret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    this.adapterSecrets = props.secrets.map((s) => ({
      env: s.env,
      jsonKey: s.jsonKey,
      secret: s.arn
        ? secretsmanager.Secret.fromSecretCompleteArn(this, s.env, s.arn)
        : this.placeholder(s.env, `${props.namePrefix}/${s.env}`, `Value of \${${s.env}} for infrahub-sync configs`),
    }));
    if (props.webhook.enabled) {
      this.webhookSecret = props.webhook.secretArn
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'Webhook', props.webhook.secretArn)
        : this.placeholder(
            'Webhook',
            `${props.namePrefix}/webhook`,
            'Webhook secret: one string (each config signs with a key derived from it, see docs/deploy.md), or JSON {"<config>": "<secret>"}',
            // A random value is already a usable master secret; NetBox/Nautobot get the derived keys.
            true,
          );
    }
  }

  /** A created secret: random until the operator puts the real token in it. */
  private placeholder(id: string, secretName: string, description: string, usable = false): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, id, {
      secretName,
      description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: usable
        ? 'Rotating the webhook secret needs the same change in NetBox/Nautobot; it is rotated by hand with both.'
        : 'An API token issued by the source or destination system; it is rotated there, then put here.',
    });
    return secret;
  }

  bindAdapterSecrets(fn: lambda.Function): void {
    for (const s of this.adapterSecrets) {
      const ref = s.jsonKey ? `${s.secret.secretArn}#${s.jsonKey}` : s.secret.secretArn;
      fn.addEnvironment(`${s.env}${SECRET_ARN_SUFFIX}`, ref);
      s.secret.grantRead(fn);
    }
  }

  bindWebhookSecret(fn: lambda.Function): void {
    if (!this.webhookSecret) return;
    fn.addEnvironment(WEBHOOK_SECRET_ENV, this.webhookSecret.secretArn);
    this.webhookSecret.grantRead(fn);
  }
}
