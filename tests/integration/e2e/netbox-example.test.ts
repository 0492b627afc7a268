// infrahub-sync's netbox_to_infrahub example, against the NetBox stand-in and the Infrahub
// stand-in loaded with configs/schemas: diff, sync, a second run with nothing to do, and one
// changed device giving exactly one update. Its three LocationGeneric entries give no
// identifiers; they are keyed by the schema's unique attribute (name), as infrahub-sync does.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, startSides, type Sides } from './helpers.js';

const CONFIG = join(EXAMPLES, 'netbox_to_infrahub/config.yml');

/**
 * The one place the example cannot work against the schema both examples share: it writes
 * InfraCircuit.type as text (`type.name`) where the schema (after the newer Nautobot v2 example)
 * has a relationship to ChoiceCircuitType, which the same config syncs from circuit-types.
 */
const CIRCUIT_TYPE: [string, string][] = [
  ['      - name: type\n        mapping: type.name\n', '      - name: type\n        mapping: type\n        reference: ChoiceCircuitType\n'],
];

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('netbox_to_infrahub example end to end', () => {
  it('syncs, finds nothing to do, then turns one changed device into exactly one update', async () => {
    sides = await startSides('netbox', 'small');
    const config = await placeConfig(sides, CONFIG, CIRCUIT_TYPE);

    const diff = await run(sides, 'diff', config);
    expect(diff.code).toBe(0);
    expect(diff.diff.summary).toMatchObject({ update: 0, delete: 0 });
    const locations = diff.diff.changes.filter((c) => c.model === 'LocationGeneric');
    expect(locations.length).toBeGreaterThan(0);
    // Keyed by name (the schema's unique attribute), which the example maps from the slug.
    for (const l of locations) expect(l.key).toMatch(/^[a-z0-9-]+$/);

    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    expect(sync.report?.applied.create).toBe(diff.diff.summary.create);

    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(diff.diff.summary.create);

    // The example only syncs devices named dmi01* that are not PDUs.
    const device = sides.source.dataset.tables['dcim.devices']?.find(
      (d) => typeof d.name === 'string' && d.name.includes('dmi01') && !d.name.includes('pdu'),
    );
    if (!device) throw new Error('no dmi01 device in the dataset');
    device.serial = 'E2E-CHANGED-1';
    const third = await run(sides, 'sync', config);
    expect(failureLines(third.report)).toEqual([]);
    expect(third.diff.summary).toMatchObject({ create: 0, update: 1, delete: 0 });
    expect(third.diff.changes).toEqual([
      expect.objectContaining({ action: 'update', model: 'InfraDevice', attrs: { serial_number: 'E2E-CHANGED-1' } }),
    ]);

    const fourth = await run(sides, 'diff', config);
    expect(changeLines(fourth.diff)).toEqual([]);
  });

  it('as published, only the circuits fail (type written as text into a relationship)', async () => {
    sides = await startSides('netbox', 'tiny');
    const config = await placeConfig(sides, CONFIG);
    const sync = await run(sides, 'sync', config);
    const failures = sync.report?.failures ?? [];
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.model === 'InfraCircuit' && /type/.test(f.message))).toBe(true);
  });
});
