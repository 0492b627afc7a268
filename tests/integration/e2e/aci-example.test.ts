// infrahub-sync's aci_to_infrahub example, unchanged (it reads url, username, password and
// verify from CISCO_APIC_*), from the APIC stand-in into the Infrahub stand-in loaded with
// configs/schemas-aci: one sync, then a run with nothing to do. Its interfaces find their
// switch through the aci_device_name filter.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { startSystemSides } from './system-sides.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

type Obj = Record<string, { attributes: Record<string, string> }>;
const attrs = (cls: string) => (rows: unknown[]) => (rows as Obj[]).map((r) => r[cls]?.attributes ?? {});

describe('aci_to_infrahub example', () => {
  it('syncs tenants, the fabric as a building, active switches and their ports, then finds nothing to do', async () => {
    sides = await startSystemSides('aci', { schema: 'configs/schemas-aci' });
    const config = await placeConfig(sides, join(EXAMPLES, 'aci_to_infrahub/config.yml'));
    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);

    const t = sides.source.dataset.tables;
    const hub = sides.infrahub;
    const tenants = attrs('fvTenant')(t.fvTenant ?? []).map((a) => a.name).filter((n) => n !== 'infra' && n !== 'mgmt');
    expect(hub.nodes('OrganizationCustomer').map((n) => [n.name, n.customer_id]).sort()).toEqual(tenants.map((n) => [n, `CUST-${n?.toUpperCase()}`]).sort());
    expect(hub.nodes('LocationMetro').map((n) => n.name)).toEqual(['Munich']);
    expect(hub.nodes('LocationBuilding').map((n) => [n.name, n.shortname])).toEqual([['MUC-1', 'MUC-1']]);

    const nodes = attrs('fabricNode')(t.fabricNode ?? []);
    const active = nodes.filter((a) => a.fabricSt === 'active');
    expect(nodes.some((a) => a.fabricSt === 'inactive' && a.role === 'leaf')).toBe(true);
    const devices = hub.nodes('DcimPhysicalDevice');
    expect(devices.map((n) => [n.name, n.serial, n.role, n.status]).sort()).toEqual(active.map((a) => [a.name, a.serial, a.role, 'active']).sort());

    // Each port lands on the switch its DN names (node-101 -> leaf-101 by aci_device_name).
    const byId = new Map(devices.map((n) => [n.id, n.name]));
    const ports = attrs('l1PhysIf')(t.l1PhysIf ?? []);
    const nodeName = new Map(nodes.map((a) => [a.id, a.name]));
    expect(hub.nodes('DcimPhysicalInterface').map((n) => `${String(byId.get(n.device as string))} ${String(n.name)}`).sort()).toEqual(
      ports.map((p) => `${String(nodeName.get(/node-(\d+)/.exec(p.dn ?? '')?.[1] ?? ''))} ${p.id}`).sort(),
    );
  });
});
