import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { FULL_SETTINGS, synthWithNag } from './helpers.js';

// A synth with the validation engines takes seconds, more on a loaded machine.
describe('cdk-nag AwsSolutions', { timeout: 180_000 }, () => {
  it('leaves no unacknowledged finding with the default settings', () => {
    expect(synthWithNag({}).violations).toEqual([]);
  });

  it('leaves no unacknowledged finding with every optional part switched on', () => {
    expect(synthWithNag(FULL_SETTINGS).violations).toEqual([]);
  });

  it('leaves no unacknowledged finding with KMS, no access logs, no webhook, configs upload, existing topic', () => {
    const out = synthWithNag({
      bucket: { encryption: 'kms', accessLogs: false, configsDir: 'configs/file-demo' },
      webhook: { enabled: false },
      alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' },
    });
    expect(out.violations).toEqual([]);
  });

  it('does report a finding that nobody acknowledged (the checks really run)', () => {
    const out = synthWithNag({}, (stack) => {
      new s3.Bucket(stack, 'Unsafe');
    });
    expect(out.plugins).toContain('AwsSolutions');
    const rules = out.violations.filter((v) => v.paths.some((p) => p.startsWith('Test/Unsafe') || p.includes('/Unsafe/')));
    expect(rules.map((v) => v.rule)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
