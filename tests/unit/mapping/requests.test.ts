import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { buildLoadRequests } from '../../../shared/mapping/index.js';
import { config, entry, field } from './helpers.js';

const cfg = config([
  entry('LocationGeneric', 'dcim.regions', ['name'], [field('name', { mapping: 'name' }), field('type', { static: 'Region' })]),
  entry('LocationGeneric', 'dcim.sites', ['name'], [field('name', { mapping: 'name' }), field('parent', { mapping: 'region', reference: 'LocationGeneric' })]),
  entry('LocationGeneric', '', ['name'], [field('name')]),
  entry(
    'InfraDevice',
    'dcim.devices',
    ['name'],
    [
      field('name', { mapping: 'name' }),
      field('site', { mapping: 'site', reference: 'LocationGeneric' }),
      field('serial_number', { mapping: 'serial' }),
      field('status', { static: 'active' }),
      field('description', { mapping: 'new_description' }),
      field('platform', { reference: 'InfraPlatform' }),
    ],
    {
      filters: [{ field: 'role.slug', operation: '==', value: 'leaf' }, { field: 'name', operation: 'is_not_empty' }],
      transforms: [
        { field: 'name', expression: '{{ name.lower() }}' },
        { field: 'new_description', expression: "{{ device_type.model ~ ' in ' ~ site.name }}" },
      ],
    },
  ),
]);

describe('buildLoadRequests', () => {
  it('source: one request per entry with a mapping, fields + filter fields + transform inputs', () => {
    const reqs = buildLoadRequests(cfg, 'InfraDevice', 'source');
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toEqual({
      side: 'source',
      model: 'InfraDevice',
      path: 'dcim.devices',
      fields: [
        { name: 'name', path: 'name' },
        { name: 'site', path: 'site', reference: 'LocationGeneric' },
        { name: 'serial_number', path: 'serial' },
        { name: 'platform', path: 'platform', reference: 'InfraPlatform' },
        { name: 'role.slug', path: 'role.slug' },
        { name: 'device_type.model', path: 'device_type.model' },
        { name: 'site.name', path: 'site.name' },
      ],
    });
  });

  it('source: several entries of one model, the one without mapping left out', () => {
    const reqs = buildLoadRequests(cfg, 'LocationGeneric', 'source');
    expect(reqs.map((r) => [r.path, r.fields.map((f) => f.path)])).toEqual([
      ['dcim.regions', ['name']],
      ['dcim.sites', ['name', 'region']],
    ]);
  });

  it('destination: one request for the kind, every field by name, statics included, mappings alongside', () => {
    expect(buildLoadRequests(cfg, 'InfraDevice', 'destination')).toEqual([
      {
        side: 'destination',
        model: 'InfraDevice',
        path: 'InfraDevice',
        mapping: 'dcim.devices',
        fields: [
          { name: 'name', path: 'name', mapping: 'name' },
          { name: 'site', path: 'site', reference: 'LocationGeneric', mapping: 'site' },
          { name: 'serial_number', path: 'serial_number', mapping: 'serial' },
          { name: 'status', path: 'status' },
          { name: 'description', path: 'description', mapping: 'new_description' },
          { name: 'platform', path: 'platform', reference: 'InfraPlatform' },
        ],
      },
    ]);
    // The first entry with a mapping names where the model lives.
    expect(buildLoadRequests(cfg, 'LocationGeneric', 'destination')[0]!.mapping).toBe('dcim.regions');
    expect(buildLoadRequests(cfg, 'LocationGeneric', 'destination')[0]!.fields.map((f) => f.name)).toEqual(['name', 'type', 'parent']);
  });

  it('rejects an unknown model', () => {
    expect(() => buildLoadRequests(cfg, 'Nope', 'source')).toThrow(ConfigError);
  });
});
