import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { configChecksum } from '../../../shared/config/checksum.js';
import { findConfigByName, findConfigs, scanConfigs } from '../../../shared/config/discover.js';
import { formatWarning, loadConfigFile } from '../../../shared/config/load.js';
import { printableConfig } from '../../../shared/config/redact.js';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/config/examples');
const exampleDirs = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('upstream example configs', () => {
  it('are all present in the fixture copy', () => {
    expect(exampleDirs.length).toBe(14);
  });

  it.each(exampleDirs)('%s parses into the SyncConfig shape', async (dir) => {
    const file = path.join(EXAMPLES, dir, 'config.yml');
    const loaded = await loadConfigFile(file);
    expect(loaded.file).toBe(file);
    expect(loaded.dir).toBe(path.join(EXAMPLES, dir));
    expect(loaded.config.name).toMatch(/^[a-z]/);
    expect(loaded.config.schema_mapping.length).toBeGreaterThan(0);
    expect(loaded.config.guardrails).toEqual({ max_delete_percent: 20, allow_empty_source: false });
    for (const entry of loaded.config.schema_mapping) {
      expect(Array.isArray(entry.fields)).toBe(true);
      expect(Array.isArray(entry.filters)).toBe(true);
      for (const field of entry.fields) {
        expect(field.hasStatic || field.mapping !== undefined || field.reference !== undefined).toBe(true);
      }
    }
    expect(configChecksum(loaded.config)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('peeringdb: warns about `dyffsync_flags` with its line and a suggestion', async () => {
    const loaded = await loadConfigFile(path.join(EXAMPLES, 'peeringdb_to_infrahub', 'config.yml'));
    const warning = loaded.warnings.find((w) => w.path === 'dyffsync_flags');
    expect(warning).toMatchObject({ line: 22, column: 1 });
    expect(warning?.message).toBe('unknown key `dyffsync_flags` (did you mean `diffsync_flags`?)');
    expect(formatWarning(warning!)).toMatch(/peeringdb_to_infrahub\/config\.yml:22:1: dyffsync_flags: unknown key/);
    // The misspelt key is ignored, as upstream's pydantic model ignores it.
    expect(loaded.config.diffsync_flags).toEqual([]);
  });

  it('peeringdb: fails under strict with file:line:col', async () => {
    const file = path.join(EXAMPLES, 'peeringdb_to_infrahub', 'config.yml');
    const error = await loadConfigFile(file, { strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems).toEqual([
      `${file}:22:1: dyffsync_flags: unknown key \`dyffsync_flags\` (did you mean \`diffsync_flags\`?)`,
    ]);
    expect(configError.location).toMatchObject({ line: 22, column: 1, path: 'dyffsync_flags' });
  });

  it('observium: warns about references to unmapped kinds and the field mapped twice', async () => {
    const loaded = await loadConfigFile(path.join(EXAMPLES, 'observium_to_infrahub', 'config.yml'));
    const messages = loaded.warnings.map((w) => `${w.line}: ${w.message}`);
    expect(messages).toContain(
      '67: reference to `InfraPlatform`, which has no schema_mapping entry (its nodes must already exist in the destination)',
    );
    expect(messages.some((m) => m.startsWith('62: field `description` is listed more than once'))).toBe(true);
  });

  it('netbox: keeps the static `type` values and the transform text as written', async () => {
    const loaded = await loadConfigFile(path.join(EXAMPLES, 'netbox_to_infrahub', 'config.yml'));
    const locations = loaded.config.schema_mapping.filter((e) => e.name === 'LocationGeneric');
    expect(locations.map((e) => e.mapping)).toEqual(['dcim.regions', 'dcim.sites', 'dcim.locations']);
    const statics = locations.flatMap((e) => e.fields.filter((f) => f.hasStatic).map((f) => f.static));
    expect(statics).toEqual(['Region', 'Site', 'Location']);
    const transforms = loaded.config.schema_mapping.flatMap((e) => e.transforms.map((t) => t.expression));
    expect(transforms).toContain("{{ serial.lower() if serial else '' }}}");
  });

  it('printableConfig hides every token and password the examples publish', async () => {
    // Found by reading the YAML text, independently of the redaction code under test.
    let checked = 0;
    for (const dir of exampleDirs) {
      const file = path.join(EXAMPLES, dir, 'config.yml');
      const text = readFileSync(file, 'utf8');
      const secrets = [...text.matchAll(/^\s*(?:token|password|api_key|auth):\s*"?([^"#\n]+?)"?\s*(?:#.*)?$/gm)]
        .map((m) => m[1] ?? '')
        .filter((value) => value.length > 0 && !value.startsWith('${'));
      const printed = JSON.stringify(printableConfig(await loadConfigFile(file)));
      for (const secret of secrets) {
        expect(printed, `${dir}: ${secret.slice(0, 4)}...`).not.toContain(secret);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe('finding configs', () => {
  it('lists every example by name, sorted, skipping schema.yml files', async () => {
    const configs = await findConfigs(EXAMPLES);
    expect(configs.map((c) => c.name)).toHaveLength(14);
    expect(configs.map((c) => c.name)).toEqual([...configs.map((c) => c.name)].sort((a, b) => a.localeCompare(b)));
    expect(configs).toContainEqual({
      name: 'from-peeringdb',
      file: path.join(EXAMPLES, 'peeringdb_to_infrahub', 'config.yml'),
      source: 'genericrestapi',
      destination: 'infrahub',
    });
  });

  it('finds a config by name', async () => {
    expect(await findConfigByName(EXAMPLES, 'from-netbox')).toBe(path.join(EXAMPLES, 'netbox_to_infrahub', 'config.yml'));
  });

  it('an unknown name lists what is available and the close match', async () => {
    const error = (await findConfigByName(EXAMPLES, 'from-netbx').catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('no sync config named "from-netbx"');
    expect(error.message).toContain('(did you mean "from-netbox"?)');
    expect(error.message).toContain('available: ');
    expect(error.message).toContain('from-peeringdb');
  });

  it('reports no problems for the examples', async () => {
    expect((await scanConfigs(EXAMPLES)).problems).toEqual([]);
  });
});
