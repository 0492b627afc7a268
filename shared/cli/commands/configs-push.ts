import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { findConfigs, loadConfigFile } from '../../config/load.js';
import { literalSecrets } from '../../config/redact.js';
import { ConfigError } from '../../errors.js';
import { S3ObjectStore } from '../../runtime/aws/s3-store.js';
import type { CliIO } from '../io.js';
import { selectConfig, type ConfigSelector } from '../config-option.js';

export interface PushOptions extends ConfigSelector {
  bucket: string;
  prefix?: string;
  all?: boolean;
  /** An S3-compatible endpoint (tests, MinIO); AWS otherwise, from the usual credential chain. */
  endpointUrl?: string;
}

/**
 * Uploads configs to `configs/<name>.yml` in the deployment's bucket, where the trigger and the
 * webhook read them. Every config is validated first and one holding a literal secret is refused:
 * in AWS, credentials come from Secrets Manager, and nothing secret goes to S3. All or nothing:
 * no upload starts until every config has passed.
 */
export async function configsPushCommand(opts: PushOptions, io: CliIO): Promise<number> {
  const files = opts.all
    ? (await findConfigs(resolve(io.cwd, opts.directory ?? '.'))).map((c) => c.file)
    : [(await selectConfig(opts, io)).file];
  if (files.length === 0) throw new ConfigError(`no sync configs under ${resolve(io.cwd, opts.directory ?? '.')} (outside test folders)`);

  const uploads: { name: string; text: string; file: string }[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const loaded = await loadConfigFile(file, { strict: opts.strict });
    const literal = literalSecrets(loaded.config);
    if (literal.length > 0) problems.push(`${file}: ${literal.join(', ')}: literal secret; use a \${VAR} reference`);
    uploads.push({ name: loaded.config.name, text: await readFile(file, 'utf8'), file });
  }
  if (problems.length > 0) throw new ConfigError('refusing to upload configs that hold secrets', {}, problems);

  const client = new S3Client(opts.endpointUrl ? { endpoint: opts.endpointUrl, forcePathStyle: true } : {});
  try {
    const store = new S3ObjectStore(client, opts.bucket, { prefix: opts.prefix, verifyConditionalWrites: false });
    for (const u of uploads) {
      await store.put(`configs/${u.name}.yml`, u.text);
      io.out(`pushed ${u.file} -> s3://${opts.bucket}/${opts.prefix ? `${opts.prefix}/` : ''}configs/${u.name}.yml\n`);
    }
  } finally {
    client.destroy();
  }
  return 0;
}
