// The AWS path (trigger, webhook) freezes the config into the store as is: a literal secret in it
// must stop the run before anything is written.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { ConfigError } from '../../../shared/errors.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { startLocalRuntime, type LocalRuntime } from '../../../shared/runtime/local/index.js';
import { startRun } from '../../../shared/runtime/run/start.js';

const config = (token: string) =>
  parseConfig(
    [
      'name: secret-test',
      'source: { name: file, settings: { path: ./src } }',
      `destination: { name: infrahub, settings: { url: "http://127.0.0.1:9", token: ${JSON.stringify(token)} } }`,
      'schema_mapping: [{ name: BuiltinTag, mapping: tags, identifiers: [name], fields: [{ name: name, mapping: name }] }]',
    ].join('\n'),
    join(tmpdir(), 'secret-test.yml'),
  );

let rt: LocalRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

describe('startRun and literal secrets', () => {
  it('refuses a config holding a literal token, naming the setting, and writes nothing', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'store-')));
    rt = startLocalRuntime({ store });
    const run = startRun(rt.deps, { loaded: config('s3cr3t-literal'), mode: 'diff', trigger: { kind: 'invoke' } });
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/destination\.settings\.token/);
    await expect(run).rejects.not.toThrow(/s3cr3t-literal/);
    expect(await store.list('')).toEqual([]);
  });

  it('accepts the same config with a ${VAR} reference', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'store-')));
    rt = startLocalRuntime({ store, env: {} });
    const run = await startRun(rt.deps, { loaded: config('${INFRAHUB_API_TOKEN}'), mode: 'diff', trigger: { kind: 'invoke' } });
    const stored = await store.get(`runs/secret-test/${run.runId}/config.json`);
    expect(stored).toContain('${INFRAHUB_API_TOKEN}');
  });
});
