// Depth and include selection for Nautobot list requests (pure functions).
import { describe, expect, it } from 'vitest';
import { hitsStub, includesFor, planDepth, stubbedPaths } from '../../../shared/adapters/nautobot/index.js';
import type { LoadField } from '../../../shared/adapters/types.js';

const f = (path: string, reference?: string): LoadField => ({ name: path, path, reference });

describe('planDepth', () => {
  it.each([
    [[f('name')], 0],
    [[f('name'), f('status.name')], 1],
    [[f('device_type.manufacturer.name')], 2],
    [[f('location', 'LocationGeneric')], 0],
    [[f('device_type.manufacturer', 'Manufacturer')], 1],
    [[f('custom_fields.site_code'), f('name')], 0],
    [[f('a.b.c.d.e.f.g.h.i.j.k.l')], 10],
  ])('%j needs depth %i', (fields, depth) => {
    expect(planDepth(fields).depth).toBe(depth);
  });

  it('tries choice-like paths one level lower', () => {
    expect(planDepth([f('name'), f('type.label'), f('mode.label'), f('device', 'InfraDevice')])).toEqual({
      depth: 1,
      optimistic: { depth: 0, paths: ['type.label', 'mode.label'] },
    });
    // Another path needs depth 1 anyway: nothing to gain.
    expect(planDepth([f('type.label'), f('status.name')])).toEqual({ depth: 1 });
  });
});

describe('hitsStub', () => {
  const stub = { id: 'u', object_type: 'dcim.device', url: 'http://x/api/dcim/devices/u/' };
  it('sees a depth-0 foreign key where a choice was hoped for', () => {
    expect(hitsStub({ id: 1, rear_port: stub }, 'rear_port.label')).toBe(true);
    expect(hitsStub({ id: 1, tags: [stub] }, 'tags.label')).toBe(true);
  });
  it('accepts choices, nulls and inlined objects', () => {
    expect(hitsStub({ id: 1, type: { value: '1000base-t', label: '1000BASE-T' } }, 'type.label')).toBe(false);
    expect(hitsStub({ id: 1, mode: null }, 'mode.label')).toBe(false);
    expect(hitsStub({ id: 1 }, 'mode.label')).toBe(false);
    expect(hitsStub({ id: 1, rear_port: { ...stub, label: 'x' } }, 'rear_port.label')).toBe(false);
  });
});

describe('stubbedPaths', () => {
  const stub = { id: 'u', object_type: 'dcim.rearport', url: 'http://x/api/dcim/rear-ports/u/' };
  const choice = { value: 'access', label: 'Access' };
  it('looks past records where the field is null until one settles it', () => {
    const records = [{ id: 1, mode: null, rear_port: null }, { id: 2 }, { id: 3, mode: choice, rear_port: stub }];
    expect(stubbedPaths(records, ['mode.label', 'rear_port.label'])).toEqual(['rear_port.label']);
  });
  it('settles a path on its first resolving record', () => {
    // One field is one type on every object; a later odd record does not reopen the question.
    const records = [{ id: 1, mode: choice }, { id: 2, mode: stub }];
    expect(stubbedPaths(records, ['mode.label'])).toEqual([]);
  });
  it('finds nothing to fix in an empty or all-null list', () => {
    expect(stubbedPaths([], ['mode.label'])).toEqual([]);
    expect(stubbedPaths([{ id: 1, mode: null }], ['mode.label'])).toEqual([]);
  });
});

describe('includesFor', () => {
  it('opts in to config_context, computed_fields and relationships only when mapped', () => {
    expect(includesFor([f('name'), f('config_context.ntp'), f('computed_fields.x'), f('config_context.dns')])).toEqual([
      'computed_fields',
      'config_context',
    ]);
    expect(includesFor([f('name')])).toEqual([]);
  });
});
