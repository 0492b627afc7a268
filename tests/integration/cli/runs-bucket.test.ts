// `runs list/show --bucket`: the same history commands over an AWS deployment's bucket (on moto).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { S3ObjectStore } from '../../../shared/runtime/aws/s3-store.js';
import { runLocal } from '../../../shared/runtime/local/index.js';
import { startS3, useFakeCredentials, type S3Emulator } from '../../helpers/emulators.js';
import { fileDemo } from '../../helpers/file-demo.js';
import { runCli } from './cli-harness.js';

let s3: S3Emulator;
beforeAll(async () => {
  s3 = await startS3();
  useFakeCredentials();
});
afterAll(() => s3.close());

describe('runs list/show --bucket', () => {
  it('reads the run history the runtime wrote to the bucket, under its prefix', async () => {
    const demo = await fileDemo();
    // A run whose store is the bucket, as the Lambda functions write it (prefix: STORE_PREFIX).
    const store = new S3ObjectStore(s3.client, s3.bucket, { prefix: 'prod' });
    const { runId } = await runLocal({ loaded: parseConfig(demo.configText, demo.configFile), mode: 'sync', store, env: demo.env });

    const at = ['--bucket', s3.bucket, '--prefix', 'prod', '--endpoint-url', s3.endpoint];
    const list = await runCli(['runs', 'list', ...at, '--format', 'json'], { cwd: demo.dir });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'file-demo', runId, status: 'succeeded', mode: 'sync' }]);

    const show = await runCli(['runs', 'show', runId.slice(0, 18), ...at], { cwd: demo.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^run ${runId} of file-demo: sync, succeeded`, 'm'));
    expect(show.stdout).toMatch(/applied: create=13 update=0 delete=0/);

    // Another prefix holds nothing; an unknown run is an error naming where it looked.
    const empty = await runCli(['runs', 'list', '--bucket', s3.bucket, '--prefix', 'staging', '--endpoint-url', s3.endpoint], { cwd: demo.dir });
    expect(empty.stderr).toMatch(new RegExp(`no runs in s3://${s3.bucket}/staging`));
    const missing = await runCli(['runs', 'show', 'nope', ...at], { cwd: demo.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(new RegExp(`no run nope in s3://${s3.bucket}/prod`));
  });
});
