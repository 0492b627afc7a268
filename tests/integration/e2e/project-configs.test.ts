// The project's own configs (configs/nautobot-to-infrahub, configs/netbox-to-infrahub): they fit
// configs/schemas as the live Infrahub serves it, sync the stand-ins' network, and find nothing
// to do on the next run.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { ROOT, changeLines, failureLines, run, startSides, type Sides } from './helpers.js';

const CONFIGS = {
  nautobot: join(ROOT, 'configs/nautobot-to-infrahub/config.yml'),
  netbox: join(ROOT, 'configs/netbox-to-infrahub/config.yml'),
};

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe.each(['nautobot', 'netbox'] as const)('configs/%s-to-infrahub', (system) => {
  it('passes validate --check-schema against the live schema', async () => {
    sides = await startSides(system, 'tiny');
    const r = await runCli(['validate', '--check-schema', '--config-file', CONFIGS[system]], { cwd: sides.work, env: sides.env });
    expect(r.stderr).not.toMatch(/does not match/);
    expect(r.code).toBe(0);
  });

  it('syncs every mapped model, IP addresses included, then finds nothing to do', async () => {
    sides = await startSides(system, 'small');
    const sync = await run(sides, 'sync', CONFIGS[system]);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    expect(sync.diff.changes.some((c) => c.model === 'InfraIPAddress')).toBe(true);
    expect(sides.infrahub.nodes('InfraIPAddress').length).toBeGreaterThan(0);
    expect(sides.infrahub.nodes('InfraDevice').length).toBeGreaterThan(0);

    const again = await run(sides, 'diff', CONFIGS[system]);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);
  });
});

describe('configs/netbox-to-infrahub across NetBox versions', () => {
  it('gives prefixes their site on NetBox 4.1 (site) and 4.2+ (scope) alike', async () => {
    sides = await startSides('netbox', 'tiny');
    const sync = await run(sides, 'sync', CONFIGS.netbox);
    expect(failureLines(sync.report)).toEqual([]);
    const prefixes = sides.infrahub.nodes('InfraPrefix');
    expect(prefixes.length).toBeGreaterThan(0);
    expect(prefixes.every((p) => typeof p.location === 'string' && p.location !== '')).toBe(true);

    // The same prefixes as NetBox 4.2+ serves them: scope_type/scope_id/scope instead of site.
    for (const row of sides.source.dataset.tables['ipam.prefixes'] ?? []) {
      const { site, ...rest } = row;
      for (const k of Object.keys(row)) delete row[k];
      Object.assign(row, rest, { scope_type: site === null ? null : 'dcim.site', scope_id: site, scope: site });
    }
    sides.source.invalidate();
    const again = await run(sides, 'diff', CONFIGS.netbox);
    expect(again.diff.warnings).not.toContainEqual(expect.stringMatching(/none of the/));
    expect(changeLines(again.diff)).toEqual([]);
  });
});

describe('configs/nautobot-to-infrahub and a destination that matches by another field', () => {
  it('refuses, writing nothing, two VRFs the sync keys apart (name + namespace) that Infrahub would upsert into one (hfid: name)', async () => {
    sides = await startSides('nautobot', 'tiny');
    const vrfs = sides.source.dataset.tables['ipam.vrfs'] ?? [];
    const a = vrfs[0];
    let b = vrfs.find((v) => v.namespace !== a?.namespace);
    if (!b) {
      // The dataset put every VRF in one namespace: move one to another.
      const other = (sides.source.dataset.tables['ipam.namespaces'] ?? []).find((n) => n.id !== a?.namespace);
      b = vrfs[1];
      if (b && other) b.namespace = other.id;
    }
    if (!a || !b || a.namespace === b.namespace) throw new Error('dataset has too few VRFs or namespaces');
    b.name = a.name ?? null;
    sides.source.invalidate();

    const sync = await run(sides, 'sync', CONFIGS.nautobot).catch((e: Error) => e);
    const stderr = sync instanceof Error ? sync.message : sync.stderr;
    expect(stderr).toMatch(
      new RegExp(
        `InfraVRF: 1 group\\(s\\) of source records with different keys would be written into one destination node, ` +
          `which the destination identifies by its human-friendly id: ${String(a.name)} <- .* Nothing was written`,
      ),
    );
    expect(sides.infrahub.nodes('InfraVRF')).toEqual([]);
    expect(sides.infrahub.nodes('InfraDevice')).toEqual([]);
  });
});


describe('configs/nautobot-to-infrahub and a record whose key changed', () => {
  it('updates the node Infrahub holds under the old key (found by its hfid), says so, and creates no second one', async () => {
    sides = await startSides('nautobot', 'tiny');
    expect((await run(sides, 'sync', CONFIGS.nautobot)).code).toBe(0);
    const vrfs = sides.source.dataset.tables['ipam.vrfs'] ?? [];
    const namespaces = sides.source.dataset.tables['ipam.namespaces'] ?? [];
    const vrf = vrfs[0];
    const other = namespaces.find((n) => n.id !== vrf?.namespace && !vrfs.some((v) => v.name === vrf?.name && v.namespace === n.id));
    if (!vrf || !other) throw new Error('dataset has too few VRFs or namespaces');
    const before = sides.infrahub.nodes('InfraVRF').find((n) => n.name === vrf.name);
    // The VRF moves to another namespace: its key (name + namespace) changes, its hfid (name) not.
    vrf.namespace = other.id;
    sides.source.invalidate();

    const diff = await run(sides, 'diff', CONFIGS.nautobot);
    const change = diff.diff.changes.find((c) => c.model === 'InfraVRF');
    expect(change).toMatchObject({ action: 'update', adopts: { by: 'human-friendly id' } });
    expect(diff.diff.summary).toMatchObject({ create: 0, update: 1 });

    const sync = await run(sides, 'sync', CONFIGS.nautobot);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.report?.verify?.converged).toBe(true);
    expect(sync.report?.foundExisting).toEqual([
      expect.objectContaining({ model: 'InfraVRF', message: expect.stringMatching(/^updated the node held as .*, found by its human-friendly id$/) }),
    ]);
    const after = sides.infrahub.nodes('InfraVRF').filter((n) => n.name === vrf.name);
    expect(after.map((n) => n.id)).toEqual([before?.id]);
    expect(after[0]?.ip_namespace).not.toBe(before?.ip_namespace);
    expect(changeLines((await run(sides, 'diff', CONFIGS.nautobot)).diff)).toEqual([]);
  });
});
