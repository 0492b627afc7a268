import { describe, expect, it } from 'vitest';
import type { FilterConfig, FilterOperation } from '../../../shared/config/types.js';
import { ConfigError } from '../../../shared/errors.js';
import { MappingError, compileFilters } from '../../../shared/mapping/index.js';

const f = (field: string, operation: FilterOperation, value?: unknown): FilterConfig => ({ field, operation, value });
const pass = (filter: FilterConfig, raw: Record<string, unknown>): boolean => compileFilters([filter], { model: 'M' })(raw);

describe('compileFilters: every operation', () => {
  it('== and != use Python equality', () => {
    expect(pass(f('status.value', '==', 'active'), { status: { value: 'active' } })).toBe(true);
    expect(pass(f('status.value', '==', 'active'), { status: { value: 'planned' } })).toBe(false);
    expect(pass(f('n', '==', 1), { n: 1.0 })).toBe(true);
    expect(pass(f('n', '==', 1), { n: true })).toBe(true);
    expect(pass(f('n', '==', '1'), { n: 1 })).toBe(false);
    expect(pass(f('missing', '==', null), {})).toBe(true);
    expect(pass(f('missing', '==', 'x'), {})).toBe(false);
    expect(pass(f('name', '!=', 'x'), { name: 'y' })).toBe(true);
    expect(pass(f('name', '!=', 'x'), { name: 'x' })).toBe(false);
    expect(pass(f('missing', '!=', 'x'), {})).toBe(true);
  });

  it('> < >= <= compare as int()', () => {
    expect(pass(f('device_id', '>', 100), { device_id: 101 })).toBe(true);
    expect(pass(f('device_id', '>', 100), { device_id: 100 })).toBe(false);
    expect(pass(f('device_id', '<=', 200), { device_id: '200' })).toBe(true);
    expect(pass(f('device_id', '<=', 200), { device_id: 201 })).toBe(false);
    expect(pass(f('x', '<', '10'), { x: 9.9 })).toBe(true);
    expect(pass(f('x', '<', 10), { x: 10.5 })).toBe(false);
    expect(pass(f('x', '>=', 3), { x: 3 })).toBe(true);
    expect(pass(f('x', '>=', 3), { x: 2 })).toBe(false);
  });

  it('> on a missing or non-integer field fails the load like upstream', () => {
    expect(() => pass(f('device_id', '>', 100), { id: 5 })).toThrow(MappingError);
    expect(() => pass(f('device_id', '>', 100), { id: 5, device_id: '1.5' })).toThrow(/record 5/);
    expect(() => compileFilters([f('x', '>', 'ten')], { model: 'M' })).toThrow(ConfigError);
  });

  it('in / not in', () => {
    expect(pass(f('name', 'in', ['infra', 'mgmt']), { name: 'mgmt' })).toBe(true);
    expect(pass(f('name', 'in', ['infra', 'mgmt']), { name: 'common' })).toBe(false);
    expect(pass(f('name', 'in', ['infra']), {})).toBe(false);
    expect(pass(f('name', 'in', []), { name: 'x' })).toBe(false);
    expect(pass(f('name', 'in', 'management'), { name: 'age' })).toBe(true);
    expect(pass(f('name', 'not in', ['infra', 'mgmt']), { name: 'common' })).toBe(true);
    expect(pass(f('name', 'not in', ['infra', 'mgmt']), { name: 'infra' })).toBe(false);
    expect(pass(f('name', 'not in', ['infra', 'mgmt']), {})).toBe(true);
    expect(() => compileFilters([f('x', 'not in', 5)], { model: 'M' })).toThrow(ConfigError);
  });

  it('contains / not contains need a non-empty field', () => {
    expect(pass(f('name', 'contains', 'dmi01'), { name: 'ams-dmi01-sw' })).toBe(true);
    expect(pass(f('name', 'contains', 'dmi01'), { name: 'ams-sw' })).toBe(false);
    expect(pass(f('name', 'contains', 'dmi01'), {})).toBe(false);
    expect(pass(f('tags', 'contains', 'core'), { tags: ['edge', 'core'] })).toBe(true);
    expect(pass(f('name', 'not contains', 'pdu'), { name: 'ams-sw' })).toBe(true);
    expect(pass(f('name', 'not contains', 'pdu'), { name: 'ams-pdu1' })).toBe(false);
    expect(pass(f('name', 'not contains', 'pdu'), {})).toBe(false);
    expect(pass(f('name', 'not contains', 'pdu'), { name: '' })).toBe(false);
    expect(() => pass(f('n', 'contains', 'x'), { n: 5 })).toThrow(MappingError);
  });

  it('is_empty / is_not_empty use Python truthiness', () => {
    for (const empty of [null, '', 0, false, [], {}]) {
      expect(pass(f('v', 'is_empty'), { v: empty })).toBe(true);
      expect(pass(f('v', 'is_not_empty'), { v: empty })).toBe(false);
    }
    expect(pass(f('v', 'is_empty'), {})).toBe(true);
    expect(pass(f('v', 'is_not_empty'), { v: 'x' })).toBe(true);
    expect(pass(f('v', 'is_empty'), { v: [0] })).toBe(false);
  });

  it('regex is re.match: anchored at the start only, Python syntax', () => {
    expect(pass(f('hostname', 'regex', '^pe-[0-9]{3}$'), { hostname: 'pe-101' })).toBe(true);
    expect(pass(f('hostname', 'regex', '^pe-[0-9]{3}$'), { hostname: 'pe-1011' })).toBe(false);
    expect(pass(f('hostname', 'regex', 'pe'), { hostname: 'xpe' })).toBe(false);
    expect(pass(f('hostname', 'regex', 'pe'), { hostname: 'pe-anything' })).toBe(true);
    expect(pass(f('hostname', 'regex', 'pe$'), { hostname: 'pe\n' })).toBe(true);
    expect(pass(f('hostname', 'regex', '(?P<site>[a-z]+)-\\d'), { hostname: 'ams-1' })).toBe(true);
    // Backreferences need a backtracking engine: refused when the config is compiled, saying why.
    expect(() => compileFilters([f('hostname', 'regex', '(?P<site>[a-z]+)-(?P=site)')], { model: 'M' })).toThrow(
      /M: filter on 'hostname' \(regex\): invalid regular expression: backreferences .* not supported/,
    );
    expect(pass(f('hostname', 'regex', '(?i)PE-'), { hostname: 'pe-1' })).toBe(true);
    expect(() => pass(f('hostname', 'regex', 'pe'), { id: 3 })).toThrow(MappingError);
    expect(() => compileFilters([f('x', 'regex', '([')], { model: 'M' })).toThrow(ConfigError);
  });

  it('regex runs in linear time on hostile source values', () => {
    // `^(a+)+$` took over 120 s on a 41-character value with a backtracking engine.
    const bomb = f('hostname', 'regex', '^(a+)+$');
    const started = performance.now();
    expect(pass(bomb, { hostname: `${'a'.repeat(41)}!` })).toBe(false);
    expect(pass(bomb, { hostname: `${'a'.repeat(200_000)}!` })).toBe(false);
    expect(pass(bomb, { hostname: 'a'.repeat(41) })).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('is_ip_within with IPv4 and IPv6 prefixes, addresses and ranges', () => {
    expect(pass(f('ip', 'is_ip_within', '10.0.0.0/8'), { ip: '10.1.2.3' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '10.0.0.0/8'), { ip: '11.1.2.3' })).toBe(false);
    expect(pass(f('ip', 'is_ip_within', '10.0.0.0/8'), { ip: '10.1.0.0/16' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '10.1.0.0/16'), { ip: '10.0.0.0/8' })).toBe(false);
    expect(pass(f('ip', 'is_ip_within', ['192.168.0.0/16', '10.0.0.8-10.0.0.20']), { ip: '10.0.0.10' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', ['10.0.0.8-10.0.0.20']), { ip: '10.0.0.21' })).toBe(false);
    expect(pass(f('ip', 'is_ip_within', '10.0.0.1'), { ip: '10.0.0.1' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '2001:db8::/32'), { ip: '2001:db8:1::5' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '2001:db8::/32'), { ip: '2001:db9::1' })).toBe(false);
    expect(pass(f('ip', 'is_ip_within', '::ffff:0:0/96'), { ip: '::ffff:10.0.0.1' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '2001:db8::/32'), { ip: '10.0.0.1' })).toBe(false);
    // NetBox addresses carry a mask: the address itself is checked.
    expect(pass(f('address', 'is_ip_within', '10.0.0.0/24'), { address: '10.0.0.5/16' })).toBe(true);
    expect(pass(f('ip', 'is_ip_within', '10.0.0.0/255.0.0.0'), { ip: '10.9.9.9' })).toBe(true);
    expect(() => pass(f('ip', 'is_ip_within', '10.0.0.0/8'), { id: 1 })).toThrow(MappingError);
    expect(() => pass(f('ip', 'is_ip_within', '10.0.0.0/8'), { id: 1, ip: 'nope' })).toThrow(MappingError);
    expect(() => compileFilters([f('ip', 'is_ip_within', '10.0.0/8')], { model: 'M' })).toThrow(ConfigError);
    expect(() => compileFilters([f('ip', 'is_ip_within', '010.0.0.0/8')], { model: 'M' })).toThrow(ConfigError);
  });

  it('ANDs all filters', () => {
    const p = compileFilters([f('device_id', '>', 100), f('device_id', '<=', 200), f('hostname', 'regex', '^pe-')], { model: 'M' });
    expect(p({ device_id: 150, hostname: 'pe-1' })).toBe(true);
    expect(p({ device_id: 250, hostname: 'pe-1' })).toBe(false);
    expect(p({ device_id: 150, hostname: 'ce-1' })).toBe(false);
    expect(compileFilters([])({})).toBe(true);
  });
});
