import { describe, expect, it } from 'vitest';
import { findMatchCollisions } from '../../../shared/diff/match-collisions.js';
import type { Change, Identity, SyncRecord, Value } from '../../../shared/diff/types.js';

const HFID: Identity = { label: 'human-friendly id', parts: [{ field: 'name' }], enforced: true };
const create = (key: string, name: string | null, ns: string, extra: Record<string, Value> = {}): Change => ({
  id: `InfraVRF/create/${key}`, action: 'create', model: 'InfraVRF', key, ids: { name, ip_namespace: ns }, attrs: { description: '', ...extra },
});
const rec = (key: string, name: string, ns: string, localId?: string): SyncRecord => ({
  model: 'InfraVRF', key, ids: { name, ip_namespace: ns }, attrs: { description: '' }, ...(localId ? { localId } : {}),
});

describe('findMatchCollisions', () => {
  it('refuses creates one node would receive: between themselves and with a record a source key keeps', () => {
    const creates = [create('PROD__ns1', 'PROD', 'ns1'), create('PROD__ns2', 'PROD', 'ns2'), create('MGMT__ns2', 'MGMT', 'ns2'), create('LAB__ns1', 'LAB', 'ns1')];
    const kept = rec('MGMT__ns1', 'MGMT', 'ns1', 'n1');
    const out = findMatchCollisions('InfraVRF', [HFID], creates, [...creates.map((c) => rec(c.key, String(c.ids.name), 'x')), kept], [kept]);
    expect(out.error?.collisions).toEqual([
      { value: 'PROD', keys: ['PROD__ns1', 'PROD__ns2'], by: 'human-friendly id' },
      { value: 'MGMT', keys: ['MGMT__ns1', 'MGMT__ns2'], by: 'human-friendly id' },
    ]);
    expect(out.error?.message).toMatch(
      /^InfraVRF: 2 group\(s\) of source records with different keys would be written into one destination node, which the destination identifies by its human-friendly id: PROD <- PROD__ns1, PROD__ns2; MGMT <- MGMT__ns1, MGMT__ns2\. Nothing was written\. Tell them apart in the destination \(a uniqueness constraint or human-friendly id on InfraVRF/,
    );
  });

  it('compares a record both sides hold by its source values: a rename frees the old value for a create', () => {
    // K's node is named OLD today and NEW once synced: a create of OLD does not collide with it.
    const src = [{ ...rec('K', 'NEW', 'ns1') }, rec('C', 'OLD', 'ns1')];
    const dst = [{ ...rec('K', 'OLD', 'ns1', 'n1') }];
    const out = findMatchCollisions('InfraVRF', [HFID], [create('C', 'OLD', 'ns1')], src, dst);
    expect(out.error).toBeUndefined();
    expect(out.adopted).toBe(0);
  });

  it('turns a create into an update of the node it finds that no source record keeps, and drops that node\'s delete', () => {
    const c = create('MGMT__ns2', 'MGMT', 'ns2', { description: 'new' });
    const orphan = rec('MGMT__ns1', 'MGMT', 'ns1', 'node-7');
    const del: Change = { id: 'InfraVRF/delete/MGMT__ns1', action: 'delete', model: 'InfraVRF', key: 'MGMT__ns1', ids: orphan.ids, attrs: {}, destinationId: 'node-7' };
    const out = findMatchCollisions('InfraVRF', [HFID], [c, del], [rec('MGMT__ns2', 'MGMT', 'ns2')], [orphan]);
    expect(out.error).toBeUndefined();
    expect(out).toMatchObject({ adopted: 1, droppedDeletes: 1 });
    expect(out.changes).toEqual([
      {
        id: 'InfraVRF/update/MGMT__ns2',
        action: 'update',
        model: 'InfraVRF',
        key: 'MGMT__ns2',
        ids: { name: 'MGMT', ip_namespace: 'ns2' },
        attrs: { ip_namespace: 'ns2', description: 'new' },
        previous: { ip_namespace: 'ns1', description: '' },
        destinationId: 'node-7',
        adopts: { key: 'MGMT__ns1', by: 'human-friendly id' },
      },
    ]);
  });

  it('reads parts through a relationship by the peer\'s attribute, and fills defaulted parts', () => {
    const byDevice: Identity = { label: 'human-friendly id', parts: [{ field: 'device', via: 'name' }, { field: 'name' }], enforced: true };
    const iface = (key: string, device: string): Change => ({ id: `I/create/${key}`, action: 'create', model: 'I', key, ids: { device, name: 'eth0' }, attrs: {} });
    const names: Record<string, string> = { 'ams__edge1': 'edge1', 'fra__edge1': 'edge1', 'fra__edge2': 'edge2' };
    const peer = (_f: string, key: string, _a: string) => names[key];
    const clash = findMatchCollisions('I', [byDevice], [iface('a', 'ams__edge1'), iface('b', 'fra__edge1'), iface('c', 'fra__edge2')], [], [], peer);
    expect(clash.error?.collisions).toEqual([{ value: 'edge1 / eth0', keys: ['a', 'b'], by: 'human-friendly id' }]);

    const ipam: Identity = { label: 'IPAM address within its namespace', parts: [{ field: 'address' }, { field: 'ip_namespace', defaultsTo: 'default' }], enforced: false };
    const addr = (key: string, ns: Value): Change => ({ id: `A/create/${key}`, action: 'create', model: 'A', key, ids: { address: '10.0.0.1/24', vrf: key }, attrs: { ip_namespace: ns } });
    const existing: SyncRecord = { model: 'A', key: 'old', ids: { address: '10.0.0.1/24', vrf: 'old' }, attrs: { ip_namespace: 'default' }, localId: 'n9' };
    // Unmapped or empty namespace: the default one, where the existing address is.
    expect(findMatchCollisions('A', [ipam], [addr('v1', null)], [], [existing]).changes[0]).toMatchObject({ action: 'update', destinationId: 'n9' });
    // Not enforced: two records with one address (one per VRF) are no collision, and neither takes the node.
    const both = findMatchCollisions('A', [ipam], [addr('v1', null), addr('v2', 'default')], [], [existing]);
    expect(both.error).toBeUndefined();
    expect(both.adopted).toBe(0);
  });

  it('is quiet for distinct values, for the record a key already holds, where a part is empty, and without identities', () => {
    const quiet = (changes: Change[], src: SyncRecord[], dst: SyncRecord[], ids = [HFID]) => {
      const out = findMatchCollisions('InfraVRF', ids, changes, src, dst);
      return [out.error, out.adopted];
    };
    expect(quiet([create('B__ns1', 'B', 'ns1')], [rec('A__ns1', 'A', 'ns1'), rec('B__ns1', 'B', 'ns1')], [rec('A__ns1', 'A', 'ns1')])).toEqual([undefined, 0]);
    expect(quiet([create('x1', null, 'ns1'), create('x2', null, 'ns2')], [], [])).toEqual([undefined, 0]);
    expect(quiet([create('A__ns1', 'A', 'ns1'), create('A__ns2', 'A', 'ns2')], [], [], [])).toEqual([undefined, 0]);
    // Existing records alone never collide: the destination keeps its own identities unique.
    expect(quiet([], [], [rec('A__ns1', 'A', 'ns1'), rec('A__ns2', 'A', 'ns2')])).toEqual([undefined, 0]);
  });
});
