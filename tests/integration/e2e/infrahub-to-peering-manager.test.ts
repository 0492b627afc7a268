// Peering Manager as a destination. Infrahub is filled from one Peering Manager stand-in (A)
// with configs/peering-manager-to-infrahub, then synced into a second one (B) that holds the
// same network with drift: objects missing (creates), values changed (updates) and objects
// Infrahub does not have (deletes). Checked: dependency order, the exact changes, B's state,
// a second run with nothing to do, and redelivery when Peering Manager's answers are lost.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataset } from '../../standins/dataset/index.js';
import type { SourceRow } from '../../standins/rest-common/source-dataset.js';
import { startPeeringManagerStandin, type PeeringManagerStandin, type PeeringManagerStandinOptions } from '../../standins/peeringmanager/server.js';
import { EXAMPLES, ROOT, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { TOKEN, startSystemSides } from './system-sides.js';

const TO_INFRAHUB = join(ROOT, 'configs/peering-manager-to-infrahub/config.yml');
const TO_PM = join(ROOT, 'configs/infrahub-to-peering-manager/config.yml');

let sides: Sides | undefined;
let dest: PeeringManagerStandin | undefined;
afterEach(async () => {
  await Promise.allSettled([sides?.stop(), dest?.stop()]);
  sides = undefined;
  dest = undefined;
});

const rows = (pm: PeeringManagerStandin, table: string): SourceRow[] => pm.dataset.tables[table] ?? [];
const named = (pm: PeeringManagerStandin, table: string, field: string, value: unknown): SourceRow | undefined =>
  rows(pm, table).find((r) => r[field] === value);

/** Infrahub filled from stand-in A; B started from the same network, then drifted. */
async function seeded(destOptions: Partial<PeeringManagerStandinOptions> = {}): Promise<{ sides: Sides; dest: PeeringManagerStandin; toPm: Sides }> {
  sides = await startSystemSides('peeringmanager');
  const seed = await run(sides, 'sync', TO_INFRAHUB);
  expect(failureLines(seed.report)).toEqual([]);
  dest = await startPeeringManagerStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: TOKEN, ...destOptions });
  const b = dest;
  const t = b.dataset.tables;
  const drop = (table: string, field: string, value: string): void => {
    const at = (t[table] ?? []).findIndex((r) => r[field] === value);
    if (at < 0) throw new Error(`no ${value} in ${table}`);
    t[table]?.splice(at, 1);
  };
  // Missing in B: created from Infrahub (a community, a policy that uses it, a group); what
  // pointed at the community in B lost it with it.
  drop('peering.communities', 'slug', 'ixp-learned');
  for (const table of ['peering.routing-policies', 'peering.internet-exchanges']) {
    for (const r of t[table] ?? []) r.communities = (r.communities as number[]).filter((id) => id !== 2);
  }
  drop('peering.routing-policies', 'slug', 'ixp-in-v6');
  drop('peering.bgp-groups', 'slug', 'private-peering');
  // Changed in B: updated back.
  const as = named(b, 'peering.autonomous-systems', 'asn', 13335) as SourceRow;
  as.irr_as_set = 'AS-STALE';
  (named(b, 'peering.bgp-groups', 'slug', 'transit') as SourceRow).description = 'drifted';
  (named(b, 'peering.internet-exchanges', 'slug', 'ams-ix') as SourceRow).status = 'disabled';
  (t['net.connections']?.[0] as SourceRow).vlan = 4000;
  // Only in B: deleted (the community after the policy that uses it).
  t['peering.autonomous-systems']?.push({ ...(JSON.parse(JSON.stringify(as)) as SourceRow), id: 900, asn: 65550, name: 'Stale peer', irr_as_set: null });
  t['peering.communities']?.push({ id: 900, name: 'Stale community', slug: 'stale', description: '', value: '64500:999', type: null, kind: 'regular', local_context_data: null, tags: [], created: '2025-01-15T09:00:00.000000Z', updated: '2025-01-15T09:00:00.000000Z' });
  t['peering.routing-policies']?.push({ id: 900, name: 'Stale policy', slug: 'stale-policy', description: '', type: 'import-policy', weight: 1, address_family: 0, communities: [900], local_context_data: null, tags: [], created: '2025-01-15T09:00:00.000000Z', updated: '2025-01-15T09:00:00.000000Z' });
  return { sides, dest: b, toPm: { ...sides, env: { ...sides.env, PEERING_MANAGER_ADDRESS: b.url } } };
}

