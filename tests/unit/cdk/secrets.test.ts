import { describe, expect, it } from 'vitest';
import { buildTemplate, EXISTING_SECRET_ARN, FULL_SETTINGS } from './helpers.js';

describe('secrets', () => {
  const { template } = buildTemplate({ ...FULL_SETTINGS, stackName: 'Ignored' });
  const secrets = template.findResources('AWS::SecretsManager::Secret');

  it('creates a named secret with a random placeholder for each secret without an ARN, and the webhook secret', () => {
    const names = Object.values(secrets).map((s) => s.Properties.Name as string).sort();
    expect(names).toEqual(['Test/INFRAHUB_API_TOKEN', 'Test/webhook']);
    for (const s of Object.values(secrets)) {
      expect(s.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.DeletionPolicy).toBe('Retain');
    }
  });

  it('does not create a secret that is given by ARN', () => {
    const text = JSON.stringify(secrets);
    expect(text).not.toContain('NAUTOBOT');
    template.hasOutput('NAUTOBOTTOKENSecretArn', { Value: EXISTING_SECRET_ARN });
  });

  it('uses an existing webhook secret when its ARN is given', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hooks-Zz99Yy';
    const { template: t } = buildTemplate({ webhook: { secretArn: arn } });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const [, fn] = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WebhookFunction')) ?? [];
    expect(fn?.Properties.Environment.Variables.WEBHOOK_SECRET_ARN).toBe(arn);
  });
});
