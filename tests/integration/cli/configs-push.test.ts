// `configs push` against the S3 emulator: what the trigger will read, and nothing secret.
import { GetObjectCommand, ListObjectsCommand } from '@aws-sdk/client-s3';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, useFakeCredentials, type S3Emulator } from '../../helpers/emulators.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

let s3: S3Emulator;
beforeAll(async () => {
  s3 = await startS3();
  useFakeCredentials();
});
afterAll(() => s3.close());

const keys = async () => ((await s3.client.send(new ListObjectsCommand({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key).sort();

describe('configs push', () => {
  it('uploads a validated config to configs/<name>.yml, byte for byte', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint], { cwd: dir });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`s3://${s3.bucket}/configs/file-demo.yml`);
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'configs/file-demo.yml' }))).Body?.transformToString();
    expect(body).toBe(await readFile(join(dir, 'config.yml'), 'utf8'));
  });

  it('refuses, uploading nothing, when any config holds a literal secret', async () => {
    const dir = await fileDemoCopy();
    const before = await keys();
    const file = join(dir, 'config.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: file-demo', 'name: leaky').replace(/destination:\n {2}name: file\n {2}settings:\n/, 'destination:\n  name: file\n  settings:\n    token: hunter2-literal\n'));
    const r = await runCli(['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/destination\.settings\.token: literal secret/);
    expect(r.stderr).not.toContain('hunter2-literal');
    expect(await keys()).toEqual(before);
  });

  it('a bad config is a config error (exit 2) and nothing is uploaded', async () => {
    const dir = await fileDemoCopy();
    const before = await keys();
    const file = join(dir, 'config.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: file-demo', 'name: broken').replace('diffsync_flags: ["NONE"]', 'diffsync_flags: ["NOPE"]'));
    const r = await runCli(['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint], { cwd: dir });
    expect(r.code).toBe(2);
    expect(await keys()).toEqual(before);
  });
});
