import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startClient, type Client } from './helpers.js';

type Envelope = { data: null; errors: Record<string, unknown>[] };

/** Compares an error with a recorded one: same keys, same message, same extensions. */
function expectLikeRecorded(actual: Record<string, unknown> | undefined, recordedFile: string): void {
  const recorded = (fixture<Envelope>(recordedFile).errors[0] ?? {}) as Record<string, unknown>;
  expect(actual).toBeDefined();
  expect(Object.keys(actual ?? {}).sort()).toEqual(Object.keys(recorded).sort());
  expect(actual?.message).toBe(recorded.message);
  expect(actual?.extensions).toEqual(recorded.extensions);
  expect(actual?.path).toEqual(recorded.path);
}

describe('mutations', () => {
  let c: Client;
  beforeEach(async () => {
    c = await startClient();
  });
  afterEach(() => c.standin.stop());

  const person = (name: string) => c.standin.nodes('TestPerson').find((n) => n.name === name);

  it('creates, updates, upserts and deletes, returning { ok object } like Infrahub', async () => {
    const created = await c.ok<{ TestPersonCreate: { ok: boolean; object: { id: string; hfid: string[]; display_label: string; name: { value: string } } } }>(
      'mutation { TestPersonCreate(data: {name: {value: "John"}, height: {value: 180}}) { ok object { id hfid display_label name { value } } } }',
    );
    expect(created.TestPersonCreate).toMatchObject({ ok: true, object: { hfid: ['John'], display_label: 'John', name: { value: 'John' } } });
    const id = created.TestPersonCreate.object.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(person('John')).toMatchObject({ id, height: 180, status: 'active', is_admin: false });

    await c.ok(`mutation { TestPersonUpdate(data: {id: "${id}", height: {value: 181}, nickname: {value: "Johnny"}}) { ok object { id } } }`);
    expect(person('John')).toMatchObject({ height: 181, nickname: 'Johnny' });
    await c.ok('mutation { TestPersonUpdate(data: {hfid: ["John"], nickname: {value: null}}) { ok } }');
    expect(person('John')?.nickname).toBeNull();

    const up1 = await c.ok<{ TestPersonUpsert: { object: { id: string } } }>('mutation { TestPersonUpsert(data: {name: {value: "John"}, height: {value: 190}}) { ok object { id } } }');
    expect(up1.TestPersonUpsert.object.id).toBe(id);
    expect(person('John')?.height).toBe(190);
    const up2 = await c.ok<{ TestPersonUpsert: { object: { id: string } } }>('mutation { TestPersonUpsert(data: {hfid: ["Jane"], name: {value: "Jane"}}) { ok object { id } } }');
    expect(up2.TestPersonUpsert.object.id).not.toBe(id);
    expect(c.standin.nodes('TestPerson')).toHaveLength(2);

    const del = await c.ok<{ TestPersonDelete: { ok: boolean } }>(`mutation { TestPersonDelete(data: {id: "${id}"}) { ok } }`);
    expect(del.TestPersonDelete.ok).toBe(true);
    await c.ok('mutation { TestPersonDelete(data: {hfid: ["Jane"]}) { ok } }');
    expect(c.standin.nodes('TestPerson')).toHaveLength(0);
  });

  it('accepts a mutation as the Python SDK renders it ($value_<hex> String! variables, trailing commas)', async () => {
    await c.ok('mutation { BuiltinTagCreate(data: {name: {value: "blue"}}) { ok } }');
    const text = `
mutation ($value_0a1b2c3d4e5f: String!) {
    TestPersonCreate(
        data: {
            name: {
                value: $value_0a1b2c3d4e5f
            }
            height: {
                value: 172
            }
            is_admin: {
                value: true
            }
            tags: [
                {
                    hfid: ["blue"]
                },
            ]
        }
    ){
        ok
        object {
            id
        }
    }
}
`;
    const r = await c.gql(text, { value_0a1b2c3d4e5f: "O'Brien \"the\" {first}" });
    expect(r.body.errors).toBeUndefined();
    const node = person(`O'Brien "the" {first}`);
    expect(node).toMatchObject({ height: 172, is_admin: true });
    expect((node?.tags as string[]).length).toBe(1);
  });

  it('replaces a many-relationship set on update and clears a one-relationship given null', async () => {
    await c.ok(`mutation {
      a: BuiltinTagCreate(data: {name: {value: "a"}}) { ok }
      b: BuiltinTagCreate(data: {name: {value: "b"}}) { ok }
      c: BuiltinTagCreate(data: {name: {value: "c"}}) { ok }
      j: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      k: TestPersonCreate(data: {name: {value: "Kim"}, best_friend: {hfid: ["John"]}, tags: [{hfid: ["a"]}, {hfid: ["b"]}]}) { ok }
    }`);
    const tagId = (name: string) => c.standin.nodes('BuiltinTag').find((t) => t.name === name)?.id;
    expect(person('Kim')?.tags).toEqual([tagId('a'), tagId('b')]);
    await c.ok(`mutation { TestPersonUpdate(data: {hfid: ["Kim"], tags: [{id: "${tagId('c')}"}, {hfid: ["b"]}]}) { ok } }`);
    expect([...(person('Kim')?.tags as string[])].sort()).toEqual([tagId('b'), tagId('c')].sort());
    expect(person('Kim')?.best_friend).toBe(person('John')?.id);
    await c.ok('mutation { TestPersonUpdate(data: {hfid: ["Kim"], best_friend: null}) { ok } }');
    expect(person('Kim')?.best_friend).toBeNull();
    await c.ok('mutation { TestPersonUpdate(data: {hfid: ["Kim"], tags: []}) { ok } }');
    expect(person('Kim')?.tags).toEqual([]);
  });

  it('runs aliased mutations in order, each on its own: one failure leaves the others applied', async () => {
    const r = await c.gql(`mutation {
      first: TestPersonCreate(data: {name: {value: "John"}}) { ok object { id } }
      dup: TestPersonCreate(data: {name: {value: "John"}}) { ok object { id } }
      third: TestPersonUpdate(data: {hfid: ["John"], height: {value: 5}}) { ok }
    }`);
    expect(r.status).toBe(200);
    expect(r.body.data?.first).toMatchObject({ ok: true });
    expect(r.body.data?.dup).toBeNull();
    expect(r.body.data?.third).toEqual({ ok: true });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]?.path).toEqual(['dup']);
    expect(person('John')?.height).toBe(5);
  });

  it('refuses a uniqueness violation as Infrahub 1.11.9 does (the SDK catalogue file is a later server\'s)', async () => {
    await c.ok('mutation { TestPersonCreate(data: {name: {value: "John"}}) { ok } }');
    for (const mutation of ['TestPersonCreate']) {
      const r = await c.gql(`mutation {\n  ${mutation}(data: {name: {value: "John"}}) { ok } }`);
      expect(r.status).toBe(200);
      // 1.11.9 has no catalogue code for it: UNDEFINED_ERROR with the ValidationError's 422, and
      // graphql-core's own envelope (the mutation's field null), unlike the later catalogue's.
      expect(r.body).toEqual({
        data: { [mutation]: null },
        errors: [
          {
            message: "Violates uniqueness constraint 'name'",
            locations: [{ line: 2, column: 3 }],
            path: [mutation],
            extensions: { code: 'UNDEFINED_ERROR', http_status: 422, data: {} },
          },
        ],
      });
    }
  });

  it('reports node not found like the recorded one', async () => {
    const r = await c.gql('mutation {\n  TestPersonDelete(data: {id: "john"}) { ok } }');
    expectLikeRecorded(r.body.errors?.[0], 'error_node_not_found.json');
  });

  it('reports a mandatory attribute set to null like the recorded one', async () => {
    const r = await c.gql('mutation {\n  TestPersonCreate(data: {name: {value: null}}) { ok } }');
    expectLikeRecorded(r.body.errors?.[0], 'error_attribute_required.json');
  });

  it('rejects a missing mandatory attribute at validation, as Infrahub\'s GraphQL schema does', async () => {
    const r = await c.gql('mutation { TestPersonCreate(data: {height: {value: 1}}) { ok } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(String(r.body.errors?.[0]?.message)).toContain('TestPersonCreateInput.name');
    expect(c.standin.nodes('TestPerson')).toHaveLength(0);
  });

  it('rejects a dropdown value that is not a choice, a regex mismatch and a bad IP', async () => {
    const bad = async (data: string, kind = 'TestPerson') => {
      const r = await c.gql(`mutation { ${kind}Create(data: {${data}}) { ok } }`);
      return r.body.errors?.[0] as { message: string; extensions: { code: string; data: Record<string, unknown> } };
    };
    const dropdown = await bad('name: {value: "A"}, status: {value: "asleep"}');
    expect(dropdown.message).toBe("asleep must be one of 'active, retired'");
    expect(dropdown.extensions).toMatchObject({ code: 'ATTRIBUTE_CONSTRAINT_VIOLATION', data: { node_kind: 'TestPerson', field_name: 'status' } });
    const regex = await bad('name: {value: "B"}, nickname: {value: "lower"}');
    expect(regex.message).toBe("Value for TestPerson.nickname does not conform to the regex '^[A-Z]'");
    const ip = await bad('name: {value: "s"}, address: {value: "10.0.0.300/24"}', 'TestServer');
    // As a real Infrahub 1.11.9 answered (tests/fixtures/infrahub-real/invalid-ip-values.json).
    expect(ip.message).toBe("'10.0.0.300/24' does not appear to be an IPv4 or IPv6 interface");
    expect(ip.extensions.code).toBe('UNDEFINED_ERROR');
    const badNet = await bad('name: {value: "u"}, network: {value: "10.0.0.0/99"}', 'TestServer');
    expect(badNet.message).toBe('10.0.0.0/99 is not a valid IPNetwork at network');
    expect(badNet.extensions).toMatchObject({
      code: 'ATTRIBUTE_INVALID_TYPE',
      data: { node_kind: 'TestServer', field_name: 'network', expected_type: 'IPNetwork', received_type: '10.0.0.0/99' },
    });
    const net = await bad('name: {value: "t"}, network: {value: "10.0.0.1/24"}', 'TestServer');
    expect(net.extensions.code).toBe('ATTRIBUTE_CONSTRAINT_VIOLATION');
    expect(c.standin.nodes('TestPerson')).toHaveLength(0);
  });

  it('refuses a delete while a mandatory relationship points at the node', async () => {
    await c.ok(`mutation {
      p: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      b: TestBadgeCreate(data: {number: {value: 7}, holder: {hfid: ["John"]}}) { ok }
    }`);
    const r = await c.gql('mutation { TestPersonDelete(data: {hfid: ["John"]}) { ok } }');
    expect(String(r.body.errors?.[0]?.message)).toMatch(/^Cannot delete TestPerson '.*'\. It is linked to mandatory relationship holder on node TestBadge/);
    expect(c.standin.nodes('TestPerson')).toHaveLength(1);
  });

  it('cascades the delete to component peers, and their dependants', async () => {
    await c.ok(`mutation {
      p: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      q: TestPersonCreate(data: {name: {value: "Kim"}, best_friend: {hfid: ["John"]}}) { ok }
      d: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}}) { ok }
      e: TestCatCreate(data: {name: {value: "Tom"}, owner: {hfid: ["John"]}}) { ok }
    }`);
    expect(c.standin.nodes('TestAnimal')).toHaveLength(2);
    await c.ok('mutation { TestPersonDelete(data: {hfid: ["John"]}) { ok } }');
    expect(c.standin.nodes('TestAnimal')).toHaveLength(0);
    expect(person('Kim')?.best_friend).toBeNull();
  });

  it('resolves relationships by {id}, {hfid} and {hfid, kind}, and an hfid that crosses a relationship', async () => {
    await c.ok(`mutation {
      p: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      d: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}}) { ok }
      c1: TestCollarCreate(data: {color: {value: "red"}, animal: {hfid: ["Rex"], kind: "TestDog"}}) { ok object { hfid display_label } }
    }`);
    const collar = c.standin.nodes('TestCollar')[0];
    expect(collar?.hfid).toEqual(['Rex', 'red']);
    const up = await c.ok<{ TestCollarUpsert: { object: { id: string } } }>(
      'mutation { TestCollarUpsert(data: {color: {value: "red"}, animal: {hfid: ["Rex"]}}) { ok object { id } } }',
    );
    expect(up.TestCollarUpsert.object.id).toBe(collar?.id);
    const dup = await c.gql('mutation { TestCollarCreate(data: {color: {value: "red"}, animal: {hfid: ["Rex"]}}) { ok } }');
    expect(dup.body.errors?.[0]).toMatchObject({ message: "Violates uniqueness constraint 'animal-color'", extensions: { code: 'UNDEFINED_ERROR', http_status: 422 } });
    const missing = await c.gql('mutation { TestCollarCreate(data: {color: {value: "blue"}, animal: {hfid: ["Nope"]}}) { ok } }');
    expect(missing.body.errors?.[0]).toMatchObject({ message: 'Unable to find the node Nope / TestAnimal in the database.', extensions: { code: 'NODE_NOT_FOUND' } });
  });

  it('moves a child to its new parent when the parent side adds it', async () => {
    await c.ok(`mutation {
      p: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      q: TestPersonCreate(data: {name: {value: "Kim"}}) { ok }
      d: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}}) { ok object { id } }
    }`);
    const rex = c.standin.nodes('TestDog')[0] as { id: string };
    await c.ok(`mutation { TestPersonUpdate(data: {hfid: ["Kim"], pets: [{id: "${rex.id}"}]}) { ok } }`);
    expect(c.standin.nodes('TestDog')[0]?.owner).toBe(person('Kim')?.id);
    expect(person('John')?.pets).toEqual([]);
  });

  it('creates groups with members of any kind', async () => {
    await c.ok(`mutation {
      p: TestPersonCreate(data: {name: {value: "John"}}) { ok }
      t: BuiltinTagCreate(data: {name: {value: "blue"}}) { ok }
      g: CoreStandardGroupCreate(data: {name: {value: "sync"}, members: [{hfid: ["John"], kind: "TestPerson"}, {hfid: ["blue"], kind: "BuiltinTag"}]}) { ok }
    }`);
    const r = await c.gql('query { CoreStandardGroup { edges { node { members { count edges { node { __typename } } } } } } TestPerson { edges { node { member_of_groups { edges { node { display_label } } } } } } }');
    expect(r.body.errors).toBeUndefined();
    const group = (r.body.data?.CoreStandardGroup as { edges: { node: { members: { count: number } } }[] }).edges[0]?.node;
    expect(group?.members.count).toBe(2);
    const john = (r.body.data?.TestPerson as { edges: { node: { member_of_groups: { edges: { node: { display_label: string } }[] } } }[] }).edges[0]?.node;
    expect(john?.member_of_groups.edges[0]?.node.display_label).toBe('sync');
  });

  it('defaults IPAM nodes to the "default" namespace', async () => {
    const standin = c.standin;
    const ns = standin.nodes('IpamNamespace');
    expect(ns.map((n) => n.name)).toEqual(['default']);
  });
});
