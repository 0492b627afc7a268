// What issue 10 found the stand-in missing against a real Infrahub 1.11.9: constraints that
// nodes inherit from generics (shown in /api/schema and enforced), the real refusal for Create and
// for Upsert without id or hfid, `{"node": null}` for an empty one-relationship, and responses
// lost after the server wrote.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startClient, type Client } from './helpers.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

let c: Client | undefined;
afterEach(async () => {
  await c?.standin.stop();
  c = undefined;
});

async function withDevice(client: Client): Promise<string> {
  type Made = Record<string, { object: { id: string } }>;
  const a = await client.ok<Made>(`mutation {
    l: LocationGenericCreate(data: {name: {value: "ams1"}}) { ok object { id } }
    o: OrganizationGenericCreate(data: {name: {value: "acme"}}) { ok object { id } }
  }`);
  const t = await client.ok<Made>(
    `mutation { t: ChoiceDeviceTypeCreate(data: {name: {value: "t1"}, manufacturer: {id: "${a.o?.object.id}"}}) { ok object { id } } }`,
  );
  const d = await client.ok<Made>(`mutation {
    d: InfraDeviceCreate(data: {name: {value: "edge1"}, location: {id: "${a.l?.object.id}"}, model: {id: "${t.t?.object.id}"}}) { ok object { id } }
  }`);
  return d.d?.object.id ?? '';
}

