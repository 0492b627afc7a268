import { describe, expect, it } from 'vitest';
import { findMatchCollisions } from '../../../shared/diff/match-collisions.js';
import type { Change, SyncRecord } from '../../../shared/diff/types.js';

const create = (key: string, name: string | null, ns: string): Change => ({
  id: `InfraVRF/create/${key}`, action: 'create', model: 'InfraVRF', key, ids: { name, ip_namespace: ns }, attrs: { description: '' },
});
const existing = (key: string, name: string, ns: string): SyncRecord => ({
  model: 'InfraVRF', key, ids: { name, ip_namespace: ns }, attrs: { description: '' },
});

describe('findMatchCollisions', () => {
  it('finds creates that one destination record would receive: between themselves and with a record another key holds', () => {
    const err = findMatchCollisions(
      'InfraVRF',
      ['name'],
      [create('PROD__ns1', 'PROD', 'ns1'), create('PROD__ns2', 'PROD', 'ns2'), create('MGMT__ns2', 'MGMT', 'ns2'), create('LAB__ns1', 'LAB', 'ns1')],
      [existing('MGMT__ns1', 'MGMT', 'ns1'), existing('CORE__ns1', 'CORE', 'ns1')],
    );
    expect(err?.collisions).toEqual([
      { value: 'PROD', keys: ['PROD__ns1', 'PROD__ns2'] },
      { value: 'MGMT', keys: ['MGMT__ns1', 'MGMT__ns2'] },
    ]);
    expect(err?.message).toMatch(/^InfraVRF: 2 group\(s\) of records with different keys would be written to one destination record, which matches writes by name: PROD <- PROD__ns1, PROD__ns2; MGMT <- MGMT__ns1, MGMT__ns2\. Nothing was written/);
  });

  it('is quiet for distinct values, for the record a key already holds, and where a part is empty', () => {
    expect(findMatchCollisions('InfraVRF', ['name'], [create('A__ns1', 'A', 'ns1'), create('B__ns1', 'B', 'ns1')], [existing('A__ns1', 'A', 'ns1')])).toBeUndefined();
    expect(findMatchCollisions('InfraVRF', ['name'], [create('x1', null, 'ns1'), create('x2', null, 'ns2')], [])).toBeUndefined();
    expect(findMatchCollisions('InfraVRF', [], [create('A__ns1', 'A', 'ns1'), create('A__ns2', 'A', 'ns2')], [])).toBeUndefined();
    // Existing records alone never collide: the destination keeps its own match fields unique.
    expect(findMatchCollisions('InfraVRF', ['name'], [], [existing('A__ns1', 'A', 'ns1'), existing('A__ns2', 'A', 'ns2')])).toBeUndefined();
  });
});