describe('Infrahub -> Peering Manager (configs/infrahub-to-peering-manager)', () => {
  it('creates, updates and deletes in dependency order, then finds nothing to do', async () => {
    const { dest: b, toPm } = await seeded();
    const sync = await run(toPm, 'sync', TO_PM);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    // In the config's order; a stage's models do not reference each other; deletes after every
    // create and update, referrers first (the policy before the community it uses).
    expect(changeLines(sync.diff)).toEqual([
      'update InfraAutonomousSystem 13335',
      'create InfraBGPCommunity ixp-learned',
      // Created with the community created just before: its id comes from that result.
      'create InfraBGPRoutingPolicy ixp-in-v6',
      'update InfraBGPRoutingPolicy ixp-in-v4',
      'create InfraBGPPeerGroup Private peering',
      'update InfraBGPPeerGroup Transit',
      'update InfraIXP AMS-IX',
      // Its import policies and communities lost what B lost.
      'update InfraIXP DE-CIX Frankfurt',
      'update InfraIXPConnection AMS-IX on dmi01-ams01-rtr01 GigabitEthernet0/0/1',
      'delete InfraBGPRoutingPolicy stale-policy',
      'delete InfraAutonomousSystem 65550',
      'delete InfraBGPCommunity stale',
    ]);
    const ixpUpdate = sync.diff.changes.find((c) => c.model === 'InfraIXP' && c.key === 'AMS-IX');
    expect(ixpUpdate?.attrs).toEqual({ status: 'enabled', import_policies: ['ixp-in-v4', 'ixp-in-v6', 'reject-bogons'], bgp_communities: ['ixp-learned'] });

    // B now holds what Infrahub holds, with Peering Manager's own ids for the new objects.
    const policy = named(b, 'peering.routing-policies', 'slug', 'ixp-in-v6') as SourceRow;
    expect(policy).toMatchObject({ name: 'IXP in v6', type: 'import-policy', weight: 500, address_family: 6 });
    const ixpLearned = named(b, 'peering.communities', 'slug', 'ixp-learned') as SourceRow;
    expect(ixpLearned).toMatchObject({ name: 'Learned from IXP', value: '64500:200', type: 'ingress' });
    expect(policy.communities).toEqual([ixpLearned.id]);
    expect(named(b, 'peering.internet-exchanges', 'slug', 'ams-ix')?.communities).toEqual([ixpLearned.id]);
    const group = named(b, 'peering.bgp-groups', 'slug', 'private-peering') as SourceRow;
    expect(group).toMatchObject({ name: 'Private peering', status: 'enabled' });
    expect(named(b, 'peering.autonomous-systems', 'asn', 13335)?.irr_as_set).toBe('AS-CLOUDFLARE');
    expect(named(b, 'peering.bgp-groups', 'slug', 'transit')?.description).toBe('Upstream transit sessions');
    expect(named(b, 'peering.internet-exchanges', 'slug', 'ams-ix')?.status).toBe('enabled');
    expect(rows(b, 'net.connections')[0]?.vlan).toBeNull();
    expect(named(b, 'peering.autonomous-systems', 'asn', 65550)).toBeUndefined();
    expect(named(b, 'peering.communities', 'slug', 'stale')).toBeUndefined();
    expect(b.writes).toEqual({ POST: 3, PATCH: 6, DELETE: 3 });

    const again = await run(toPm, 'diff', TO_PM);
    expect(changeLines(again.diff)).toEqual([]);
  });

  it('creates nothing twice when Peering Manager loses the answers to its creates', async () => {
    // Every POST is applied and its answer lost (the connection drops).
    const { dest: b, toPm } = await seeded({ faultRate: 1, faultKinds: ['lostResponse'], faultMethods: ['POST'] });
    const sync = await run(toPm, 'sync', TO_PM);
    expect(failureLines(sync.report)).toEqual([]);
    expect(b.counters.faults).toBe(3);
    expect(b.writes.POST).toBe(3);
    for (const [table, field, value] of [
      ['peering.communities', 'slug', 'ixp-learned'], ['peering.routing-policies', 'slug', 'ixp-in-v6'], ['peering.bgp-groups', 'slug', 'private-peering'],
    ] as const) {
      expect(rows(b, table).filter((r) => r[field] === value)).toHaveLength(1);
    }
    const again = await run(toPm, 'diff', TO_PM);
    expect(changeLines(again.diff)).toEqual([]);
  });
});

describe('Infrahub -> Peering Manager under faults', () => {
  it('converges through 500s, 429s, dropped connections and lost answers on every method, creating nothing twice', async () => {
    const { dest: b, toPm } = await seeded({
      faultRate: 0.1, faultKinds: ['error500', 'rateLimit429', 'drop', 'lostResponse'], retryAfterSeconds: 0, faultSeed: 11,
    });
    const sync = await run(toPm, 'sync', TO_PM);
    expect(failureLines(sync.report)).toEqual([]);
    expect(b.counters.faults).toBeGreaterThan(0);
    const again = await run(toPm, 'diff', TO_PM);
    expect(changeLines(again.diff)).toEqual([]);
    for (const table of ['peering.communities', 'peering.routing-policies', 'peering.bgp-groups', 'peering.autonomous-systems']) {
      const slugs = rows(b, table).map((r) => String(r.slug ?? r.asn));
      expect(new Set(slugs).size, table).toBe(slugs.length);
    }
  });
});

describe('infrahub_to_peering-manager example, as published', () => {
  it('updates and creates what Peering Manager accepts; the rest fails with its own messages', async () => {
    const { dest: b, toPm } = await seeded();
    const config = await placeConfig(toPm, join(EXAMPLES, 'infrahub_to_peering-manager/config.yml'));
    const sync = await run(toPm, 'sync', config);
    expect(sync.code).toBe(1);
    // No slug mapped: Peering Manager refuses the group (the reference never creates).
    expect(failureLines(sync.report)).toEqual(['create InfraBGPPeerGroup Private peering: peeringmanager: POST ' +
      `${new URL(b.url).host}/api/peering/bgp-groups/ failed with HTTP 400: slug: This field is required.`]);
    expect(named(b, 'peering.communities', 'slug', 'ixp-learned')).toBeDefined();
    expect(named(b, 'peering.autonomous-systems', 'asn', 13335)?.irr_as_set).toBe('AS-CLOUDFLARE');
    // The example keeps infrahub-sync's default flags: nothing is deleted.
    expect(named(b, 'peering.autonomous-systems', 'asn', 65550)).toBeDefined();
  });
});
