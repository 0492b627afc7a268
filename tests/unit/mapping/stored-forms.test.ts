import { describe, expect, it } from 'vitest';
import { normaliseModel, storedValue, type ReferenceIndex } from '../../../shared/mapping/index.js';
import { config, entry, field } from './helpers.js';

describe('storedValue (Infrahub IPHost / IPNetwork)', () => {
  it.each([
    ['ip-host', '10.0.0.1', '10.0.0.1/32'],
    ['ip-host', '10.0.0.1/24', '10.0.0.1/24'],
    ['ip-network', '10.0.0.7/24', '10.0.0.0/24'],
    ['ip-host', '2001:DB8:0:0:0:0:0:1', '2001:db8::1/128'],
    ['ip-host', '2001:0db8:0000:0001:0000:0000:0000:0001/64', '2001:db8:0:1::1/64'],
    ['ip-network', '2001:db8::1/48', '2001:db8::/48'],
    ['ip-host', '1:0:0:2:0:0:0:3', '1:0:0:2::3/128'],
    ['ip-host', '::ffff:10.0.0.1', '::ffff:a00:1/128'],
  ] as const)('%s %s -> %s', (form, given, stored) => {
    expect(storedValue(form, given)).toBe(stored);
  });

  it.each(['not an address', '10.0.0.256', '10.0.0.1/33', '1::2::3', '010.0.0.1'])('leaves %s as it is', (v) => {
    expect(storedValue('ip-host', v)).toBe(v);
  });
});

describe('normaliseModel with the destination stored forms', () => {
  const cfg = config([
    entry('IpamIPAddress', 'devices', ['address'], [field('address', { mapping: 'ip' }), field('description', { mapping: 'hostname' })]),
    entry('InfraDevice', 'devices', ['name'], [field('name', { mapping: 'hostname' }), field('primary_address', { mapping: 'ip', reference: 'IpamIPAddress' })]),
  ]);
  const options = { storedForms: { IpamIPAddress: { address: 'ip-host' as const } } };
  const raws = [[{ device_id: '101', id: '101', hostname: 'pe-101', ip: '10.1.0.1' }]];

  it('keys and compares source values as they will be stored, a scalar reference too', () => {
    const refs: ReferenceIndex = new Map();
    const ips = normaliseModel(cfg, 'IpamIPAddress', 'source', raws, refs, options);
    expect(ips.records.map((r) => r.key)).toEqual(['10.1.0.1/32']);
    refs.set('IpamIPAddress', ips.idToKey);
    const devices = normaliseModel(cfg, 'InfraDevice', 'source', raws, refs, options);
    expect(devices.records[0]?.attrs).toEqual({ primary_address: '10.1.0.1/32' });
  });

  it('leaves values alone without stored forms', () => {
    expect(normaliseModel(cfg, 'IpamIPAddress', 'source', raws, new Map()).records[0]?.key).toBe('10.1.0.1');
  });
});
