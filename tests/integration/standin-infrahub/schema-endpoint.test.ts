import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfrahubStandin, DEFAULT_TOKEN } from '../../standins/infrahub/index.js';
import { SchemaRegistry } from '../../standins/infrahub/schema-registry.js';
import { FIXTURES, SCHEMAS, startClient, TEST_SCHEMA, type Client } from './helpers.js';

interface SchemaDoc {
  main: string;
  nodes: Record<string, unknown>[];
  generics: Record<string, unknown>[];
}

const recorded = (await import('node:fs')).readFileSync(`${FIXTURES}sdk.schema_ipam.json`, 'utf8');
const recordedNode = (JSON.parse(recorded) as { nodes: Record<string, unknown>[] }).nodes[0] as Record<string, unknown>;

describe('schema REST API', () => {
  let c: Client;
  beforeAll(async () => {
    c = await startClient();
  });
  afterAll(() => c.standin.stop());

  it('GET /api/schema carries the fields of the recorded schema JSON', async () => {
    const res = await fetch(`${c.standin.url}/api/schema`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as SchemaDoc;
    expect(typeof doc.main).toBe('string');
    const person = doc.nodes.find((n) => n.kind === 'TestPerson') as Record<string, unknown>;
    for (const key of Object.keys(recordedNode)) expect(person, `node key ${key}`).toHaveProperty(key);
    const recAttr = (recordedNode.attributes as Record<string, unknown>[])[0] as Record<string, unknown>;
    const attr = (person.attributes as Record<string, unknown>[]).find((a) => a.name === 'status') as Record<string, unknown>;
    for (const key of Object.keys(recAttr)) expect(attr, `attribute key ${key}`).toHaveProperty(key);
    expect(attr.kind).toBe('Dropdown');
    expect(attr.default_value).toBe('active');
    const recRel = (recordedNode.relationships as Record<string, unknown>[])[0] as Record<string, unknown>;
    const rel = (person.relationships as Record<string, unknown>[]).find((r) => r.name === 'pets') as Record<string, unknown>;
    for (const key of Object.keys(recRel)) expect(rel, `relationship key ${key}`).toHaveProperty(key);
    expect(rel).toMatchObject({ peer: 'TestAnimal', cardinality: 'many', kind: 'Component', identifier: 'person__pet' });
    expect(person.human_friendly_id).toEqual(['name__value']);

    const dog = doc.nodes.find((n) => n.kind === 'TestDog') as Record<string, unknown>;
    expect(dog.inherit_from).toEqual(['TestAnimal']);
    const inherited = (dog.attributes as Record<string, unknown>[]).find((a) => a.name === 'name');
    expect(inherited).toMatchObject({ inherited: true, unique: true });
    const animal = doc.generics.find((g) => g.kind === 'TestAnimal') as Record<string, unknown>;
    expect(animal.used_by).toEqual(['TestDog', 'TestCat']);
    for (const builtin of ['BuiltinTag', 'CoreStandardGroup', 'CoreAccount', 'IpamNamespace']) {
      expect(doc.nodes.some((n) => n.kind === builtin), builtin).toBe(true);
    }
    for (const builtin of ['BuiltinIPAddress', 'BuiltinIPPrefix', 'BuiltinIPNamespace', 'CoreGroup']) {
      expect(doc.generics.some((n) => n.kind === builtin), builtin).toBe(true);
    }
  });

  it('summary hashes match the full schema and the per-kind endpoint', async () => {
    const full = (await (await fetch(`${c.standin.url}/api/schema`)).json()) as SchemaDoc;
    const summary = (await (await fetch(`${c.standin.url}/api/schema/summary`)).json()) as { main: string; nodes: Record<string, string> };
    expect(summary.main).toBe(full.main);
    expect(summary.nodes.TestPerson).toBe(full.nodes.find((n) => n.kind === 'TestPerson')?.hash);
    const one = (await (await fetch(`${c.standin.url}/api/schema/TestPerson`)).json()) as Record<string, unknown>;
    expect(one.kind).toBe('TestPerson');
    expect((await fetch(`${c.standin.url}/api/schema/NoSuchKind`)).status).toBe(422);
  });

  it('answers 404 for an unknown branch', async () => {
    expect((await fetch(`${c.standin.url}/api/schema?branch=nope`)).status).toBe(404);
    const r = await c.gql('query { TestPerson { count } }', undefined, { branch: 'nope' });
    expect(r.status).toBe(404);
  });

  it('loads more schema at runtime (authenticated only) and serves its kinds', async () => {
    const body = JSON.stringify({
      schemas: [{ version: '1.0', nodes: [{ name: 'Widget', namespace: 'Test', human_friendly_id: ['name__value'], attributes: [{ name: 'name', kind: 'Text', unique: true }] }] }],
    });
    const anon = await fetch(`${c.standin.url}/api/schema/load`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(anon.status).toBe(401);
    const res = await fetch(`${c.standin.url}/api/schema/load`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN } });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { hash: string; previous_hash: string; schema_updated: boolean };
    expect(out.schema_updated).toBe(true);
    expect(out.hash).not.toBe(out.previous_hash);
    const data = await c.ok<{ TestWidgetCreate: { object: { hfid: string[] } } }>('mutation { TestWidgetCreate(data: {name: {value: "w1"}}) { ok object { hfid } } }');
    expect(data.TestWidgetCreate.object.hfid).toEqual(['w1']);
    const bad = await fetch(`${c.standin.url}/api/schema/load`, {
      method: 'POST',
      body: JSON.stringify({ schemas: [{ version: '1.0', nodes: [{ name: 'Broken', namespace: 'Test', relationships: [{ name: 'x', peer: 'NoSuchKind' }] }] }] }),
      headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN },
    });
    expect(bad.status).toBe(422);
  });

  it('refuses an optional relationship in a uniqueness constraint or an hfid, as a real Infrahub 1.11.9 did', async () => {
    const real = JSON.parse(
      (await import('node:fs')).readFileSync(fileURLToPath(new URL('../../fixtures/infrahub-real/schema-load-optional-relationship.json', import.meta.url)), 'utf8'),
    ) as { cases: { status: number; body: unknown }[] };
    const rel = { name: 'maker', peer: 'TestPerson', optional: true, cardinality: 'one' };
    const attr = { name: 'name', kind: 'Text' };
    const load = (node: Record<string, unknown>): Promise<Response> =>
      fetch(`${c.standin.url}/api/schema/load`, {
        method: 'POST',
        body: JSON.stringify({ schemas: [{ version: '1.0', nodes: [{ namespace: 'Test', attributes: [attr], relationships: [rel], ...node }] }] }),
        headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN },
      });
    const byConstraint = await load({ name: 'Gadget', uniqueness_constraints: [['maker', 'name__value']] });
    expect(byConstraint.status).toBe(real.cases[0]?.status);
    expect(await byConstraint.json()).toEqual({
      data: null,
      errors: [{ message: 'TestGadget.uniqueness_constraints: cannot use maker relationship, relationship must be mandatory. (`maker`)', extensions: { code: 422 } }],
    });
    const byHfid = await load({ name: 'Gizmo', human_friendly_id: ['name__value', 'maker__name__value'] });
    expect(byHfid.status).toBe(422);
    expect(((await byHfid.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe(
      'TestGizmo.uniqueness_constraints: cannot use maker relationship, relationship must be mandatory. (`maker`)',
    );
    const mandatory = await load({ name: 'Gadget', relationships: [{ ...rel, optional: false }], uniqueness_constraints: [['maker', 'name__value']] });
    expect(mandatory.status).toBe(200);
  });

  it('serves /api/info and /api/config', async () => {
    const info = (await (await fetch(`${c.standin.url}/api/info`)).json()) as { version: string };
    expect(info.version).toMatch(/^1\./);
    const config = (await (await fetch(`${c.standin.url}/api/config`)).json()) as { main: { allow_anonymous_access: boolean } };
    expect(config.main.allow_anonymous_access).toBe(true);
  });
});

describe('reference schemas', () => {
  const R = SCHEMAS;
  const sets: [string, string[]][] = [
    ['schema-library base', [`${R}schema-library/base`]],
    ['schema-library base + extensions', [`${R}schema-library/base`, `${R}schema-library/extensions`]],
    ['infrahub base', [`${R}infrahub/base`]],
    ['infrahub base + peering-manager extension', [`${R}infrahub/base`, `${R}infrahub/examples/extension_peering_manager.yml`]],
    ['netbox example', [`${R}infrahub/examples/netbox`]],
    ['nautobot v1 example', [`${R}infrahub/examples/nautobot/nautobot-v1.yml`]],
    ['nautobot v2 example', [`${R}infrahub/examples/nautobot/nautobot-v2.yml`]],
    ['ipfabric example', [`${R}infrahub/examples/ipfabric`]],
    ['the project\'s configs/schemas', [fileURLToPath(new URL('../../../configs/schemas', import.meta.url))]],
  ];
  for (const [name, paths] of sets) {
    it(`loads ${name} and answers a query on every node kind`, async () => {
      const standin = await startInfrahubStandin({ schema: paths });
      try {
        const registry = SchemaRegistry.fromPaths(paths);
        const kinds = registry.nodeKinds().map((k) => k.kind);
        expect(kinds.length).toBeGreaterThan(5);
        const query = `query { ${kinds.map((k) => `${k} { count }`).join(' ')} }`;
        const res = await fetch(`${standin.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const body = (await res.json()) as { data: Record<string, { count: number }>; errors?: unknown };
        expect(body.errors).toBeUndefined();
        expect(Object.keys(body.data).sort()).toEqual([...kinds].sort());
      } finally {
        await standin.stop();
      }
    });
  }

  it('extensions add relationships to existing kinds', () => {
    const registry = SchemaRegistry.fromPaths([`${R}schema-library/base`, `${R}schema-library/extensions/vlan`]);
    const prefix = registry.get('IpamPrefix');
    expect(prefix?.relationshipByName.get('vlan')?.peer).toBe('IpamVLAN');
  });

  it('names the missing peer when a schema set is incomplete', () => {
    expect(() => SchemaRegistry.fromPaths([`${FIXTURES}sdk.schema_ipam.json`])).toThrow(/peer InfraInterfaceL3 is not a known kind/);
  });

  it('rejects a schema file that does not parse', () => {
    expect(() => SchemaRegistry.fromPaths([`${FIXTURES}sdk.models.non_valid_json_01.json`])).toThrow(/cannot be parsed/);
    expect(TEST_SCHEMA).toContain('standin-test-schema');
  });
});
