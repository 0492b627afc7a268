// The config layer knows the built-in adapters by name only (to tell an unknown Jinja filter
// from one an upstream adapter would define); the registry holds their code. Same list.
import { describe, expect, it } from 'vitest';
import { knownAdapters } from '../../../shared/adapters/registry.js';
import { BUILTIN_ADAPTERS } from '../../../shared/config/adapters.js';
import { parseConfig } from '../../../shared/config/load.js';

describe('built-in adapter names', () => {
  it('are the registry’s', () => {
    expect([...BUILTIN_ADAPTERS].sort()).toEqual(knownAdapters());
  });

  it('make an unknown filter an error for a built-in source, a warning for a source this tool lacks', () => {
    const config = (source: string) => `name: t
source: { name: ${source}, settings: {} }
destination: { name: file, settings: { path: ./d } }
schema_mapping:
  - name: M
    mapping: m
    identifiers: [name]
    transforms:
      - { field: x, expression: "{{ dn | aci_device_name }}" }
    fields:
      - { name: name, mapping: name }
`;
    expect(() => parseConfig(config('netbox'), 'c.yml')).toThrow(/c\.yml:9:42: schema_mapping\[0\]\.transforms\[0\]\.expression: template error: no filter named 'aci_device_name'/);
    const loaded = parseConfig(config('aci'), 'c.yml');
    expect(loaded.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      "9:42 no filter named 'aci_device_name': not a Jinja2 filter; the aci adapter of infrahub-sync may define it, and that adapter is not available here",
    ]);
  });
});
