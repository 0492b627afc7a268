// infrahub-sync's nautobot-v2_to_infrahub example, against the Nautobot stand-in and the
// Infrahub stand-in loaded with configs/schemas: diff, sync, a second run with nothing to do, and
// one changed device giving exactly one update.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, startSides, type Sides } from './helpers.js';

const CONFIG = join(EXAMPLES, 'nautobot-v2_to_infrahub/config.yml');

/** The example's `order` comments out devices, interfaces and IP addresses; enabling them is the
 *  only way a device change can show. */
const UNCOMMENTED: [string, string][] = [
  ['  # "InfraDevice",', '  "InfraDevice",'],
  ['  # "InfraInterfaceL2L3",', '  "InfraInterfaceL2L3",'],
  ['  # "InfraIPAddress",', '  "InfraIPAddress",'],
];

/**
 * Its IP addresses are then keyed by `address` and `ip_prefix`, which Infrahub computes: refused
 * before anything is written, with the fix the message gives: identify addresses by address and
 * namespace (Infrahub places an address without one in its `default` namespace).
 */
const ADDRESS_IDENTITY: [string, string][] = [
  ['    identifiers: ["address", "ip_prefix"]', '    identifiers: ["address", "ip_namespace"]'],
  [
    '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n',
    '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n' +
      '      - name: ip_namespace\n        mapping: parent.namespace\n        reference: NautobotNamespace\n',
  ],
];

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('nautobot-v2_to_infrahub example end to end', () => {
  it('as published: syncs everything in its order, then finds nothing to do', async () => {
    sides = await startSides('nautobot', 'tiny');
    const config = await placeConfig(sides, CONFIG);

    const diff = await run(sides, 'diff', config);
    expect(diff.code).toBe(0);
    expect(diff.diff.summary).toMatchObject({ update: 0, delete: 0 });
    expect(diff.diff.summary.create).toBeGreaterThan(50);

    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    expect(sync.report?.applied.create).toBe(diff.diff.summary.create);
    // The two namespaces' 10.x.0.0/24 prefixes stay two nodes each.
    expect(sides.infrahub.nodes('InfraPrefix')).toHaveLength(8);

    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(diff.diff.summary.create);
  });

  it('with every model un-commented: refused before any write, addresses being keyed by the computed ip_prefix', async () => {
    sides = await startSides('nautobot', 'tiny');
    const config = await placeConfig(sides, CONFIG, UNCOMMENTED);
    const sync = await run(sides, 'sync', config);
    const stderr = sync.stderr;
    expect(sync.code).toBe(2);
    // The JSON document carries the refusal too.
    expect((sync.diff as unknown as { error: { exit: number } }).error.exit).toBe(2);
    expect(stderr).toContain(
      'schema_mapping[23] InfraIPAddress (ipam.ip-addresses): identifier `ip_prefix` is computed by Infrahub (read-only)',
    );
    expect(stderr).toContain('identify InfraIPAddress records by `address` (and `ip_namespace`), its IPAM address within its namespace');
    expect(sides.infrahub.counters.mutations).toBe(0);
    for (const kind of ['BuiltinTag', 'InfraDevice', 'InfraIPAddress']) expect(sides.infrahub.nodes(kind)).toEqual([]);
  });

  it('with every model un-commented and addresses keyed by address and namespace: one device change is one update', async () => {
    sides = await startSides('nautobot', 'small');
    const config = await placeConfig(sides, CONFIG, [...UNCOMMENTED, ...ADDRESS_IDENTITY]);

    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const addresses = sides.infrahub.nodes('InfraIPAddress');
    expect(addresses.length).toBeGreaterThan(0);
    // Every address got its prefix from the stand-in's IPAM, not from the sync.
    expect(addresses.filter((a) => a.ip_prefix === null)).toEqual([]);

    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);

    const device = sides.source.dataset.tables['dcim.devices']?.[0];
    if (!device) throw new Error('no device in the dataset');
    device.serial = 'E2E-CHANGED-1';
    const third = await run(sides, 'sync', config);
    expect(failureLines(third.report)).toEqual([]);
    expect(third.diff.summary).toMatchObject({ create: 0, update: 1, delete: 0 });
    expect(third.diff.changes).toEqual([
      expect.objectContaining({ action: 'update', model: 'InfraDevice', attrs: { serial_number: 'E2E-CHANGED-1' } }),
    ]);
    expect(sides.infrahub.nodes('InfraDevice').filter((d) => d.serial_number === 'E2E-CHANGED-1')).toHaveLength(1);

    const fourth = await run(sides, 'diff', config);
    expect(changeLines(fourth.diff)).toEqual([]);
  });
});
