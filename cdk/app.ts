// `cdk synth` / `cdk deploy` entry (cdk.json: "app"). Settings from $DEPLOYMENT_SETTINGS or
// cdk/deployment.yml; the AwsSolutions checks run on every synth and stop it on a finding.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pathToFileURL } from 'node:url';
import { InfrahubSyncStack } from './stack.js';
import { loadSettings, type DeploymentSettings } from './settings.js';

export function buildApp(settings: DeploymentSettings, app = new App()): { app: App; stack: InfrahubSyncStack } {
  const account = settings.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = settings.region ?? process.env.CDK_DEFAULT_REGION;
  const stack = new InfrahubSyncStack(app, settings.stackName, {
    settings,
    env: account || region ? { account, region } : undefined,
    description: 'infrahub-sync serverless: sync Nautobot/NetBox/REST/Infrahub into Infrahub',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { app } = buildApp(loadSettings());
  app.synth();
}
