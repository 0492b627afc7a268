// Neutral network -> what node_exporter reports about its hosts, as a Prometheus server holds it:
// one row per sample (`instance`, family, metric, type, help, labels, value; `family` is the
// name of the HELP/TYPE lines, which a summary's `_sum` and `_count` samples share). The hosts are the
// dataset's servers (padded with its first devices when a small dataset has fewer than two);
// each interface of a host is a network device with its MAC, MTU and speed, plus `lo`.
// Metric names, label sets and types are node_exporter 1.x's (collectors uname, meminfo,
// netstat, conntrack, time, cpu, netclass, filesystem, diskstats), as a real one printed them
// (tests/peers/prometheus/README.md).
import type { SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import { DEVICE_TYPES } from './catalog.js';
import type { Dataset } from './types.js';

export interface PromHost {
  name: string;
  device: number;
}

export function prometheusHosts(ds: Dataset): PromHost[] {
  const servers = ds.devices.map((d, i) => ({ d, i })).filter(({ d }) => DEVICE_TYPES[d.deviceType]?.[5] === 'server');
  const picked = servers.length >= 2 ? servers : [...servers, ...ds.devices.map((d, i) => ({ d, i })).filter(({ i }) => !servers.some((s) => s.i === i))].slice(0, 2);
  return picked.map(({ d, i }) => ({ name: d.name.toLowerCase(), device: i }));
}

export function renderPrometheus(ds: Dataset): SourceDataset {
  const rows: SourceRow[] = [];
  let id = 0;
  const epochSeconds = Date.parse(ds.epoch) / 1000;
  for (const [h, host] of prometheusHosts(ds).entries()) {
    const instance = `${host.name}:9100`;
    const add = (metric: string, type: string, help: string, labels: Record<string, string>, value: number, family = metric): void => {
      rows.push({ id: ++id, instance, family, metric, type, help, labels, value });
    };
    add('node_uname_info', 'gauge', 'Labeled system information as provided by the uname system call.', {
      domainname: '(none)', machine: 'x86_64', nodename: host.name, release: '6.1.0-28-amd64', sysname: 'Linux',
      version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
    }, 1);
    add('node_memory_MemTotal_bytes', 'gauge', 'Memory information field MemTotal_bytes.', {}, (16 << h % 3) * 1024 ** 3);
    add('node_netstat_Ip_Forwarding', 'untyped', 'Statistic IpForwarding.', {}, h % 2 === 0 ? 1 : 2);
    add('node_nf_conntrack_entries_limit', 'gauge', 'Maximum size of connection tracking table.', {}, 262144);
    add('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).', {}, epochSeconds + h);
    for (const cpu of ['0', '1']) {
      for (const mode of ['idle', 'user']) add('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.', { cpu, mode }, 1000.5 * (Number(cpu) + 1) * (mode === 'idle' ? 10 : 1));
    }
    add('go_gc_duration_seconds', 'summary', 'A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.', { quantile: '0.5' }, 3.1e-5);
    add('go_gc_duration_seconds_sum', 'summary', '', {}, 0.0125, 'go_gc_duration_seconds');
    add('go_gc_duration_seconds_count', 'summary', '', {}, 412, 'go_gc_duration_seconds');

    const ifaces = ds.interfaces.filter((i) => i.device === host.device);
    const nics = [
      { device: 'lo', mac: '00:00:00:00:00:00', mtu: 65536, speed: null as number | null, up: 1, duplex: '', operstate: 'unknown' },
      ...ifaces.map((i, n) => ({
        device: i.name,
        mac: (i.macAddress ?? `52:54:00:00:${String(h).padStart(2, '0')}:${String(n).padStart(2, '0')}`).toLowerCase(),
        mtu: i.mtu ?? 1500,
        // virtio reports no speed: node_exporter gives -1 for it.
        speed: n === 1 ? -1 : 125_000_000 * (n === 0 ? 8 : 200),
        up: i.enabled ? 1 : 0,
        duplex: i.enabled ? 'full' : 'unknown',
        operstate: i.enabled ? 'up' : 'down',
      })),
    ];
    for (const nic of nics) {
      add('node_network_mtu_bytes', 'gauge', 'Network device property: mtu_bytes', { device: nic.device }, nic.mtu);
      add('node_network_info', 'gauge', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.', {
        address: nic.mac, adminstate: nic.up ? 'up' : 'down', broadcast: nic.device === 'lo' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
        device: nic.device, duplex: nic.duplex, ifalias: '', operstate: nic.operstate,
      }, 1);
      if (nic.speed !== null) add('node_network_speed_bytes', 'gauge', 'Network device property: speed_bytes', { device: nic.device }, nic.speed);
      add('node_network_up', 'gauge', "Value is 1 if operstate is 'up', 0 otherwise.", { device: nic.device }, nic.operstate === 'up' ? 1 : 0);
      add('node_network_carrier', 'gauge', 'Network device property: carrier', { device: nic.device }, nic.up);
    }
    const mounts = [
      { device: '/dev/vda1', fstype: 'ext4', mountpoint: '/', size: (40 + 10 * h) * 1024 ** 3, ro: 0 },
      { device: '/dev/vda15', fstype: 'vfat', mountpoint: '/boot/efi', size: 124 * 1024 ** 2, ro: 0 },
      { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run', size: 1.6 * 1024 ** 3, ro: 0 },
      { device: '/dev/vdb', fstype: 'iso9660', mountpoint: '/cdrom', size: 364544, ro: 1 },
    ];
    for (const m of mounts) {
      const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
      add('node_filesystem_size_bytes', 'gauge', 'Filesystem size in bytes.', labels, Math.round(m.size));
      add('node_filesystem_readonly', 'gauge', 'Filesystem read-only status.', labels, m.ro);
      add('node_filesystem_device_error', 'gauge', 'Whether an error occurred while getting statistics for the given device.', labels, 0);
    }
    for (const [d, disk] of ['vda', 'vdb'].entries()) {
      add('node_disk_info', 'gauge', 'Info of /sys/block/<block_device>.', {
        device: disk, major: '254', minor: String(16 * d), path: `pci-0000:00:0${4 + d}.0`, revision: '', rotational: d === 1 ? '1' : '0', serial: '', wwn: '',
      }, 1);
    }
  }
  return { kind: 'source-dataset', system: 'prometheus', tables: { samples: rows } };
}
