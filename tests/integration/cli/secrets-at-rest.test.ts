// Tokens written literally in a config (as in several upstream examples) must not reach the
// run history: the store holds `${VAR}` references, the values stay in the process.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractLiteralSecrets, literalSecrets } from '../../../shared/config/redact.js';
import { parseConfig } from '../../../shared/config/load.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const TOKEN = 'literal-token-9c1e7f00d2';
let infrahub: InfrahubStandin;
beforeAll(async () => {
  infrahub = await startInfrahubStandin({ schema: join(import.meta.dirname, '../../fixtures/infrahub/file-demo-schema.yml'), token: TOKEN });
});
afterAll(() => infrahub.stop());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('secrets at rest', () => {
  it('a literal token in the config works, and no file of the run history contains it', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const text = (await readFile(file, 'utf8')).replace(
      /destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/,
      `destination:\n  name: infrahub\n  settings:\n    url: ${infrahub.url}\n    token: ${TOKEN}\n`,
    );
    await writeFile(file, text);
    const r = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(infrahub.nodes('InfraDevice')).toHaveLength(3);
    const files = await filesUnder(join(dir, '.runs'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(await readFile(f, 'utf8')).not.toContain(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('finds literal secrets by path and moves them into an environment of their own', () => {
    const loaded = parseConfig(
      [
        'name: t',
        'source: { name: netbox, settings: { url: "http://u:pw123@nb", token: "abc", page_size: 5 } }',
        'destination: { name: infrahub, settings: { token: "${INFRAHUB_API_TOKEN}" } }',
        'schema_mapping: [{ name: A, mapping: a, identifiers: [n], fields: [{ name: n, mapping: n }] }]',
      ].join('\n'),
      'inline.yml',
    );
    expect(literalSecrets(loaded.config).sort()).toEqual(['source.settings.token', 'source.settings.url']);
    const { loaded: moved, env } = extractLiteralSecrets(loaded);
    expect(moved.config.source.settings.token).toMatch(/^\$\{INFRAHUB_SYNC_SECRET_\d+\}$/);
    expect(Object.values(env)).toEqual(['abc']);
    expect(moved.config.destination.settings.token).toBe('${INFRAHUB_API_TOKEN}');
    expect(moved.config.source.settings.page_size).toBe(5);
    // The URL password is not moved: such a config is refused where it would be stored (AWS).
    expect(literalSecrets(moved.config)).toEqual(['source.settings.url']);
  });
});
