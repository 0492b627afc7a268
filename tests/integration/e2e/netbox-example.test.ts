// infrahub-sync's netbox_to_infrahub example, as published, against the NetBox stand-in and the
// Infrahub stand-in loaded with configs/schemas: diff, sync, a second run with nothing to do, and
// one changed device giving exactly one update. Its three LocationGeneric entries give no
// identifiers; they are keyed by the schema's unique attribute (name), as infrahub-sync does. It
// writes a circuit's type from `type.name` with no `reference` into a relationship to
// ChoiceCircuitType, which it syncs first: the value is that model's key, as infrahub-sync reads it.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, readPlan, run, startSides, type Sides } from './helpers.js';

const CONFIG = join(EXAMPLES, 'netbox_to_infrahub/config.yml');

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('netbox_to_infrahub example end to end', () => {
  it('syncs, finds nothing to do, then turns one changed device into exactly one update', async () => {
    sides = await startSides('netbox', 'small');
    const config = await placeConfig(sides, CONFIG);

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

  it('writes a circuit type given as text into the relationship, by the synced circuit type\'s key, circuit types first', async () => {
    sides = await startSides('netbox', 'tiny', 7);
    const config = await placeConfig(sides, CONFIG);
    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.report?.status).toBe('succeeded');
    const types = new Set(sides.infrahub.nodes('ChoiceCircuitType').map((t) => t.id));
    const circuits = sides.infrahub.nodes('InfraCircuit');
    expect(circuits.length).toBe(sides.source.dataset.tables['circuits.circuits']?.length);
    for (const c of circuits) expect(types.has(c.type)).toBe(true);
    // The schema links circuits to circuit types though the config gives no reference: never one stage.
    const plan = await readPlan(sides, sync.diff);
    const stageOf = (model: string) => plan.stages.findIndex((st) => st.models.includes(model));
    expect(stageOf('ChoiceCircuitType')).toBeGreaterThanOrEqual(0);
    expect(stageOf('InfraCircuit')).toBeGreaterThan(stageOf('ChoiceCircuitType'));
    expect(changeLines((await run(sides, 'diff', config)).diff)).toEqual([]);
  });
});
