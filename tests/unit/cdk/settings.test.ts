import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, settingsFile, SettingsError } from '../../../cdk/settings.js';

const errorOf = (input: unknown): string => {
  try {
    parseSettings(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected the settings to be refused');
};

describe('deployment settings', () => {
  it('fills every default from an empty file', () => {
    const s = parseSettings({});
    expect(s.stackName).toBe('InfrahubSync');
    expect(s.bucket).toMatchObject({ encryption: 's3-managed', runsExpirationDays: 90, accessLogs: true });
    expect(s.queues).toEqual({ maxMessageSizeBytes: 262_144, retentionDays: 4, dlqRetentionDays: 14, maxReceiveCount: 5 });
    expect(s.functions.apply).toMatchObject({ maxConcurrency: 2, reservedConcurrency: 2, batchSize: 1 });
    expect(s.functions.loader.reservedConcurrency).toBeUndefined();
    expect(s.webhook.enabled).toBe(true);
    expect(s.schedules).toEqual([]);
    expect(s.logRetentionDays).toBe(30);
  });

  it('accepts the documented example file', () => {
    const text = readFileSync('configs/deployment.example.yml', 'utf8');
    const s = parseSettings(parseYaml(text));
    expect(s.schedules[0]).toMatchObject({ config: 'nautobot', mode: 'sync', timeZone: 'Europe/Paris' });
    expect(s.secrets.map((x) => x.env)).toEqual(['INFRAHUB_API_TOKEN', 'NAUTOBOT_TOKEN']);
    expect(s.environment.INFRAHUB_ADDRESS).toBe('https://infrahub.example.com');
  });

  it('refuses credential-looking names as plain environment variables', () => {
    expect(errorOf({ environment: { NAUTOBOT_TOKEN: 'abc' } })).toMatch(/environment\.NAUTOBOT_TOKEN: .*"secrets"/);
    expect(errorOf({ environment: { DB_PASSWORD: 'abc' } })).toMatch(/DB_PASSWORD looks like a credential/);
  });

  it('never echoes an environment value in its messages', () => {
    expect(errorOf({ environment: { INFRAHUB_API_TOKEN: 'sup3r-s3cret-value' } })).not.toContain('sup3r-s3cret-value');
  });

  it('refuses reserved concurrency below the event source maxConcurrency', () => {
    expect(errorOf({ functions: { apply: { maxConcurrency: 5, reservedConcurrency: 3 } } })).toMatch(
      /functions\.apply\.reservedConcurrency: must be at least .*\(5\)/,
    );
  });

  it('refuses a maxConcurrency SQS event sources do not accept', () => {
    expect(errorOf({ functions: { apply: { maxConcurrency: 1 } } })).toMatch(/functions\.apply\.maxConcurrency/);
  });

  it('refuses unknown keys, with their path', () => {
    expect(errorOf({ bucket: { encrypton: 'kms' } })).toMatch(/bucket: Unrecognized key: "encrypton"/);
  });

  it('refuses a schedule expression Scheduler would not take, and a duplicate schedule', () => {
    expect(errorOf({ schedules: [{ config: 'a', expression: 'every day' }] })).toMatch(/schedules\.0\.expression/);
    const dup = { config: 'a', expression: 'rate(1 hour)' };
    expect(errorOf({ schedules: [dup, dup] })).toMatch(/schedules\.1: a second sync schedule for a/);
    expect(parseSettings({ schedules: [{ config: 'a', expression: 'cron(0/15 8-18 ? * MON-FRI *)' }] }).schedules).toHaveLength(1);
  });

  it('wants complete secret ARNs (a partial ARN would need a wildcard grant)', () => {
    expect(errorOf({ secrets: [{ env: 'X_TOKEN', arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' }] })).toMatch(
      /secrets\.0\.arn: a complete Secrets Manager ARN/,
    );
  });

  it('refuses a log retention CloudWatch does not offer', () => {
    expect(errorOf({ logRetentionDays: 10 })).toMatch(/logRetentionDays: one of 1, 3, 5/);
  });

  it('refuses the same name as a secret and a plain variable', () => {
    expect(errorOf({ environment: { X: '1' }, secrets: [{ env: 'X' }] })).toMatch(/X is also under "environment"/);
  });
});

describe('loading the settings file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-settings-'));

  it('uses the defaults when there is neither $DEPLOYMENT_SETTINGS nor cdk/deployment.yml', () => {
    expect(settingsFile({}, dir)).toBeUndefined();
    expect(loadSettings({}, dir).stackName).toBe('InfrahubSync');
  });

  it('reads cdk/deployment.yml when present', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cdk-settings-'));
    mkdirSync(path.join(cwd, 'cdk'));
    writeFileSync(path.join(cwd, 'cdk', 'deployment.yml'), 'stackName: FromFile\n');
    expect(loadSettings({}, cwd).stackName).toBe('FromFile');
  });

  it('prefers $DEPLOYMENT_SETTINGS, relative to the working directory, YAML or JSON', () => {
    writeFileSync(path.join(dir, 'prod.json'), JSON.stringify({ stackName: 'Prod', logRetentionDays: 90 }));
    const s = loadSettings({ DEPLOYMENT_SETTINGS: 'prod.json' }, dir);
    expect(s).toMatchObject({ stackName: 'Prod', logRetentionDays: 90 });
  });

  it('names the file in its errors, and a missing file', () => {
    writeFileSync(path.join(dir, 'bad.yml'), 'queues:\n  maxReceiveCount: 0\n');
    expect(() => loadSettings({ DEPLOYMENT_SETTINGS: 'bad.yml' }, dir)).toThrow(/bad\.yml is not valid:\n {2}queues\.maxReceiveCount/);
    expect(() => loadSettings({ DEPLOYMENT_SETTINGS: 'nope.yml' }, dir)).toThrow(/nope\.yml does not exist/);
  });
});
