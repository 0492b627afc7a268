// What the ipfabricsync, slurpitsync, aci and prometheus sources do differently from the
// others when records become models (shared/mapping/source-traits.ts), checked on plain records.
import { describe, expect, it } from 'vitest';
import { normaliseModel, type ReferenceIndex } from '../../../shared/mapping/index.js';
import { templateExtensions } from '../../../shared/mapping/source-traits.js';
import { config, entry, field } from './helpers.js';

function withSource(name: string, c: ReturnType<typeof config>): ReturnType<typeof config> {
  return { ...c, source: { name, settings: {} } };
}

describe('ipfabricsync references (the peer key from this record\'s columns)', () => {
  const cfg = withSource('ipfabricsync', config([
    entry('Org', 'tables/inventory/summary/vendors', ['name'], [field('name', { mapping: 'vendor' })]),
    entry('Model', 'tables/inventory/summary/models', ['name', 'manufacturer'], [
      field('name', { mapping: 'model' }),
      field('manufacturer', { mapping: 'vendor', reference: 'Org' }),
    ]),
    entry('Nos', 'tables/x', ['manufacturer', 'model', 'version'], [
      field('version', { mapping: 'version' }),
      field('manufacturer', { mapping: 'vendor', reference: 'Org' }),
      field('model', { mapping: 'model', reference: 'Model' }),
    ]),
    entry('Device', 'tables/inventory/devices', ['hostname'], [
      field('hostname', { mapping: 'hostname' }),
      field('model', { mapping: 'model', reference: 'Model' }),
      field('version', { mapping: 'version', reference: 'Nos' }),
    ]),
  ]));

  it('builds composite keys, nested ones included, and leaves a key no peer has empty with one warning', () => {
    const refs: ReferenceIndex = new Map();
    const run = (model: string, raws: Record<string, unknown>[]) => {
      const r = normaliseModel(cfg, model, 'source', [raws], refs);
      refs.set(model, r.idToKey);
      return r;
    };
    run('Org', [{ id: 1, vendor: 'cisco' }]);
    run('Model', [{ id: 1, model: 'ISR4331', vendor: 'cisco' }]);
    expect(run('Nos', [{ id: 1, vendor: 'cisco', model: 'ISR4331', version: '17.3' }]).records.map((r) => r.key)).toEqual([
      'cisco__ISR4331__cisco__17.3',
    ]);
    const devices = run('Device', [
      { id: 1, hostname: 'r1', model: 'ISR4331', vendor: 'cisco', version: '17.3' },
      { id: 2, hostname: 'r2', model: 'C9300', vendor: 'cisco', version: '17.3' },
      { id: 3, hostname: 'r3', model: '', vendor: 'cisco', version: '' },
    ]);
    expect(devices.records.map((r) => [r.key, r.attrs])).toEqual([
      ['r1', { model: 'ISR4331__cisco', version: 'cisco__ISR4331__cisco__17.3' }],
      ['r2', { model: null, version: null }],
      ['r3', { model: null, version: null }],
    ]);
    expect(devices.warnings.map((w) => w.message)).toEqual([
      'Device: 1 record(s) name a Model by model that was not loaded (e.g. "C9300__cisco"); model is left empty on them, as upstream',
      'Device: 1 record(s) name a Nos by version that was not loaded (e.g. "cisco__C9300__cisco__17.3"); version is left empty on them, as upstream',
    ]);
  });

  it('keeps the last of records with one key (update_or_add), saying so once', () => {
    const r = normaliseModel(cfg, 'Org', 'source', [[{ id: 1, vendor: 'cisco' }, { id: 2, vendor: 'cisco' }]], new Map());
    expect(r.records.map((x) => [x.key, x.localId])).toEqual([['cisco', '2']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['duplicate-kept']);
  });
});

describe('slurpitsync records', () => {
  const cfg = withSource('slurpitsync', config([
    entry('Site', 'site.get_sites', ['name'], [field('name', { mapping: 'sitename' })]),
    entry('Device', 'device.get_devices', ['hostname'], [
      field('hostname', { mapping: 'hostname' }),
      field('location', { mapping: 'site', reference: 'Site' }),
    ]),
    entry('Vlan', 'planning_results.vlans', ['vlan_id', 'name'], [field('name', { mapping: 'Name' }), field('vlan_id', { mapping: 'Vlan' })]),
  ]));

  it('leave out a record whose peer is not loaded, keep one without a peer', () => {
    const refs: ReferenceIndex = new Map([['Site', new Map([['1', 'HQ']])]]);
    const r = normaliseModel(cfg, 'Device', 'source', [[
      { id: 1, hostname: 'a', site: 'HQ' },
      { id: 2, hostname: 'b', site: 'Elsewhere' },
      { id: 3, hostname: 'c', site: null },
    ]], refs);
    expect(r.records.map((x) => [x.key, x.attrs])).toEqual([['a', { location: 'HQ' }], ['c', { location: null }]]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'Device: 1 record(s) name a Site by location that was not loaded (e.g. "Elsewhere"); those records are left out, as the source adapter does upstream',
    ]);
  });

  it('keep the first of rows repeating a key (one VLAN seen on several devices)', () => {
    const r = normaliseModel(cfg, 'Vlan', 'source', [[{ id: 1, Vlan: '10', Name: 'users' }, { id: 2, Vlan: '10', Name: 'users' }]], new Map());
    expect(r.records.map((x) => x.localId)).toEqual(['1']);
  });

  it('any other source fails on repeated keys', () => {
    const plain = { ...cfg, source: { name: 'netbox', settings: {} } };
    expect(() => normaliseModel(plain, 'Vlan', 'source', [[{ id: 1, Vlan: '10', Name: 'u' }, { id: 2, Vlan: '10', Name: 'u' }]], new Map())).toThrow(/produced by more than one/);
  });
});

