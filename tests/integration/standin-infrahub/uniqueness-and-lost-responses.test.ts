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
