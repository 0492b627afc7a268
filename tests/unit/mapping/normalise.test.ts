import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../../../shared/errors.js';
import { normaliseModel, type ReferenceIndex } from '../../../shared/mapping/index.js';
import { config, entry, field } from './helpers.js';

const noRefs: ReferenceIndex = new Map();

describe('normaliseModel (source)', () => {
  const cfg = config([
    entry('LocationSite', 'dcim.sites', ['name'], [field('name', { mapping: 'name' }), field('region', { mapping: 'region.slug' })]),
    entry('OrganizationTenant', 'tenancy.tenants', ['name'], [field('name', { mapping: 'name' })]),
    entry('BuiltinTag', 'extras.tags', ['name'], [field('name', { mapping: 'name' })]),
    entry(
      'InfraDevice',
      'dcim.devices',
      ['name', 'site'],
      [
        field('name', { mapping: 'name' }),
        field('site', { mapping: 'site', reference: 'LocationSite' }),
        field('tenant', { mapping: 'tenant', reference: 'OrganizationTenant' }),
        field('tags', { mapping: 'tags', reference: 'BuiltinTag' }),
        field('serial', { mapping: 'serial' }),
        field('height', { mapping: 'device_type.u_height' }),
        field('managed', { static: false }),
        field('weight', { static: 0 }),
        field('note', { static: '' }),
        field('status', { static: 'active' }),
      ],
    ),
  ]);

  const sites = normaliseModel(cfg, 'LocationSite', 'source', [[{ id: 1, name: 'AMS', region: { slug: 'eu' } }, { id: 2, name: 'NYC' }]], noRefs);
  const tenants = normaliseModel(cfg, 'OrganizationTenant', 'source', [[{ id: 10, name: 'Acme' }]], noRefs);
  const tags = normaliseModel(cfg, 'BuiltinTag', 'source', [[{ id: 20, name: 'core' }, { id: 21, name: 'backbone' }]], noRefs);
  const refs: ReferenceIndex = new Map([
    ['LocationSite', sites.idToKey],
    ['OrganizationTenant', tenants.idToKey],
    ['BuiltinTag', tags.idToKey],
  ]);

  it('maps dotted paths; a missing value is null', () => {
    expect(sites.records).toEqual([
      { model: 'LocationSite', key: 'AMS', ids: { name: 'AMS' }, attrs: { region: 'eu' }, localId: '1' },
      { model: 'LocationSite', key: 'NYC', ids: { name: 'NYC' }, attrs: { region: null }, localId: '2' },
    ]);
    expect(sites.idToKey).toEqual(new Map([['1', 'AMS'], ['2', 'NYC']]));
  });

  it('resolves references one / many (sorted) / scalar, keeps statics including false, 0 and ""', () => {
    const r = normaliseModel(
      cfg,
      'InfraDevice',
      'source',
      [
        [
          { id: 100, name: 'sw1', site: { id: 1, name: 'AMS' }, tenant: { id: 10 }, tags: [{ id: 20 }, { id: 21 }], serial: 'X1', device_type: { u_height: 1 } },
          { id: 101, name: 'sw2', site: 'NYC', tenant: null, tags: [], serial: '', device_type: null },
        ],
      ],
      refs,
    );
    expect(r.warnings).toEqual([]);
    expect(r.records[0]).toEqual({
      model: 'InfraDevice',
      key: 'sw1__AMS',
      ids: { name: 'sw1', site: 'AMS' },
      attrs: { tenant: 'Acme', tags: ['backbone', 'core'], serial: 'X1', height: 1, managed: false, weight: 0, note: '', status: 'active' },
      localId: '100',
    });
    expect(r.records[1]).toMatchObject({ key: 'sw2__NYC', attrs: { tenant: null, tags: [], serial: '', height: null } });
  });

  it('leaves out a reference whose peer is missing, with a warning naming model, key, field and id', () => {
    const r = normaliseModel(
      cfg,
      'InfraDevice',
      'source',
      [[{ id: 100, name: 'sw1', site: { id: 1 }, tenant: { id: 99 }, tags: [{ id: 20 }, { id: 77 }] }]],
      refs,
    );
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.attrs).not.toHaveProperty('tenant');
    expect(r.records[0]!.attrs).not.toHaveProperty('tags');
    expect(r.warnings.map((w) => [w.code, w.model, w.key, w.field, w.missing])).toEqual([
      ['reference-missing', 'InfraDevice', 'sw1__AMS', 'tenant', ['99']],
      ['reference-missing', 'InfraDevice', 'sw1__AMS', 'tags', ['77']],
    ]);
    expect(r.warnings[0]!.message).toContain('99');
  });

  it('skips records whose identifier is null or unresolved, with warnings', () => {
    const r = normaliseModel(
      cfg,
      'InfraDevice',
      'source',
      [[{ id: 1, name: null, site: { id: 1 } }, { id: 2, name: 'sw9', site: { id: 404 } }, { id: 3, name: 'ok', site: { id: 2 } }]],
      refs,
    );
    expect(r.records.map((x) => x.key)).toEqual(['ok__NYC']);
    expect(r.warnings.map((w) => [w.code, w.localId, w.field])).toEqual([
      ['identifier-null', '1', 'name'],
      ['identifier-unresolved', '2', 'site'],
    ]);
    expect(r.idToKey.has('1')).toBe(false);
  });

  it('throws DuplicateKeyError listing all duplicates', () => {
    let err: unknown;
    try {
      normaliseModel(
        cfg,
        'LocationSite',
        'source',
        [[{ id: 1, name: 'AMS' }, { id: 2, name: 'AMS' }, { id: 3, name: 'NYC' }, { id: 4, name: 'NYC' }, { id: 5, name: 'AMS' }, { id: 6, name: 'LON' }]],
        noRefs,
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DuplicateKeyError);
    expect((err as DuplicateKeyError).duplicates).toEqual([
      { key: 'AMS', localIds: ['1', '2', '5'] },
      { key: 'NYC', localIds: ['3', '4'] },
    ]);
    expect((err as Error).message).toMatch(/^LocationSite: 2 key\(s\) produced by more than one source record: AMS/);
  });

  it('says which side holds the duplicates: the destination can, when its nodes differ only outside the identifiers', () => {
    expect(() =>
      normaliseModel(cfg, 'LocationSite', 'destination', [[{ id: 'n1', name: 'AMS' }, { id: 'n2', name: 'AMS' }]], noRefs),
    ).toThrow(/^LocationSite: 1 key\(s\) produced by more than one destination record \(the destination holds nodes the identifiers do not tell apart; ids are its node ids\): AMS \(ids n1, n2\)/);
  });

  it('renders non-string identifiers like Python str()', () => {
    const c = config([
      entry('Vlan', 'ipam.vlans', ['vid', 'active', 'ratio'], [field('vid', { mapping: 'vid' }), field('active', { mapping: 'a' }), field('ratio', { mapping: 'r' })]),
    ]);
    const r = normaliseModel(c, 'Vlan', 'source', [[{ id: 1, vid: 100, a: true, r: 0.5 }, { id: 2, vid: 0, a: false, r: 1e-7 }]], noRefs);
    expect(r.records.map((x) => x.key)).toEqual(['100__True__0.5', '0__False__1e-07']);
    expect(r.records[0]!.ids).toEqual({ vid: 100, active: true, ratio: 0.5 });
  });

  it('applies filters on the raw record, then transforms, then fields; counts what was filtered', () => {
    const c = config([
      entry('InfraDevice', 'dcim.devices', ['name'], [field('name', { mapping: 'name' }), field('serial_number', { mapping: 'serial' })], {
        filters: [
          { field: 'name', operation: 'contains', value: 'dmi01' },
          { field: 'name', operation: 'not contains', value: 'pdu' },
        ],
        transforms: [
          { field: 'name', expression: "{{ name.lower() if name else '' }}" },
          { field: 'serial', expression: "{{ serial.lower() if serial else '' }}" },
        ],
      }),
    ]);
    const r = normaliseModel(
      c,
      'InfraDevice',
      'source',
      [[{ id: 1, name: 'DMI01-SW', serial: 'AB' }, { id: 2, name: 'dmi01-pdu', serial: 'X' }, { id: 3, name: 'other', serial: 'Y' }, { id: 4, name: 'x-dmi01', serial: null }]],
      noRefs,
    );
    // The filter is case-sensitive and sees the raw name: DMI01-SW does not contain "dmi01".
    expect(r.filtered).toBe(3);
    expect(r.records).toEqual([{ model: 'InfraDevice', key: 'x-dmi01', ids: { name: 'x-dmi01' }, attrs: { serial_number: '' }, localId: '4' }]);
  });

  it('reads a reference without mapping from the source field of the same name', () => {
    const c = config([
      entry('LocationSite', 'dcim.sites', ['name'], [field('name', { mapping: 'name' })]),
      entry('InfraRack', 'dcim.racks', ['name'], [field('name', { mapping: 'name' }), field('site', { reference: 'LocationSite' })]),
    ]);
    const s = normaliseModel(c, 'LocationSite', 'source', [[{ id: 1, name: 'AMS' }]], noRefs);
    const r = normaliseModel(c, 'InfraRack', 'source', [[{ id: 5, name: 'R1', site: { id: 1 } }]], new Map([['LocationSite', s.idToKey]]));
    expect(r.records[0]!.attrs).toEqual({ site: 'AMS' });
  });

  it('resolves a reference to the same model (parent), whatever the record order', () => {
    const c = config([
      entry('LocationGeneric', 'dcim.regions', ['name'], [field('name', { mapping: 'name' }), field('parent', { mapping: 'parent', reference: 'LocationGeneric' })]),
      entry('Prefix', 'ipam.prefixes', ['prefix', 'parent'], [field('prefix', { mapping: 'prefix' }), field('parent', { mapping: 'parent', reference: 'Prefix' })]),
    ]);
    const r = normaliseModel(c, 'LocationGeneric', 'source', [[{ id: 2, name: 'NL', parent: { id: 1 } }, { id: 1, name: 'EU', parent: null }]], noRefs);
    expect(r.records.map((x) => [x.key, x.attrs.parent])).toEqual([['NL', 'EU'], ['EU', null]]);
    // An identifier that references its own model: keyed once its peer is keyed.
    const p = normaliseModel(
      c,
      'Prefix',
      'source',
      [[{ id: 3, prefix: '10.1.1.0/24', parent: { id: 2 } }, { id: 2, prefix: '10.1.0.0/16', parent: { id: 1 } }, { id: 1, prefix: '10.0.0.0/8', parent: 'root' }, { id: 4, prefix: 'x', parent: { id: 99 } }]],
      noRefs,
    );
    expect(p.records.map((x) => x.key)).toEqual(['10.1.1.0/24__10.1.0.0/16__10.0.0.0/8__root', '10.1.0.0/16__10.0.0.0/8__root', '10.0.0.0/8__root']);
    expect(p.warnings.map((w) => [w.code, w.localId])).toEqual([['identifier-unresolved', '4']]);
  });

  it('merges several entries of one model, one raw list per entry', () => {
    const c = config([
      entry('LocationGeneric', 'dcim.regions', ['name'], [field('name', { mapping: 'name' }), field('type', { static: 'Region' })]),
      entry('LocationGeneric', 'dcim.sites', ['name'], [field('name', { mapping: 'name' }), field('type', { static: 'Site' })]),
      entry('LocationGeneric', '', ['name'], [field('name')]),
    ]);
    const r = normaliseModel(c, 'LocationGeneric', 'source', [[{ id: 1, name: 'EU' }], [{ id: 1, name: 'AMS' }]], noRefs);
    expect(r.records.map((x) => [x.key, x.attrs.type])).toEqual([['EU', 'Region'], ['AMS', 'Site']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['local-id-collision']);
    expect(() => normaliseModel(c, 'LocationGeneric', 'source', [[]], noRefs)).toThrow(/raw record lists/);
  });
});

describe('normaliseModel (destination)', () => {
  const cfg = config([
    entry('LocationSite', 'dcim.sites', ['name'], [field('name', { mapping: 'name' })]),
    entry(
      'InfraDevice',
      'dcim.devices',
      ['name', 'site'],
      [
        field('name', { mapping: 'name' }),
        field('site', { mapping: 'site', reference: 'LocationSite' }),
        field('tags', { mapping: 'tags', reference: 'LocationSite' }),
        field('serial', { mapping: 'serial_number' }),
        field('status', { static: 'active' }),
      ],
    ),
  ]);

  it('reads fields by name, statics from the record, references as {id} or keys', () => {
    const sites = normaliseModel(cfg, 'LocationSite', 'destination', [[{ id: 'uuid-s1', name: 'AMS' }, { id: 'uuid-s2', name: 'NYC' }]], noRefs);
    const refs: ReferenceIndex = new Map([['LocationSite', sites.idToKey]]);
    const r = normaliseModel(
      cfg,
      'InfraDevice',
      'destination',
      [
        [
          { id: 'uuid-d1', name: 'sw1', site: { id: 'uuid-s1' }, tags: [{ id: 'uuid-s2' }, { id: 'uuid-s1' }], serial: 'X', status: 'planned' },
          { id: 'uuid-d2', name: 'sw2', site: 'NYC', tags: ['NYC'], status: null },
        ],
      ],
      refs,
    );
    expect(r.records).toEqual([
      { model: 'InfraDevice', key: 'sw1__AMS', ids: { name: 'sw1', site: 'AMS' }, attrs: { tags: ['AMS', 'NYC'], serial: 'X', status: 'planned' }, localId: 'uuid-d1' },
      { model: 'InfraDevice', key: 'sw2__NYC', ids: { name: 'sw2', site: 'NYC' }, attrs: { tags: ['NYC'], serial: null, status: null }, localId: 'uuid-d2' },
    ]);
    expect(r.idToKey.get('uuid-d1')).toBe('sw1__AMS');
  });

  it('does not filter or transform the destination', () => {
    const c = config([
      entry('T', 'x', ['name'], [field('name', { mapping: 'n' })], {
        filters: [{ field: 'name', operation: '==', value: 'nope' }],
        transforms: [{ field: 'name', expression: '{{ undefined_var }}' }],
      }),
    ]);
    const r = normaliseModel(c, 'T', 'destination', [[{ id: 'a', name: 'A' }]], noRefs);
    expect(r.records.map((x) => x.key)).toEqual(['A']);
    expect(r.filtered).toBe(0);
  });
});

describe('a field listed twice in one entry', () => {
  it('uses the later definition on both sides, so the reference compares as a key', () => {
    const config = {
      name: 't',
      source: { name: 'file', settings: {} },
      destination: { name: 'file', settings: {} },
      order: ['Org', 'Net'],
      diffsync_flags: [],
      guardrails: { max_delete_percent: 20, allow_empty_source: false },
      schema_mapping: [
        { name: 'Org', mapping: 'orgs', identifiers: ['name'], filters: [], transforms: [], fields: [{ name: 'name', mapping: 'name', hasStatic: false }] },
        {
          name: 'Net',
          mapping: 'nets',
          identifiers: ['name'],
          filters: [],
          transforms: [],
          fields: [
            { name: 'name', mapping: 'name', hasStatic: false },
            { name: 'provider', mapping: 'provider.slug', hasStatic: false },
            { name: 'provider', mapping: 'provider', reference: 'Org', hasStatic: false },
          ],
        },
      ],
    };
    const src = normaliseModel(config, 'Net', 'source', [[{ id: 1, name: 'n1', provider: { id: 7, slug: 'x' } }]], new Map([['Org', new Map([['7', 'Acme']])]]));
    const dst = normaliseModel(config, 'Net', 'destination', [[{ id: 'a', name: 'n1', provider: { id: 'o1' } }]], new Map([['Org', new Map([['o1', 'Acme']])]]));
    expect(src.records[0]?.attrs.provider).toBe('Acme');
    expect(dst.records[0]?.attrs.provider).toBe('Acme');
  });
});