describe('template functions of a source', () => {
  it('aci_device_name: a node id to its name, an unknown id unchanged', () => {
    const cfg = withSource('aci', config([
      entry('Iface', 'class/l1PhysIf.json', ['device'], [field('device', { mapping: 'dev' })], {
        transforms: [{ field: 'dev', expression: "{{ dn.split('/')[2].replace('node-', '') | aci_device_name }}" }],
      }),
    ]));
    const opts = templateExtensions('aci', { nodeNames: { '101': 'leaf-101' } });
    const r = normaliseModel(cfg, 'Iface', 'source', [[
      { id: 1, dn: 'topology/pod-1/node-101/sys/phys-[eth1/1]' },
      { id: 2, dn: 'topology/pod-1/node-999/sys/phys-[eth1/1]' },
    ]], new Map(), opts);
    // "999" reads back as a number, as NativeEnvironment reads the text "999".
    expect(r.records.map((x) => x.key)).toEqual(['leaf-101', '999']);
  });

  it('lookup(): by labels, by dotted path, the first sample, and the default', () => {
    const sample = (metric: string, labels: Record<string, string>, value: number) => ({ __metric__: metric, labels, value, timestamp: null, help: '', type: 'gauge' });
    const data = {
      samples: {
        node_network_info: [sample('node_network_info', { device: 'eth0', address: '52:54:00:AA:BB:CC', duplex: 'full' }, 1)],
        node_network_speed_bytes: [sample('node_network_speed_bytes', { device: 'eth0' }, 125000000)],
        node_memory_MemTotal_bytes: [sample('node_memory_MemTotal_bytes', {}, 8e9)],
      },
    };
    const cfg = withSource('prometheus', config([
      entry('If', 'node_network_mtu_bytes', ['name'], [field('name', { mapping: 'labels.device' }), field('mac', { mapping: 'mac' }), field('speed', { mapping: 'speed' }), field('mem', { mapping: 'mem' }), field('none', { mapping: 'none' })], {
        transforms: [
          { field: 'mac', expression: "{{ (lookup('node_network_info', {'device': labels.device}, 'labels.address') or '') | lower }}" },
          { field: 'speed', expression: "{{ lookup('node_network_speed_bytes', 'labels.device', 'value') }}" },
          { field: 'mem', expression: "{{ lookup('node_memory_MemTotal_bytes', {}, 'value') or 0 }}" },
          { field: 'none', expression: "{{ lookup('node_network_info', {'device': 'nope'}, 'labels.address', 'n/a') }}" },
        ],
      }),
    ]));
    const r = normaliseModel(cfg, 'If', 'source', [[{ id: 'x', labels: { device: 'eth0' }, value: 1500 }]], new Map(), templateExtensions('prometheus', data));
    expect(r.records[0]?.attrs).toEqual({ mac: '52:54:00:aa:bb:cc', speed: 125000000, mem: 8e9, none: 'n/a' });
  });
});
