// Entries without `identifiers` (the NetBox example's three LocationGeneric entries): the
// destination adapter names the schema's unique attributes, the loader records them in the
// destination snapshot, and planRun keys both sides by them.
import { describe, expect, it } from 'vitest';
import type { Adapter, LoadRequest, RawRecord } from '../../../shared/adapters/types.js';
import { parseConfig } from '../../../shared/config/index.js';
import { normaliseModel } from '../../../shared/mapping/index.js';
import { loadModelSide, planRun } from '../../../shared/runtime/steps/index.js';
import { config, entry, field } from '../mapping/helpers.js';

const YAML = `
name: locations
source: { name: netbox, settings: {} }
destination: { name: infrahub, settings: {} }
order: [LocationGeneric]
schema_mapping:
  - name: LocationGeneric
    mapping: dcim.regions
    fields:
      - { name: name, mapping: name }
      - { name: description, mapping: description }
      - { name: type, static: Region }
  - name: LocationGeneric
    mapping: dcim.sites
    fields:
      - { name: name, mapping: name }
      - { name: description, mapping: description }
      - { name: type, static: Site }
`;

/** A destination-shaped adapter over fixed records, whose schema says `name` and `code` are unique. */
function adapter(records: Record<string, RawRecord[]>, unique: string[] | undefined): Adapter {
  return {
    system: 'test',
    load: async (req: LoadRequest) => records[req.path] ?? [],
    defaultIdentifiers: () => unique,
  };
}

describe('identifiers from the destination schema', () => {
  it('keys both sides by the unique attributes the mapping maps, so the second run is clean', async () => {
    const loaded = parseConfig(YAML, 'inline.yml');
    const source = adapter(
      {
        'dcim.regions': [{ id: 1, name: 'Europe', description: '' }],
        'dcim.sites': [{ id: 2, name: 'Paris', description: 'PA1' }],
      },
      undefined,
    );
    const destination = adapter(
      {
        LocationGeneric: [
          { id: 'a', name: 'Europe', description: '', type: 'Region' },
          { id: 'b', name: 'Paris', description: 'old', type: 'Site' },
        ],
      },
      ['code', 'name'],
    );
    const src = await loadModelSide(source, loaded, 'LocationGeneric', 'source');
    const dst = await loadModelSide(destination, loaded, 'LocationGeneric', 'destination');
    // `code` is unique in the schema but not mapped, so only `name` identifies.
    expect(dst.identifiers).toEqual(['name']);
    expect(src.identifiers).toBeUndefined();

    const outcome = planRun(loaded, 'run-1', [src, dst]);
    expect(outcome.plan.summary).toMatchObject({ create: 0, update: 1, delete: 0, 'no-change': 1 });
    const change = outcome.plan.stages.flatMap((s) => s.changes)[0];
    expect(change).toMatchObject({ action: 'update', key: 'Paris', attrs: { description: 'PA1' }, destinationId: 'b' });
  });

  it('fails with a ConfigError naming the model when no identifiers can be found', async () => {
    const loaded = parseConfig(YAML, 'inline.yml');
    const none = adapter({}, undefined);
    const src = await loadModelSide(none, loaded, 'LocationGeneric', 'source');
    const dst = await loadModelSide(none, loaded, 'LocationGeneric', 'destination');
    expect(() => planRun(loaded, 'run-2', [src, dst])).toThrow(/LocationGeneric: no identifiers/);
  });

  it('takes the identifiers of a sibling entry of the same model first, as infrahub-sync does', () => {
    const cfg = config([
      entry('LocationGeneric', 'dcim.regions', [], [field('name', { mapping: 'name' }), field('slug', { mapping: 'slug' })]),
      entry('LocationGeneric', 'dcim.sites', ['slug'], [field('name', { mapping: 'name' }), field('slug', { mapping: 'slug' })]),
    ]);
    const raws = [[{ id: 1, name: 'Europe', slug: 'eu' }], [{ id: 2, name: 'Paris', slug: 'par' }]];
    const result = normaliseModel(cfg, 'LocationGeneric', 'source', raws, new Map(), { identifiers: { LocationGeneric: ['name'] } });
    expect(result.records.map((r) => r.key)).toEqual(['eu', 'par']);
  });
});
