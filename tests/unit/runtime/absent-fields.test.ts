// A mapped source key that no record has (a typo, or NetBox 4.2's prefix `site` -> `scope`)
// would leave the field empty everywhere without a word; the plan warns instead.
import { describe, expect, it } from 'vitest';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { parseConfig } from '../../../shared/config/index.js';
import { absentMappedFields } from '../../../shared/mapping/index.js';
import { loadModelSide, planRun } from '../../../shared/runtime/steps/index.js';

const YAML = `
name: prefixes
source: { name: netbox, settings: {} }
destination: { name: infrahub, settings: {} }
order: [LocationGeneric, InfraPrefix]
schema_mapping:
  - name: LocationGeneric
    mapping: dcim.sites
    identifiers: [name]
    fields:
      - { name: name, mapping: name }
  - name: InfraPrefix
    mapping: ipam.prefixes
    identifiers: [prefix]
    fields:
      - { name: prefix, mapping: prefix }
      - { name: description, mapping: description }
      - { name: location, mapping: site, reference: LocationGeneric }
      - { name: vlan_name, mapping: vlan.name }
      - { name: kind, static: ipv4 }
      - { name: label, mapping: label_text }
    transforms:
      - { field: label_text, expression: "{{ prefix }}" }
`;

const site = { id: 1, url: 'http://nb/api/dcim/sites/1/', name: 'ams01' };
// NetBox 4.2+: `scope` instead of `site`; one prefix has no VLAN (null), one no description key.
const prefixes: RawRecord[] = [
  { id: 10, prefix: '10.0.0.0/24', description: 'a', scope_type: 'dcim.site', scope: site, vlan: null },
  { id: 11, prefix: '10.0.1.0/24', scope_type: 'dcim.site', scope: site, vlan: { id: 5, name: 'v5' } },
];

function source(records: Record<string, RawRecord[]>): Adapter {
  return { system: 'netbox', load: async (req: LoadRequest) => records[req.path] ?? [] };
}

describe('mapped fields no record has', () => {
  const loaded = parseConfig(YAML, 'inline.yml');
  const entry = loaded.config.schema_mapping[1];

  it('names only top-level keys absent from every record (not nulls, not static or transform-made fields)', () => {
    if (!entry) throw new Error('no entry');
    expect(absentMappedFields(entry, prefixes).map((f) => `${f.name}<-${f.path}`)).toEqual(['location<-site']);
    expect(absentMappedFields(entry, [])).toEqual([]);
    expect(absentMappedFields(entry, [{ ...prefixes[0], site }]).map((f) => f.name)).toEqual([]);
  });

  it('planRun warns once per such field, with the model, the endpoint and the record count', async () => {
    const src = source({ 'dcim.sites': [site], 'ipam.prefixes': prefixes });
    const dst: Adapter = { system: 'infrahub', load: async () => [] };
    const snapshots = [];
    for (const model of ['LocationGeneric', 'InfraPrefix']) {
      snapshots.push(await loadModelSide(src, loaded, model, 'source'), await loadModelSide(dst, loaded, model, 'destination'));
    }
    const out = planRun(loaded, 'r1', snapshots);
    const absent = out.warnings.filter((w) => w.includes('none of the'));
    expect(absent).toEqual([
      'source: InfraPrefix from ipam.prefixes: none of the 2 records has "site", so location stays empty on all of them; check the mapping "site" against what the source returns',
    ]);
    expect(out.plan.summary.create).toBe(3);
  });
});
