import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { findConfigByName, findConfigs, scanConfigs } from '../../../shared/config/discover.js';

const config = (name: string) =>
  `name: ${name}\nsource: {name: netbox}\ndestination: {name: infrahub}\nschema_mapping: []\n`;

describe('finding configs in a folder tree', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'config-discover-'));
    const files: Record<string, string> = {
      'a/config.yml': config('alpha'),
      'configs/beta.yml': config('beta'),
      'configs/gamma.yaml': config('gamma'),
      'configs/dup1.yml': config('twin'),
      'configs/dup2.yml': config('twin'),
      'configs/schema.yml': 'nodes:\n  - name: Device\n',
      'broken/config.yml': 'name: [oops\n',
      'noname/config.yml': 'source: {name: x}\n',
      'other/unrelated.yml': 'key: [unclosed\n',
      'node_modules/pkg/config.yml': config('hidden-in-node-modules'),
      '.runs/configs/alpha.yml': config('alpha'),
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists config.yml and schema_mapping files, skipping node_modules and dot-folders', async () => {
    const scan = await scanConfigs(root);
    expect(scan.configs.map((c) => [c.name, path.relative(root, c.file)])).toEqual([
      ['alpha', 'a/config.yml'],
      ['beta', 'configs/beta.yml'],
      ['gamma', 'configs/gamma.yaml'],
      ['twin', 'configs/dup1.yml'],
      ['twin', 'configs/dup2.yml'],
    ]);
  });

  it('reports unreadable configs without failing, and ignores unrelated YAML', async () => {
    const problems: string[] = [];
    await findConfigs(root, { onProblem: (p) => problems.push(`${path.relative(root, p.file)}: ${p.message}`) });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^broken\/config\.yml: invalid YAML: /);
    expect(problems[1]).toBe('noname/config.yml: sync config has no `name`');
  });

  it('refuses an ambiguous name, naming both files', async () => {
    const error = (await findConfigByName(root, 'twin').catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('several sync configs are named "twin"');
    expect(error.message).toMatch(/--config-file/);
    // The candidates, one per problem line (the CLI prints each on its own line).
    expect(error.problems.map((f) => path.relative(root, f))).toEqual(['configs/dup1.yml', 'configs/dup2.yml']);
  });

  it('an empty folder says none were found', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await expect(findConfigByName(empty, 'x')).rejects.toThrow(/no sync config named "x" under .*; none found/);
  });
});
