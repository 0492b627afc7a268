import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryFastQuery } from '../../standins/infrahub/fast-query.js';
import { runGraphql } from '../../standins/infrahub/graphql-endpoint.js';
import { SchemaRegistry } from '../../standins/infrahub/schema-registry.js';
import { StandinState } from '../../standins/infrahub/standin-state.js';
import { TEST_SCHEMA } from './helpers.js';

const QUERIES: [string, string, Record<string, unknown>?][] = [
  ['adapter page', 'query L($offset: Int, $limit: Int) { TestPerson(offset: $offset, limit: $limit) { count edges { node { id hfid display_label __typename name { value } } } } }', { offset: 1, limit: 2 }],
  [
    'every attribute field and relationship shape',
    `query { TestPerson { count edges { node { id hfid display_label _updated_at __typename
      name { id value is_default is_inherited is_protected is_visible is_from_profile updated_at __typename source { id } owner { id } }
      status { value label color description __typename } height { value } is_admin { value is_default }
      best_friend { node { id hfid display_label __typename name { value } } _updated_at }
      tags(limit: 1) { count edges { node { id hfid name { value } } } }
      pets { count edges { node { __typename hfid display_label name { value } } } } } } } }`,
  ],
  ['aliases and filters', 'query { a: TestPerson(name__values: ["John", "Kim"]) { total: count edges { n: node { key: id nm: name { v: value } } } } b: BuiltinTag(name__value: "blue") { count } }'],
  ['generic kind', 'query { TestAnimal(offset: 0, limit: 10) { count edges { node { __typename id hfid name { value } owner { node { hfid } } } } } }'],
  ['ip attributes', 'query { TestServer { edges { node { address { value ip prefixlen netmask hostmask version with_netmask with_hostmask } network { value broadcast_address num_addresses prefixlen } } } } }'],
  [
    'lineage of attributes (an account as source, a group as owner, one attribute never given any)',
    'query { TestPerson(name__value: "Bob") { edges { node { name { value is_protected source { id display_label __typename } owner { id hfid __typename } } height { is_protected source { id } } } } } }',
  ],
  ['nested filters', 'query { TestPerson(tags__name__value: "red") { edges { node { name { value } tags(name__value: "red") { count edges { node { name { value } } } } } } } }'],
];

describe('fast list executor', () => {
  let state: StandinState;
  beforeAll(() => {
    state = new StandinState(SchemaRegistry.fromPaths(TEST_SCHEMA));
    const run = (query: string) => runGraphql(state, state.main, { query }, true, '1.1.0');
    const r = run(`mutation {
      t1: BuiltinTagCreate(data: {name: {value: "blue"}}) { ok }
      t2: BuiltinTagCreate(data: {name: {value: "red"}}) { ok }
      p1: TestPersonCreate(data: {name: {value: "John"}, height: {value: 180}, tags: [{hfid: ["blue"]}, {hfid: ["red"]}]}) { ok }
      p2: TestPersonCreate(data: {name: {value: "Kim"}, status: {value: "retired"}, best_friend: {hfid: ["John"]}}) { ok }
      p3: TestPersonCreate(data: {name: {value: "Bob"}}) { ok }
      d1: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}}) { ok }
      c1: TestCatCreate(data: {name: {value: "Tom"}, owner: {hfid: ["Kim"]}}) { ok }
      s1: TestServerCreate(data: {name: {value: "s1"}, address: {value: "192.168.1.10/24"}, network: {value: "192.168.1.0/24"}}) { ok }
      s2: TestServerCreate(data: {name: {value: "s2"}, address: {value: "2001:db8::1/64"}}) { ok }
    }`);
    expect((r.body as { errors?: unknown }).errors).toBeUndefined();
    const acct = run('mutation { a: CoreAccountCreate(data: {name: {value: "nautobot"}, password: {value: "x"}}) { object { id } } g: CoreAccountGroupCreate(data: {name: {value: "ops"}}) { object { id } } }');
    const ids = (acct.body as { data: { a: { object: { id: string } }; g: { object: { id: string } } } }).data;
    const lin = run(`mutation { TestPersonUpdate(data: {hfid: ["Bob"], name: {value: "Bob", source: "${ids.a.object.id}", owner: "${ids.g.object.id}", is_protected: true}}) { ok } }`);
    expect((lin.body as { errors?: unknown }).errors).toBeUndefined();
  });

  for (const [name, query, variables] of QUERIES) {
    it(`answers "${name}" itself, exactly as graphql-js does`, () => {
      const op = parse(query).definitions[0] as OperationDefinitionNode;
      expect(tryFastQuery(state.graphqlSchema, state.registry, state.main, op, variables)).not.toBeNull();
      const fast = runGraphql(state, state.main, { query, variables }, false, '1.1.0', true);
      const slow = runGraphql(state, state.main, { query, variables }, false, '1.1.0', false);
      expect((slow.body as { errors?: unknown }).errors).toBeUndefined();
      expect(JSON.stringify(fast.body)).toBe(JSON.stringify(slow.body));
    });
  }

  it('answers the lineage it was given', () => {
    const r = runGraphql(state, state.main, { query: 'query { TestPerson(name__value: "Bob") { edges { node { name { is_protected source { display_label __typename } owner { hfid __typename } } height { is_protected source { id } } } } } }' }, false, '1.1.0', true);
    expect((r.body as { data: unknown }).data).toEqual({
      TestPerson: { edges: [{ node: { name: { is_protected: true, source: { display_label: 'Nautobot', __typename: 'CoreAccount' }, owner: { hfid: ['ops'], __typename: 'CoreAccountGroup' } }, height: { is_protected: false, source: null } } }] },
    });
  });

  it('leaves fragments and directives to graphql-js', () => {
    for (const query of [
      'query { TestAnimal { edges { node { ... on TestDog { breed { value } } } } } }',
      'query { TestPerson { count @include(if: true) } }',
      'query { TestPerson { ...F } } fragment F on PaginatedTestPerson { count }',
    ]) {
      const op = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
      expect(tryFastQuery(state.graphqlSchema, state.registry, state.main, op, undefined)).toBeNull();
      const r = runGraphql(state, state.main, { query }, false, '1.1.0');
      expect((r.body as { errors?: unknown }).errors).toBeUndefined();
    }
  });
});
