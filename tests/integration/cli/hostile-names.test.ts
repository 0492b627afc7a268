// Issue 11, case 6: config names, `configs push` keys and prefixes follow one rule
// (shared/config/names.ts), and the file adapter stays inside its `path`, symlinks included.
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../../shared/adapters/file/index.js';
import { silentLogger } from '../../../shared/log.js';
import { startS3, useFakeCredentials, type S3Emulator } from '../../helpers/emulators.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

let s3: S3Emulator;
beforeAll(async () => {
  s3 = await startS3();
  useFakeCredentials();
});
afterAll(() => s3.close());

const bucketKeys = async () => ((await s3.client.send(new ListObjectsCommand({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key).sort();

async function renamed(name: string): Promise<string> {
  const dir = await fileDemoCopy();
  const file = join(dir, 'config.yml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('name: file-demo', `name: ${JSON.stringify(name)}`));
  return dir;
}

describe('config names, push keys and prefixes', () => {
  it.each(['a/b', '..', '../../../tmp/evil', 'two\nlines', '.hidden', 'rtl\u202eoverride'])(
    'a config named %j does not validate, and is not pushed',
    async (name) => {
      const dir = await renamed(name);
      const validated = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
      expect(validated.code).toBe(2);
      expect(validated.stderr).toMatch(/config\.yml:\d+:\d+: name: .* is not a valid name: a name is 1 to 64 characters/);
      const before = await bucketKeys();
      const pushed = await runCli(['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint], { cwd: dir });
      expect(pushed.code).toBe(2);
      expect(await bucketKeys()).toEqual(before);
    },
  );

  it.each(['../../', '/abs', 'a//b', 'tenant\nb', 'a/../b'])('--prefix %j is refused before anything is uploaded', async (prefix) => {
    const dir = await fileDemoCopy();
    const before = await bucketKeys();
    const r = await runCli(
      ['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint, '--prefix', prefix],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prefix: .* is not a valid key prefix/);
    expect(await bucketKeys()).toEqual(before);
  });

  it('a good prefix is used as given', async () => {
    const dir = await fileDemoCopy();
    const r = await runCli(
      ['configs', 'push', '--config-file', 'config.yml', '--bucket', s3.bucket, '--endpoint-url', s3.endpoint, '--prefix', 'org/tenant-a/'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(await bucketKeys()).toContain('org/tenant-a/configs/file-demo.yml');
  });

  it('push --all refuses two configs of one name (one key), uploading nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'push-all-'));
    for (const sub of ['one', 'two']) {
      const dir = await fileDemoCopy();
      await mkdir(join(root, sub));
      await writeFile(join(root, sub, 'config.yml'), await readFile(join(dir, 'config.yml'), 'utf8'));
    }
    const before = await bucketKeys();
    const r = await runCli(['configs', 'push', '--all', '--directory', root, '--bucket', s3.bucket, '--endpoint-url', s3.endpoint, '--prefix', 'dups'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/several configs under one name/);
    expect(await bucketKeys()).toEqual(before);
  });

  it('--name of the run history commands follows the rule (no listing above the store)', async () => {
    const dir = await fileDemoCopy();
    for (const args of [['runs', 'list', '--name', '../..'], ['runs', 'show', 'x', '--name', 'a/b'], ['runs', 'prune', '--keep', '0', '--name', '..']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--name: .* is not a valid name/);
    }
    const r = await runCli(['diff', '--name', '../evil'], { cwd: dir });
    expect(r.code).toBe(2);
  });
});

describe('the file adapter stays inside its path', () => {
  it.each(['../../../../etc/passwd', '/etc/passwd', 'sub/../../x', '..'])('mapping %j is refused with a clear error', async (mapping) => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('mapping: extras.tags', `mapping: ${JSON.stringify(mapping)}`));
    const r = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"${mapping}" is not a file name inside the adapter's path`);
    expect(r.stderr).not.toMatch(/root:x:0:0/);
    // Nothing was written: the run stopped at the load, before any plan.
    expect(await readdir(dir)).not.toContain('destination');
  });

  it('a symlink in the data folder that leads outside it is not followed', async () => {
    const dir = await fileDemoCopy();
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    await writeFile(join(outside, 'secret.json'), JSON.stringify([{ id: 1, name: 'stolen', description: 'outside data' }]));
    const tags = join(dir, 'source/extras.tags.json');
    const { rm } = await import('node:fs/promises');
    await rm(tags);
    await symlink(join(outside, 'secret.json'), tags);
    const r = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a link to .*secret\.json, outside the adapter's path .*; refusing to read it/);
    expect(r.stdout).not.toContain('stolen');
  });

  it('only regular files are read (a folder or a FIFO under a data file name is refused)', async () => {
    const dir = await fileDemoCopy();
    const { rm } = await import('node:fs/promises');
    const { execFileSync } = await import('node:child_process');
    await rm(join(dir, 'source/extras.tags.json'));
    await mkdir(join(dir, 'source/extras.tags.json'));
    const folder = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/extras\.tags\.json \(for "extras\.tags"\) is not a regular file/);
    await rm(join(dir, 'source/extras.tags.json'), { recursive: true });
    // A FIFO nobody writes to would block a plain read forever.
    execFileSync('mkfifo', [join(dir, 'source/extras.tags.json')]);
    const fifo = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toMatch(/is not a regular file/);
  });

  it('a symlink inside the folder pointing inside it is fine', async () => {
    const dir = await fileDemoCopy();
    const tags = join(dir, 'source/extras.tags.json');
    const { rename } = await import('node:fs/promises');
    await rename(tags, join(dir, 'source/tags-real.json'));
    await symlink(join(dir, 'source/tags-real.json'), tags);
    const r = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.create).toBe(13);
  });

  it('a destination kind outside the path does not validate; the adapter refuses it too; nothing is written', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const text = (await readFile(file, 'utf8'))
      .replace('order: ["BuiltinTag", "LocationGeneric", "InfraDevice", "InfraInterfaceL2L3"]', '')
      .replaceAll('BuiltinTag', '../escaped');
    await writeFile(file, text);
    const r = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schema_mapping\[0\]\.name: "\.\.\/escaped" is not a valid model name/);
    expect(await readdir(dir)).not.toContain('escaped.json');
    expect(await readdir(dir)).not.toContain('destination');

    // The adapter does not rely on that: asked to write such a kind, it refuses.
    const destination = join(dir, 'destination');
    const adapter = createFileAdapter({ name: 'file', settings: { path: destination } }, { configDir: dir, env: {}, logger: silentLogger });
    const change = { id: '../escaped/create/x', action: 'create' as const, model: '../escaped', key: 'x', ids: { name: 'x' }, attrs: {} };
    await expect(adapter.apply([change], { models: {}, peerId: () => undefined })).rejects.toThrow(/not a file name inside the adapter's path/);
    expect(await readdir(dir)).not.toContain('escaped.json');
  });
});
