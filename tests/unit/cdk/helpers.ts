// Builds the stack the way `cdk synth` does, minus esbuild: the `aws:cdk:bundling-stacks`
// context set to [] makes NodejsFunction skip bundling (its asset hash becomes a placeholder),
// which keeps a synth at a few seconds.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../../cdk/app.js';
import { parseSettings, type DeploymentSettingsInput } from '../../../cdk/settings.js';
import { InfrahubSyncStack } from '../../../cdk/stack.js';

export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

export const EXISTING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:nautobot-token-AbCdEf';

/** Settings that switch on every optional part: schedules, created and existing secrets, SNS. */
export const FULL_SETTINGS: DeploymentSettingsInput = {
  environment: { INFRAHUB_ADDRESS: 'https://infrahub.example.com' },
  secrets: [{ env: 'INFRAHUB_API_TOKEN' }, { env: 'NAUTOBOT_TOKEN', arn: EXISTING_SECRET_ARN, jsonKey: 'token' }],
  schedules: [
    { config: 'nautobot', mode: 'sync', expression: 'cron(0 3 * * ? *)', timeZone: 'Europe/Paris' },
    { config: 'netbox', mode: 'diff', expression: 'rate(6 hours)', branch: 'nightly' },
  ],
  alarms: { emails: ['ops@example.com'] },
  functions: { apply: { maxConcurrency: 3, reservedConcurrency: 4 }, loader: { maxConcurrency: 7 } },
};

export function buildTemplate(input: DeploymentSettingsInput = {}): { stack: InfrahubSyncStack; template: Template } {
  const app = new App({ context: NO_BUNDLING });
  const stack = new InfrahubSyncStack(app, 'Test', { settings: parseSettings(input) });
  return { stack, template: Template.fromStack(stack) };
}

export interface NagViolation {
  rule: string;
  paths: string[];
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** Synthesizes the app as cdk/app.ts builds it (AwsSolutions checks on) and returns what is
 *  left unacknowledged, read from the validation report CDK writes when synthesis fails. */
export function synthWithNag(
  input: DeploymentSettingsInput = {},
  tamper?: (stack: InfrahubSyncStack) => void,
): { violations: NagViolation[]; plugins: string[] } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-nag-'));
  const app = new App({ context: NO_BUNDLING, outdir });
  const { stack } = buildApp(parseSettings(input), app);
  tamper?.(stack);
  try {
    app.synth();
  } catch (err) {
    const file = path.join(outdir, 'validation-report.json');
    if (!existsSync(file)) throw err;
    const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
    return {
      plugins: report.pluginReports.map((p) => p.pluginName),
      violations: report.pluginReports.flatMap((p) =>
        p.violations.map((v) => ({ rule: v.ruleName, paths: v.violatingConstructs.map((c) => c.constructPath) })),
      ),
    };
  }
  return { violations: [], plugins: [] };
}
