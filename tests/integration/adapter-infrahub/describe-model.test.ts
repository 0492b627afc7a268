// Adapter.describeModel: what the pure steps learn from the Infrahub schema: relationships behind
// mapped fields (and how a plain value can name their peer), read-only fields, and the identities
// Infrahub matches or enforces, which the plan's collision check and the create lookup use.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { SCHEMA, TOKEN, makeAdapter } from './helpers.js';

const PROJECT_SCHEMA = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

let standin: InfrahubStandin | undefined;
afterEach(async () => {
  await standin?.stop();
  standin = undefined;
});

async function opened(schema: string) {
  standin = await startInfrahubStandin({ schema, token: TOKEN });
  const a = makeAdapter(standin.url);
  await a.open();
  return a;
}

describe('InfrahubAdapter.describeModel', () => {
  it('names the hfid (through a relationship too), uniqueness constraints and unique attributes', async () => {
    const a = await opened(SCHEMA);
    expect(a.describeModel('InfraInterface', ['name', 'device'])).toEqual({
      kinds: ['InfraInterface'],
      fields: {
        name: { kind: 'attribute', readOnly: false },
        device: { kind: 'relationship', peer: 'InfraDevice', peerKinds: ['InfraDevice'], cardinality: 'one', readOnly: false, peerAttribute: 'name', peerHfid: true },
      },
      identities: [{ label: 'human-friendly id', parts: [{ field: 'device', via: 'name' }, { field: 'name' }], enforced: true }],
    });
    // No hfid declared: the server makes one of the unique attribute (as Infrahub 1.11.9).
    expect(a.describeModel('InfraPlatform', ['name'])?.identities).toEqual([
      { label: 'human-friendly id', parts: [{ field: 'name' }], enforced: true },
    ]);
    // A generic's records may be any implementer: the identities all of them share.
    expect(a.describeModel('LocationGeneric', ['name'])).toMatchObject({
      kinds: ['LocationSite', 'LocationRegion'],
      identities: [{ label: 'human-friendly id', parts: [{ field: 'name' }], enforced: true }],
    });
    expect(a.describeModel('NoSuchKind', ['name'])).toBeUndefined();
    expect(a.describeModel('InfraDevice', ['nosuchfield'])?.fields.nosuchfield).toEqual({ kind: 'missing' });
  });

  it('on configs/schemas: constraints inherited from a generic, the IPAM identities, computed fields, peers named by default filter', async () => {
    const a = await opened(PROJECT_SCHEMA);
    expect(a.describeModel('InfraInterfaceL2L3', ['name', 'device'])?.identities).toEqual([
      { label: "uniqueness constraint 'device-name'", parts: [{ field: 'device' }, { field: 'name' }], enforced: true },
    ]);
    const address = a.describeModel('InfraIPAddress', ['address', 'ip_prefix']);
    expect(address?.identities).toEqual([
      { label: 'IPAM address within its namespace', parts: [{ field: 'address' }, { field: 'ip_namespace', defaultsTo: 'default' }], enforced: false },
    ]);
    expect(address?.fields.ip_prefix).toMatchObject({ kind: 'relationship', readOnly: true });
    expect(a.describeModel('InfraCircuit', ['type'])?.fields.type).toEqual({
      kind: 'relationship',
      peer: 'ChoiceCircuitType',
      peerKinds: ['ChoiceCircuitType'],
      cardinality: 'one',
      readOnly: false,
      peerAttribute: 'name',
      peerHfid: true,
    });
    // No hfid, no constraint, not IPAM: nothing in Infrahub identifies a rack.
    expect(a.describeModel('InfraRack', ['name'])?.identities).toEqual([]);
  });

  it('is nothing before the schema is read', () => {
    expect(makeAdapter('http://127.0.0.1:9').describeModel('InfraDevice', ['name'])).toBeUndefined();
  });
});
