import { describe, expect, it } from 'vitest';
import { SecretResolver } from '../../../shared/runtime/aws/secrets.js';

function fetcher(values: Record<string, string>) {
  const calls: string[] = [];
  const fetch = async (arn: string) => {
    calls.push(arn);
    const v = values[arn];
    if (v === undefined) throw new Error(`no secret ${arn}`);
    return v;
  };
  return { calls, fetch };
}

describe('SecretResolver', () => {
  it('resolves <NAME>_SECRET_ARN into <NAME>, keeps plain variables, reads JSON fields', async () => {
    const f = fetcher({ 'arn:infrahub': 'tok-1', 'arn:json': '{"nautobot":"tok-2"}' });
    const r = new SecretResolver(f.fetch);
    const env = await r.resolveEnv({
      INFRAHUB_API_TOKEN_SECRET_ARN: 'arn:infrahub',
      NAUTOBOT_TOKEN_SECRET_ARN: 'arn:json#nautobot',
      NETBOX_TOKEN: 'plain',
    });
    expect(env.INFRAHUB_API_TOKEN).toBe('tok-1');
    expect(env.NAUTOBOT_TOKEN).toBe('tok-2');
    expect(env.NETBOX_TOKEN).toBe('plain');
    await expect(r.get('arn:json#missing')).rejects.toThrow(/no string field "missing"/);
  });

  it('caches a value for its time to live and forgets a failed fetch', async () => {
    let now = 0;
    const f = fetcher({ 'arn:a': 'v' });
    const r = new SecretResolver(f.fetch, 1000, () => now);
    await r.get('arn:a');
    await r.get('arn:a');
    expect(f.calls).toEqual(['arn:a']);
    now = 1500;
    await r.get('arn:a');
    expect(f.calls).toEqual(['arn:a', 'arn:a']);
    await expect(r.get('arn:b')).rejects.toThrow(/no secret/);
    await expect(r.get('arn:b')).rejects.toThrow(/no secret/);
    expect(f.calls.filter((c) => c === 'arn:b')).toHaveLength(2);
  });
});