describe('Infrahub stand-in: uniqueness, empty relationships, lost responses', () => {
  it('shows and enforces the constraint nodes inherit from their generic, for Create and Upsert without id or hfid', async () => {
    c = await startClient({ schema: SCHEMAS });
    const schema = (await (await fetch(`${c.standin.url}/api/schema`)).json()) as {
      nodes: { kind: string; uniqueness_constraints: string[][] | null }[];
    };
    for (const kind of ['InfraInterfaceL2L3', 'InfraFrontPort', 'InfraRearPort']) {
      expect(schema.nodes.find((n) => n.kind === kind)?.uniqueness_constraints).toEqual([['device', 'name__value']]);
    }
    const device = await withDevice(c);
    await c.ok(`mutation { InfraInterfaceL2L3Create(data: {name: {value: "eth0"}, device: {id: "${device}"}}) { ok } }`);
    for (const mutation of ['InfraInterfaceL2L3Create', 'InfraInterfaceL2L3Upsert']) {
      const r = await c.gql(`mutation {\n  ${mutation}(data: {name: {value: "eth0"}, device: {id: "${device}"}}) { ok } }`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        data: { [mutation]: null },
        errors: [
          {
            message: "Violates uniqueness constraint 'device-name'",
            locations: [{ line: 2, column: 3 }],
            path: [mutation],
            extensions: { code: 'UNDEFINED_ERROR', http_status: 422, data: {} },
          },
        ],
      });
    }
    expect(c.standin.nodes('InfraInterfaceL2L3')).toHaveLength(1);
  });

  it('gives kinds the identities a real Infrahub 1.11.9 shows in /api/schema (hfid from a unique attribute, each unique attribute a constraint)', async () => {
    c = await startClient({ schema: SCHEMAS });
    const schema = (await (await fetch(`${c.standin.url}/api/schema`)).json()) as {
      nodes: { kind: string; human_friendly_id: string[] | null; default_filter: string | null; uniqueness_constraints: string[][] | null; attributes: { name: string; unique: boolean }[] }[];
    };
    const kind = (k: string) => {
      const n = schema.nodes.find((x) => x.kind === k);
      return n && { hfid: n.human_friendly_id, filter: n.default_filter, constraints: n.uniqueness_constraints };
    };
    // The table recorded from the real server (infrahub-real facts, /api/schema of configs/schemas).
    expect(kind('ChoiceCircuitType')).toEqual({ hfid: ['name__value'], filter: 'name__value', constraints: [['name__value']] });
    expect(kind('ChoiceDeviceType')).toEqual({ hfid: ['name__value'], filter: 'name__value', constraints: [['manufacturer', 'name__value'], ['name__value']] });
    expect(kind('InfraAutonomousSystem')).toEqual({ hfid: ['name__value'], filter: 'name__value', constraints: [['name__value'], ['asn__value']] });
    expect(kind('InfraCircuit')).toEqual({ hfid: ['circuit_id__value'], filter: 'circuit_id__value', constraints: [['circuit_id__value']] });
    expect(kind('LocationGeneric')).toEqual({ hfid: ['name__value'], filter: 'name__value', constraints: [['name__value']] });
    expect(kind('InfraVRF')).toEqual({ hfid: ['name__value'], filter: null, constraints: [['name__value']] });
    expect(kind('InfraIPAddress')).toEqual({ hfid: null, filter: 'address__value', constraints: null });
    expect(kind('InfraRack')).toEqual({ hfid: null, filter: 'name__value', constraints: null });
    expect(schema.nodes.find((n) => n.kind === 'InfraVRF')?.attributes.find((a) => a.name === 'name')?.unique).toBe(true);
  });

  it('fills an empty label from the name on create, so a node of OrganizationGeneric shows a display label', async () => {
    c = await startClient({ schema: SCHEMAS });
    const r = await c.ok<{ o: { object: { display_label: string; label: { value: string } } } }>(
      'mutation { o: OrganizationGenericCreate(data: {name: {value: "org-fmx93do7i"}}) { ok object { display_label label { value } } } }',
    );
    expect(r.o.object).toEqual({ display_label: 'Org-Fmx93Do7I', label: { value: 'Org-Fmx93Do7I' } });
    const given = await c.ok<{ o: { object: { display_label: string } } }>(
      'mutation { o: RoleGenericCreate(data: {name: {value: "core_router"}, label: {value: "Core"}}) { ok object { display_label } } }',
    );
    expect(given.o.object.display_label).toBe('Core');
    const split = await c.ok<{ o: { object: { display_label: string } } }>(
      'mutation { o: RoleGenericCreate(data: {name: {value: "core_router"}}) { ok object { display_label } } }',
    ).catch((e: Error) => e);
    // One name per role (its hfid): the second is refused, as the real server does.
    expect(String(split)).toMatch(/Violates uniqueness constraint 'name'/);
    const other = await c.ok<{ o: { object: { display_label: string } } }>(
      'mutation { o: RoleGenericCreate(data: {name: {value: "edge_router-2"}}) { ok object { display_label } } }',
    );
    expect(other.o.object.display_label).toBe('Edge Router-2');
  });

  it('answers an empty one-relationship with {"node": null}, on both query paths', async () => {
    c = await startClient({ schema: SCHEMAS });
    await withDevice(c);
    const query = 'query { InfraDevice { edges { node { name { value } rack { node { id } } } } } }';
    const fast = await c.gql(query);
    expect(fast.body).toEqual({ data: { InfraDevice: { edges: [{ node: { name: { value: 'edge1' }, rack: { node: null } } }] } } });
    // A directive sends the query through graphql-js instead of the direct renderer.
    const slow = await c.gql(query.replace('rack {', 'rack @include(if: true) {'));
    expect(slow.body).toEqual(fast.body);
  });

  it('with a lost-response rate, writes what it was sent and then drops the connection', async () => {
    c = await startClient({ schema: SCHEMAS, lostResponseRate: 1 });
    const res = fetch(`${c.standin.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-infrahub-key': 'standin-token' },
      body: JSON.stringify({ query: 'mutation { BuiltinTagCreate(data: {name: {value: "red"}}) { ok } }' }),
    });
    await expect(res).rejects.toThrow();
    expect(c.standin.nodes('BuiltinTag').map((t) => t.name)).toEqual(['red']);
    expect(c.standin.counters.lostResponses).toBe(1);
    // Reads are answered: only mutations lose their response.
    const read = await c.gql('query { BuiltinTag { count } }');
    expect(read.body).toEqual({ data: { BuiltinTag: { count: 1 } } });
  });
});
