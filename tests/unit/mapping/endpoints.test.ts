import { describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../shared/config/types.js';
import { endpointKeyFromUrl, endpointOfMapping } from '../../../shared/mapping/endpoints.js';
import { normaliseModel } from '../../../shared/mapping/index.js';

const f = (name: string, mapping: string, reference?: string) => ({ name, mapping, reference, hasStatic: false });
const config: SyncConfig = {
  name: 't',
  source: { name: 'netbox', settings: {} },
  destination: { name: 'infrahub', settings: {} },
  order: ['OrganizationGeneric', 'ChoiceDeviceType'],
  diffsync_flags: [],
  guardrails: { max_delete_percent: 20, allow_empty_source: false },
  schema_mapping: [
    { name: 'OrganizationGeneric', mapping: 'tenancy.tenants', identifiers: ['name'], filters: [], transforms: [], fields: [f('name', 'name')] },
    { name: 'OrganizationGeneric', mapping: 'dcim.manufacturers', identifiers: ['name'], filters: [], transforms: [], fields: [f('name', 'name')] },
    { name: 'ChoiceDeviceType', mapping: 'dcim.device_types', identifiers: ['name'], filters: [], transforms: [], fields: [f('name', 'model'), f('manufacturer', 'manufacturer', 'OrganizationGeneric')] },
  ],
};

describe('references into a model fed by several endpoints (NetBox ids are per table)', () => {
  const orgs = normaliseModel(config, 'OrganizationGeneric', 'source', [
    [{ id: 1, name: 'Acme Corp' }],
    [{ id: 1, name: 'Cisco' }],
  ], new Map());
  const refs = new Map([['OrganizationGeneric', orgs.idToKey]]);

  it('resolves a nested object by its url to the right endpoint', () => {
    const types = normaliseModel(config, 'ChoiceDeviceType', 'source', [[
      { id: 5, model: 'C9300', manufacturer: { id: 1, url: 'https://netbox.example/api/dcim/manufacturers/1/', name: 'Cisco' } },
    ]], refs);
    expect(types.records[0]?.attrs.manufacturer).toBe('Cisco');
  });

  it('falls back to the first record with that id when there is no url, and says so', () => {
    const types = normaliseModel(config, 'ChoiceDeviceType', 'source', [[{ id: 5, model: 'C9300', manufacturer: { id: 1 } }]], refs);
    expect(types.records[0]?.attrs.manufacturer).toBe('Acme Corp');
    expect(orgs.warnings.map((w) => w.code)).toEqual(['local-id-collision']);
  });

  it('maps config paths and API urls to the same endpoint names', () => {
    expect(endpointOfMapping('dcim.device_roles')).toBe('dcim/device-roles');
    expect(endpointOfMapping('plugin.bgp.autonomous-systems')).toBe('plugins/bgp/autonomous-systems');
    expect(endpointKeyFromUrl('http://h:8000/api/dcim/device-roles/7/', '7')).toBe('dcim/device-roles#7');
    expect(endpointKeyFromUrl('http://h/api/plugins/bgp/autonomous-systems/9/?x=1', '9')).toBe('plugins/bgp/autonomous-systems#9');
    expect(endpointKeyFromUrl('http://h/api/dcim/sites/2/', '3')).toBeUndefined();
    expect(endpointKeyFromUrl('not a url', '1')).toBeUndefined();
  });
});
