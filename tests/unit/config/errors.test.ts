import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { parseConfig } from '../../../shared/config/load.js';

const HEAD = `name: demo
source:
  name: netbox
  settings:
    url: http://127.0.0.1:8001
    token: s3cr3t-token-value
destination:
  name: infrahub
  settings:
    url: http://127.0.0.1:8000
`;

function failure(text: string, opts: { strict?: boolean } = {}): ConfigError {
  try {
    parseConfig(text, 'config.yml', opts);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config errors', () => {
  it('bad YAML syntax gives the parser line:col', () => {
    const error = failure(`name: demo\nsource:\n  name: [netbox\n`);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems[0]).toMatch(/^config\.yml:\d+:\d+: /);
    expect(error.location.file).toBe('config.yml');
    expect(error.location.line).toBeGreaterThanOrEqual(3);
  });

  it('a bad filter operation names the path, the 14 valid operations and what was found', () => {
    const error = failure(
      HEAD +
        `order: [InfraDevice]
schema_mapping:
  - name: InfraDevice
    mapping: dcim.devices
    fields:
      - name: name
        mapping: name
    filters:
      - field: status.value
        operation: equals
        value: active
`,
    );
    expect(error.problems).toEqual([
      'config.yml:20:20: schema_mapping[0].filters[0].operation: expected one of "==", "!=", ">", "<", ">=", "<=", ' +
        '"in", "not in", "contains", "not contains", "is_empty", "is_not_empty", "regex", "is_ip_within" but got "equals"',
    ]);
    expect(error.message).toBe(error.problems[0]);
    expect(error.location).toMatchObject({ line: 20, column: 20, path: 'schema_mapping[0].filters[0].operation' });
  });

  it('a bad diffsync flag is an error with a suggestion', () => {
    const error = failure(HEAD + `diffsync_flags: [SKIP_UNMATCHED_DTS]\nschema_mapping: []\n`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^config\.yml:11:18: diffsync_flags\[0\]: expected one of "NONE", /);
    expect(error.problems[0]).toContain('but got "SKIP_UNMATCHED_DTS" (did you mean `SKIP_UNMATCHED_DST`?)');
  });

  it('wrong types say what was expected and what was found', () => {
    const error = failure(
      HEAD +
        `order: InfraDevice
schema_mapping:
  - name: InfraDevice
    mapping: 42
    identifiers: name
    fields:
      - name: name
        mapping: name
guardrails:
  max_delete_percent: 150
  allow_empty_source: "no"
`,
    );
    expect(error.problems).toEqual([
      'config.yml:11:8: order: expected a list but got "InfraDevice"',
      'config.yml:14:14: schema_mapping[0].mapping: expected a string but got 42',
      'config.yml:15:18: schema_mapping[0].identifiers: expected a list but got "name"',
      'config.yml:20:23: guardrails.max_delete_percent: expected a number <= 100 but got 150',
      'config.yml:21:23: guardrails.allow_empty_source: expected true or false but got "no"',
    ]);
  });

  it('missing required keys point at the mapping that lacks them', () => {
    const error = failure(`name: demo\nsource:\n  settings: {}\nschema_mapping:\n  - mapping: x\n`);
    expect(error.problems).toEqual([
      'config.yml:1:1: missing required key `destination`',
      'config.yml:3:3: source: missing required key `name`',
      'config.yml:5:5: schema_mapping[0]: missing required key `name`',
    ]);
  });

  it('a top level that is not a mapping is refused', () => {
    expect(failure('- a\n- b\n').problems).toEqual([
      'config.yml:1:1: expected a mapping with name, source, destination and schema_mapping',
    ]);
    expect(failure('').problems[0]).toContain('expected a mapping');
  });

  it('a reference close to a mapped kind is an error naming both', () => {
    const error = failure(
      HEAD +
        `schema_mapping:
  - name: OrganizationGeneric
    mapping: tenancy.tenants
    fields:
      - name: name
        mapping: name
  - name: InfraDevice
    mapping: dcim.devices
    fields:
      - name: name
        mapping: name
      - name: organization
        mapping: tenant
        reference: OgranizationGeneric
`,
    );
    expect(error.problems).toEqual([
      'config.yml:24:20: schema_mapping[1].fields[1].reference: reference to `OgranizationGeneric`, ' +
        'which has no schema_mapping entry (did you mean `OrganizationGeneric`?)',
    ]);
  });

  it('a reference to an unmapped kind that is no near-miss is only a warning', () => {
    const loaded = parseConfig(
      HEAD +
        `schema_mapping:
  - name: InfraPlatformType
    mapping: dcim.platform-types
    fields: [{name: name, mapping: name}]
  - name: InfraDevice
    mapping: dcim.devices
    fields: [{name: name, mapping: name}, {name: platform, mapping: platform.name, reference: InfraPlatform}]
`,
      'config.yml',
    );
    expect(loaded.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '17:95 reference to `InfraPlatform`, which has no schema_mapping entry (its nodes must already exist in the destination)',
    ]);
  });

  it('static with mapping, a field with nothing, a stray identifier and a bad operation are all reported together', () => {
    const error = failure(
      HEAD +
        `schema_mapping:
  - name: InfraDevice
    mapping: dcim.devices
    identifiers: [name, serail]
    fields:
      - name: name
        mapping: name
        static: fixed
      - name: serial
      - name: type
        mapping: device_type.model
    filters:
      - field: x
        operation: equals
`,
    );
    expect(error.problems).toEqual([
      'config.yml:14:25: schema_mapping[0].identifiers[1]: identifier `serail` is not a field of this `InfraDevice` entry (did you mean `serial`?)',
      'config.yml:16:9: schema_mapping[0].fields[0]: field `name` has both `static` and `mapping`; keep one',
      'config.yml:19:9: schema_mapping[0].fields[1]: field `serial` needs one of `mapping`, `static` or `reference`',
      expect.stringMatching(/^config\.yml:24:20: schema_mapping\[0\]\.filters\[0\]\.operation: expected one of .* but got "equals"$/),
    ]);
  });

  it('schema errors and unknown keys are collected in one error under strict', () => {
    const error = failure(HEAD + `dyffsync_flags: []\nschema_mapping:\n  - name: X\n    mapping: 1\n    feilds: []\n`, {
      strict: true,
    });
    expect(error.problems).toEqual([
      'config.yml:11:1: dyffsync_flags: unknown key `dyffsync_flags` (did you mean `diffsync_flags`?)',
      'config.yml:14:14: schema_mapping[0].mapping: expected a string but got 1',
      'config.yml:15:5: schema_mapping[0].feilds: unknown key `feilds` (did you mean `fields`?)',
    ]);
  });

  it('a misspelt key joins the error it causes, with a suggestion', () => {
    const error = failure(HEAD + `schema_mapping:\n  - name: A\n    mapping: a\n    fields:\n      - name: n\n        mapp: n\n`);
    expect(error.problems).toEqual([
      'config.yml:15:9: schema_mapping[0].fields[0]: field `n` needs one of `mapping`, `static` or `reference`',
      'config.yml:16:9: schema_mapping[0].fields[0].mapp: unknown key `mapp` (did you mean `mapping`?)',
    ]);
  });

  it('duplicate keys are accepted with a warning (last wins), and refused under strict', () => {
    const text = HEAD.replace('name: demo\n', 'name: first\nname: demo\n') + 'schema_mapping: []\n';
    const loaded = parseConfig(text, 'config.yml');
    expect(loaded.config.name).toBe('demo');
    expect(loaded.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toContain(
      '2:1 key `name` appears more than once; the last one is used',
    );
    expect(failure(text, { strict: true }).problems[0]).toBe(
      'config.yml:2:1: name: key `name` appears more than once; the last one is used',
    );
  });

  it('never echoes a settings value in a message', () => {
    const error = failure(`name: demo\nsource:\n  name: x\n  settings: s3cr3t-token-value\ndestination: {name: on}\n`);
    expect(error.problems).toEqual([
      'config.yml:4:13: source.settings: expected a mapping but got a string',
      'config.yml:5:21: destination.name: expected a string but got true',
    ]);
    expect(error.message).not.toContain('s3cr3t');
    const misplaced = failure(`name: demo\nsource: s3cr3t-token-value\ndestination: {name: y}\n`);
    expect(misplaced.problems).toEqual(['config.yml:2:9: source: expected a mapping but got a string']);
  });

  it('order naming an unmapped kind, and mapped kinds left out of order, are warnings', () => {
    const loaded = parseConfig(
      HEAD +
        `order: [InfraDevice, InfraSite]
schema_mapping:
  - name: InfraDevice
    mapping: dcim.devices
    fields: [{name: name, mapping: name}]
  - name: InfraPlatform
    mapping: dcim.platforms
    fields: [{name: name, mapping: name}]
`,
      'config.yml',
    );
    expect(loaded.warnings.map((w) => `${w.line}:${w.column} ${w.path}: ${w.message}`)).toEqual([
      '11:22 order[1]: `InfraSite` is in order but has no schema_mapping entry',
      '16:11 schema_mapping[1].name: `InfraPlatform` is mapped but missing from order (infrahub-sync only syncs the models in order)',
    ]);
  });
});
