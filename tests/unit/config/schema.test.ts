import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';

const HEAD = `name: demo
source: {name: netbox, settings: {url: "http://127.0.0.1:1"}}
destination: {name: infrahub}
`;

describe('schema: values and defaults', () => {
  it('keeps static false, 0, "", null and "n" with hasStatic', () => {
    const { config } = parseConfig(
      HEAD +
        `schema_mapping:
  - name: InfraThing
    mapping: things
    fields:
      - {name: a, static: false}
      - {name: b, static: 0}
      - {name: c, static: ""}
      - {name: d, static: null}
      - {name: e, static:}
      - {name: f, static: n}
      - {name: g, mapping: g}
`,
      'config.yml',
    );
    const fields = config.schema_mapping[0]?.fields ?? [];
    expect(fields.map((f) => [f.name, f.hasStatic, f.static])).toEqual([
      ['a', true, false],
      ['b', true, 0],
      ['c', true, ''],
      ['d', true, null],
      ['e', true, null],
      ['f', true, 'n'],
      ['g', false, undefined],
    ]);
    expect('static' in (fields[6] ?? {})).toBe(false);
  });

  it('fills upstream defaults: empty lists, settings {}, no store, guardrails', () => {
    const loaded = parseConfig(
      HEAD +
        `diffsync_flags:
order:
schema_mapping:
  - name: InfraThing
    mapping:
    identifiers:
    filters:
    transforms:
    fields:
`,
      'config.yml',
    );
    const { config } = loaded;
    expect(config.destination).toEqual({ name: 'infrahub', settings: {} });
    expect(config.store).toBeUndefined();
    expect(config.order).toEqual([]);
    expect(config.diffsync_flags).toEqual([]);
    expect(config.guardrails).toEqual({ max_delete_percent: 20, allow_empty_source: false });
    expect(config.schema_mapping).toEqual([
      { name: 'InfraThing', mapping: '', identifiers: [], filters: [], transforms: [], fields: [] },
    ]);
    expect(loaded.file.endsWith('/config.yml')).toBe(true);
  });

  it('reads every key of the format', () => {
    const { config, warnings } = parseConfig(
      `name: full
description: all keys
store: {type: redis, settings: {host: 127.0.0.1}}
source: {name: custom, adapter: "./adapters/mine.py:MyAdapter", settings: {path: data.json}}
destination: {name: infrahub, settings: {url: "http://127.0.0.1:8000", branch: main}}
adapters_path: [./adapters]
order: [Tag]
diffsync_flags: [SKIP_UNMATCHED_DST, CONTINUE_ON_FAILURE]
incremental: {since: 2026-01-01}
guardrails: {max_delete_percent: 5.5, allow_empty_source: yes}
schema_mapping:
  - name: Tag
    mapping: tags
    identifiers: [name]
    filters: [{field: name, operation: "not in", value: [a, b]}, {field: x, operation: is_empty}]
    transforms: [{field: name, expression: "{{ name.lower() }}"}]
    fields: [{name: name, mapping: name}, {name: parent, mapping: parent, reference: Tag}]
`,
      'config.yml',
    );
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      name: 'full',
      description: 'all keys',
      store: { type: 'redis', settings: { host: '127.0.0.1' } },
      source: { name: 'custom', adapter: './adapters/mine.py:MyAdapter', settings: { path: 'data.json' } },
      adapters_path: ['./adapters'],
      diffsync_flags: ['SKIP_UNMATCHED_DST', 'CONTINUE_ON_FAILURE'],
      guardrails: { max_delete_percent: 5.5, allow_empty_source: true },
    });
    expect(config.incremental).toBeDefined();
    const entry = config.schema_mapping[0];
    expect(entry?.filters).toEqual([
      { field: 'name', operation: 'not in', value: ['a', 'b'] },
      { field: 'x', operation: 'is_empty' },
    ]);
    expect(entry?.fields[1]).toEqual({ name: 'parent', mapping: 'parent', reference: 'Tag', hasStatic: false });
  });

  it('entries sharing one name are kept apart, in order', () => {
    const { config } = parseConfig(
      HEAD +
        `schema_mapping:
  - {name: Loc, mapping: dcim.regions, fields: [{name: name, mapping: name}, {name: type, static: Region}]}
  - {name: Loc, mapping: dcim.sites, fields: [{name: name, mapping: name}, {name: type, static: Site}]}
`,
      'config.yml',
    );
    expect(config.schema_mapping.map((e) => [e.name, e.mapping])).toEqual([
      ['Loc', 'dcim.regions'],
      ['Loc', 'dcim.sites'],
    ]);
  });

  it('YAML anchors and merge keys work as in PyYAML', () => {
    const { config } = parseConfig(
      HEAD +
        `x-fields: &common
  - {name: name, mapping: name}
schema_mapping:
  - name: A
    mapping: a
    fields: *common
`,
      'config.yml',
    );
    expect(config.schema_mapping[0]?.fields).toEqual([{ name: 'name', mapping: 'name', hasStatic: false }]);
  });

  it('an inline config resolves relative to the working directory', () => {
    const loaded = parseConfig(HEAD + 'schema_mapping: []\n', '<inline>');
    expect(loaded.file).toBe('<inline>');
    expect(loaded.dir).toBe(process.cwd());
    expect(loaded.warnings.map((w) => w.message)).toEqual(['no schema_mapping entries: nothing will be synced']);
  });
});
