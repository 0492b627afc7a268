import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN } from '../../standins/infrahub/index.js';
import { fixture, shape, startClient, type Client } from './helpers.js';

/** The location schema the recorded SDK page came from (BuiltinLocation with tags). */
const LOCATION_SCHEMA = {
  version: '1.0',
  nodes: [
    {
      name: 'Location',
      namespace: 'Builtin',
      human_friendly_id: ['name__value'],
      display_labels: ['name__value'],
      attributes: [
        { name: 'name', kind: 'Text', unique: true },
        { name: 'description', kind: 'Text', optional: true },
      ],
      relationships: [{ name: 'tags', peer: 'BuiltinTag', kind: 'Attribute', cardinality: 'many', optional: true }],
    },
  ],
};

/** Query text exactly as the Python SDK renders it (4-space blocks, inlined filter literals). */
const SDK_PAGE_QUERY = `
query {
    BuiltinLocation(offset: 3, limit: 3) {
        count
        edges {
            node {
                id
                hfid
                display_label
                __typename
                name {
                    value
                }
                description {
                    value
                }
                tags {
                    count
                    edges {
                        node {
                            id
                            hfid
                            display_label
                            __typename
                        }
                    }
                }
            }
        }
    }
}
`;

describe('queries', () => {
  let c: Client;
  beforeAll(async () => {
    c = await startClient();
    const res = await fetch(`${c.standin.url}/api/schema/load`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN },
      body: JSON.stringify({ schemas: [LOCATION_SCHEMA] }),
    });
    expect(res.status).toBe(200);
    const creates = Array.from({ length: 30 }, (_, i) => `l${i}: BuiltinLocationCreate(data: {name: {value: "Location ${i + 1}"}}) { ok }`);
    await c.ok(`mutation { ${creates.join('\n')} }`);
    await c.ok(`mutation {
      t1: BuiltinTagCreate(data: {name: {value: "blue"}}) { ok }
      t2: BuiltinTagCreate(data: {name: {value: "red"}, description: {value: "warm"}}) { ok }
      p1: TestPersonCreate(data: {name: {value: "John"}, height: {value: 180}, tags: [{hfid: ["blue"]}, {hfid: ["red"]}]}) { ok }
      p2: TestPersonCreate(data: {name: {value: "Jane"}, height: {value: 170}, status: {value: "retired"}, best_friend: {hfid: ["John"]}}) { ok }
      p3: TestPersonCreate(data: {name: {value: "Bob"}}) { ok }
      d1: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}, breed: {value: "lab"}}) { ok }
      d2: TestCatCreate(data: {name: {value: "Tom"}, owner: {hfid: ["Jane"]}}) { ok }
      s1: TestServerCreate(data: {name: {value: "srv1"}, address: {value: "10.0.0.5/24"}, network: {value: "10.0.0.0/24"}}) { ok }
    }`);
  });
  afterAll(() => c.standin.stop());

  it('answers an SDK-rendered page query in the recorded page shape', async () => {
    const recorded = fixture<{ data: Record<string, unknown> }>('mock_query_location_page1.json');
    const r = await c.gql(SDK_PAGE_QUERY);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(shape(r.body)).toEqual(shape(recorded));
    const page = r.body.data?.BuiltinLocation as { count: number; edges: { node: { hfid: string[]; display_label: string; __typename: string } }[] };
    expect(page.count).toBe(30);
    expect(page.edges.map((e) => e.node.hfid[0])).toEqual(['Location 4', 'Location 5', 'Location 6']);
    expect(page.edges[0]?.node.display_label).toBe('Location 4');
    expect(page.edges[0]?.node.__typename).toBe('BuiltinLocation');
  });

  it('pages with offset/limit variables cover every node exactly once', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 30; offset += 7) {
      const r = await c.gql('query Q($offset: Int, $limit: Int) { BuiltinLocation(offset: $offset, limit: $limit) { count edges { node { id } } } }', { offset, limit: 7 });
      const page = r.body.data?.BuiltinLocation as { edges: { node: { id: string } }[] };
      seen.push(...page.edges.map((e) => e.node.id));
    }
    expect(new Set(seen).size).toBe(30);
    expect(seen.length).toBe(30);
  });

  it('filters by attribute value, values, ids, hfid, relationship ids and peer attributes', async () => {
    const q = async (args: string): Promise<string[]> => {
      const r = await c.gql(`query { TestPerson(${args}) { count edges { node { name { value } } } } }`);
      expect(r.body.errors).toBeUndefined();
      const page = r.body.data?.TestPerson as { count: number; edges: { node: { name: { value: string } } }[] };
      expect(page.count).toBe(page.edges.length);
      return page.edges.map((e) => e.node.name.value).sort();
    };
    expect(await q('name__value: "John"')).toEqual(['John']);
    expect(await q('name__values: ["John", "Bob"]')).toEqual(['Bob', 'John']);
    expect(await q('hfid: ["Jane"]')).toEqual(['Jane']);
    expect(await q('height__value: 170')).toEqual(['Jane']);
    expect(await q('status__value: "active"')).toEqual(['Bob', 'John']);
    expect(await q('height__isnull: true')).toEqual(['Bob']);
    expect(await q('tags__name__value: "red"')).toEqual(['John']);
    expect(await q('best_friend__name__value: "John"')).toEqual(['Jane']);
    expect(await q('name__value: "jo", partial_match: true')).toEqual(['John']);
    expect(await q('any__value: "Bob"')).toEqual(['Bob']);
    const john = c.standin.nodes('TestPerson').find((n) => n.name === 'John') as { id: string };
    expect(await q(`ids: ["${john.id}"]`)).toEqual(['John']);
    const blue = c.standin.nodes('BuiltinTag').find((n) => n.name === 'blue') as { id: string };
    expect(await q(`tags__ids: ["${blue.id}"]`)).toEqual(['John']);
  });

  it('returns attribute objects with Infrahub type names, dropdown labels and IP details', async () => {
    const r = await c.gql(`query {
      TestPerson(name__value: "Jane") { edges { node {
        status { value label color __typename is_default }
        height { value __typename }
        is_admin { value __typename is_default }
        best_friend { node { id hfid display_label __typename } }
        pets { count edges { node { __typename display_label } } }
      } } }
      TestServer { edges { node { address { value ip prefixlen netmask version __typename } network { value num_addresses broadcast_address __typename } } } }
    }`);
    expect(r.body.errors).toBeUndefined();
    const jane = (r.body.data?.TestPerson as { edges: { node: Record<string, Record<string, unknown>> }[] }).edges[0]?.node;
    expect(jane?.status).toEqual({ value: 'retired', label: 'Retired', color: null, __typename: 'Dropdown', is_default: false });
    expect(jane?.height).toEqual({ value: 170, __typename: 'NumberAttribute' });
    expect(jane?.is_admin).toEqual({ value: false, __typename: 'CheckboxAttribute', is_default: true });
    expect((jane?.best_friend as { node: { hfid: string[]; __typename: string } }).node).toMatchObject({ hfid: ['John'], __typename: 'TestPerson' });
    expect(jane?.pets).toEqual({ count: 1, edges: [{ node: { __typename: 'TestCat', display_label: 'Tom' } }] });
    const srv = (r.body.data?.TestServer as { edges: { node: Record<string, unknown> }[] }).edges[0]?.node;
    expect(srv?.address).toEqual({ value: '10.0.0.5/24', ip: '10.0.0.5', prefixlen: 24, netmask: '255.255.255.0', version: 4, __typename: 'IPHost' });
    expect(srv?.network).toEqual({ value: '10.0.0.0/24', num_addresses: 256, broadcast_address: '10.0.0.255', __typename: 'IPNetwork' });
  });

  it('a generic kind returns the nodes of every implementing kind, with their own __typename', async () => {
    const r = await c.gql('query { TestAnimal { count edges { node { __typename hfid name { value } owner { node { hfid } } ... on TestDog { breed { value } } } } } }');
    expect(r.body.errors).toBeUndefined();
    const page = r.body.data?.TestAnimal as { count: number; edges: { node: Record<string, unknown> }[] };
    expect(page.count).toBe(2);
    const dog = page.edges.find((e) => e.node.__typename === 'TestDog')?.node;
    expect(dog).toMatchObject({ hfid: ['Rex'], owner: { node: { hfid: ['John'] } }, breed: { value: 'lab' } });
    expect(page.edges.some((e) => e.node.__typename === 'TestCat')).toBe(true);
  });

  it('sees a relationship from both ends', async () => {
    const r = await c.gql('query { TestPerson(name__value: "John") { edges { node { pets { edges { node { hfid } } } } } } }');
    const edges = (r.body.data?.TestPerson as { edges: { node: { pets: { edges: { node: { hfid: string[] } }[] } } }[] }).edges;
    expect(edges[0]?.node.pets.edges.map((e) => e.node.hfid[0])).toEqual(['Rex']);
  });

  it('reports an unknown field the way Infrahub does (HTTP 200, errors, data null)', async () => {
    const r = await c.gql('query { nope }');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]).toMatchObject({ message: "Cannot query field \"nope\" on type \"Query\".", extensions: { code: 'UNDEFINED_ERROR', http_status: 500 } });
  });

  it('answers 400 to a body that is not JSON or has no query', async () => {
    const bad = await fetch(`${c.standin.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    const empty = await fetch(`${c.standin.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
  });

  it('allows anonymous reads and rejects a wrong key', async () => {
    expect((await c.gql('query { TestPerson { count } }', undefined, { key: null })).status).toBe(200);
    expect((await c.gql('query { TestPerson { count } }', undefined, { key: 'wrong' })).status).toBe(401);
  });
});
