// Secrets reach the functions as Secrets Manager ARNs in `<NAME>_SECRET_ARN` variables and are
// resolved at run time into `<NAME>` for the adapters' `${NAME}` settings, cached for a while
// per warm container. A plain `<NAME>` without an ARN is used as is (local runs, tests).
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const SUFFIX = '_SECRET_ARN';

export type SecretFetcher = (arn: string) => Promise<string>;

export function secretsManagerFetcher(client: SecretsManagerClient): SecretFetcher {
  return async (arn) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (out.SecretString === undefined) throw new Error(`secret ${arn} has no string value`);
    return out.SecretString;
  };
}

export class SecretResolver {
  private readonly cache = new Map<string, { value: Promise<string>; at: number }>();

  constructor(
    private readonly fetch: SecretFetcher,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `arn` or `arn#jsonKey` (a field of a JSON secret). */
  async get(ref: string): Promise<string> {
    const [arn, field] = splitRef(ref);
    const hit = this.cache.get(arn);
    let value: Promise<string>;
    if (hit && this.now() - hit.at < this.ttlMs) value = hit.value;
    else {
      value = this.fetch(arn);
      this.cache.set(arn, { value, at: this.now() });
      value.catch(() => this.cache.delete(arn));
    }
    const text = await value;
    if (field === undefined) return text;
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const picked = parsed[field];
    if (typeof picked !== 'string') throw new Error(`secret ${arn} has no string field "${field}"`);
    return picked;
  }

  /** A copy of env with every `<NAME>_SECRET_ARN` resolved into `<NAME>`. */
  async resolveEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
    const out: NodeJS.ProcessEnv = { ...env };
    await Promise.all(
      Object.entries(env)
        .filter(([k, v]) => k.endsWith(SUFFIX) && k.length > SUFFIX.length && v)
        .map(async ([k, v]) => {
          out[k.slice(0, -SUFFIX.length)] = await this.get(v as string);
        }),
    );
    return out;
  }
}

function splitRef(ref: string): [string, string | undefined] {
  const i = ref.indexOf('#');
  return i < 0 ? [ref, undefined] : [ref.slice(0, i), ref.slice(i + 1)];
}
