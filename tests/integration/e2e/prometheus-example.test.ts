// infrahub-sync's prometheus_to_infrahub (node_exporter) example, unchanged (the url comes from
// PROM_URL, which the prometheus adapter reads), from the Prometheus stand-in's node_exporter
// face into the Infrahub stand-in loaded with configs/schemas-prometheus: one sync, then a run
// with nothing to do. Its transforms join metrics with lookup().
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, changeLines, failureLines, placeConfig, run, type Sides } from './helpers.js';
import { startSystemSides } from './system-sides.js';

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

const EXAMPLE = join(EXAMPLES, 'prometheus_to_infrahub (node_exporter)/config.yml');

describe('prometheus_to_infrahub (node_exporter) example', () => {
  it('syncs the host, its interfaces, filesystems and disks from one scrape, then finds nothing to do', async () => {
    sides = await startSystemSides('prometheus', { schema: 'configs/schemas-prometheus' });
    const config = await placeConfig(sides, EXAMPLE);
    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
    expect(again.diff.summary['no-change']).toBe(sync.diff.summary.create);

    const rows = sides.source.dataset.tables.samples ?? [];
    const host = String(rows[0]?.instance).replace(/:9100$/, '');
    const mine = rows.filter((r) => r.instance === rows[0]?.instance);
    const hub = sides.infrahub;
    const [vm] = hub.nodes('VirtualizationVirtualMachine');
    const memory = mine.find((r) => r.metric === 'node_memory_MemTotal_bytes')?.value;
    const forwarding = mine.find((r) => r.metric === 'node_netstat_Ip_Forwarding')?.value === 1;
    expect(vm).toMatchObject({ name: host, os_name: 'Linux', architecture: 'x86_64', mem_total_bytes: memory, ip_forwarding_enabled: forwarding, conntrack_limit: 262144, status: 'active' });

    // Interfaces: one per device with an MTU, the MAC joined from node_network_info by label,
    // lo's all-zero MAC blanked, a negative speed made 0.
    const nics = mine.filter((r) => r.metric === 'node_network_mtu_bytes').map((r) => (r.labels as Record<string, string>).device);
    const ifaces = hub.nodes('VirtualizationVMNetworkInterface');
    expect(ifaces.map((n) => n.name).sort()).toEqual([...nics].sort());
    const info = (dev: string) => mine.find((r) => r.metric === 'node_network_info' && (r.labels as Record<string, string>).device === dev)?.labels as Record<string, string>;
    const eth = ifaces.find((n) => n.name !== 'lo');
    expect(eth).toMatchObject({ mac_address: info(String(eth?.name)).address, virtual_machine: vm?.id, duplex: info(String(eth?.name)).duplex || 'unknown' });
    expect(ifaces.find((n) => n.name === 'lo')).toMatchObject({ mac_address: '', speed_bps: 0, operational_status: 'down' });
    expect(ifaces.some((n) => n.speed_bps === 0 && n.name !== 'lo')).toBe(true);

    expect(hub.nodes('VirtualizationVMFilesystem').map((n) => [n.mountpoint, n.fstype, n.readonly]).sort()).toEqual(
      mine.filter((r) => r.metric === 'node_filesystem_size_bytes').map((r) => {
        const l = r.labels as Record<string, string>;
        const ro = mine.find((x) => x.metric === 'node_filesystem_readonly' && (x.labels as Record<string, string>).mountpoint === l.mountpoint)?.value;
        return [l.mountpoint, l.fstype, ro === 1];
      }).sort(),
    );
    // vdb's rotational label is "1", but Jinja2's native rendering reads the lone "{{ ... }}" as
    // the number 1, so the example's `rotational_lbl == '1'` is false for every disk: as upstream.
    expect(hub.nodes('VirtualizationVMDisk').map((n) => [n.device, n.rotational]).sort()).toEqual([['vda', false], ['vdb', false]]);
  });
});
