// The stand-in computes Infrahub's read-only IPAM relationships: an address's ip_prefix, a
// prefix's parent/children and is_top_level, per IP namespace, on create, update and delete.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient, type Client } from './helpers.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

describe('Infrahub stand-in IPAM', () => {
  let c: Client;
  beforeEach(async () => {
    c = await startClient({ schema: SCHEMAS });
  });
  afterEach(async () => {
    await c.standin.stop();
  });

  const createNs = async (name: string): Promise<string> => {
    const d = await c.ok<{ m: { object: { id: string } } }>(
      'mutation($n: String!) { m: NautobotNamespaceCreate(data: { name: { value: $n } }) { object { id } } }',
      { n: name },
    );
    return d.m.object.id;
  };
  // As a real Infrahub 1.11.9 answers (tests/peers/infrahub/check.ts, probe.schema.IpamNamespace):
  // the namespace the server makes at start says `default: true`, and clients cannot set it.
  it('marks the server-made namespace as the default one, read-only', async () => {
    const r = await c.ok<{ IpamNamespace: { edges: { node: { name: { value: string }; default: { value: boolean | null } } }[] } }>(
      '{ IpamNamespace { edges { node { name { value } default { value } } } } }',
    );
    expect(r.IpamNamespace.edges).toEqual([{ node: { name: { value: 'default' }, default: { value: true } } }]);
    const refused = await c.gql('mutation { IpamNamespaceCreate(data: {name: {value: "x"}, default: {value: true}}) { ok } }');
    expect(String(refused.body.errors?.[0]?.message)).toContain('default');
    const schema = (await (await fetch(`${c.standin.url}/api/schema?branch=main`)).json()) as { nodes: { kind: string; attributes: { name: string; read_only: boolean }[] }[] };
    const ns = schema.nodes.find((n) => n.kind === 'IpamNamespace');
    expect(ns?.attributes.find((a) => a.name === 'default')?.read_only).toBe(true);
  });

  const createPrefix = async (prefix: string, ns?: string): Promise<string> => {
    const d = await c.ok<{ m: { object: { id: string } } }>(
      'mutation($d: InfraPrefixCreateInput!) { m: InfraPrefixCreate(data: $d) { object { id } } }',
      { d: { prefix: { value: prefix }, ...(ns ? { ip_namespace: { id: ns } } : {}) } },
    );
    return d.m.object.id;
  };
  const createAddress = async (address: string, ns?: string): Promise<string> => {
    const d = await c.ok<{ m: { object: { id: string } } }>(
      'mutation($d: InfraIPAddressCreateInput!) { m: InfraIPAddressCreate(data: $d) { object { id } } }',
      { d: { address: { value: address }, ...(ns ? { ip_namespace: { id: ns } } : {}) } },
    );
    return d.m.object.id;
  };
  const node = (kind: string, id: string) => {
    const n = c.standin.nodes(kind).find((x) => x.id === id);
    if (!n) throw new Error(`${kind} ${id} not found`);
    return n;
  };

  it('gives an address the most specific prefix of its own namespace, the default one when none is given', async () => {
    const nsA = await createNs('A');
    const p16 = await createPrefix('10.0.0.0/16', nsA);
    const p24 = await createPrefix('10.0.0.0/24', nsA);
    const pDefault = await createPrefix('10.0.0.0/24');
    const inA = await createAddress('10.0.0.5/24', nsA);
    const inDefault = await createAddress('10.0.0.6/32');
    const outside = await createAddress('192.168.1.1/24', nsA);

    expect(node('InfraIPAddress', inA).ip_prefix).toBe(p24);
    expect(node('InfraIPAddress', inDefault).ip_prefix).toBe(pDefault);
    expect(node('InfraIPAddress', outside).ip_prefix).toBeNull();
    const defaultNs = c.standin.nodes('IpamNamespace').find((n) => n.name === 'default')?.id;
    expect(node('InfraPrefix', pDefault).ip_namespace).toBe(defaultNs);

    expect(node('InfraPrefix', p24).parent).toBe(p16);
    expect(node('InfraPrefix', p16).parent).toBeNull();
    expect(node('InfraPrefix', p16).children).toEqual([p24]);
    expect(node('InfraPrefix', p16).is_top_level).toBe(true);
    expect(node('InfraPrefix', p24).is_top_level).toBe(false);
    expect(node('InfraPrefix', p16).ip_addresses).toEqual([]);

    // Read over GraphQL the way the adapter does.
    const r = await c.ok<{ InfraIPAddress: { edges: { node: { id: string; ip_prefix: { node: { id: string } | null } } }[] } }>(
      '{ InfraIPAddress { edges { node { id ip_prefix { node { id } } } } } }',
    );
    expect(r.InfraIPAddress.edges.find((e) => e.node.id === inA)?.node.ip_prefix?.node?.id).toBe(p24);
  });

  it('moves addresses and child prefixes when prefixes are created, changed and deleted', async () => {
    const nsA = await createNs('A');
    const addr = await createAddress('10.0.0.5/24', nsA);
    expect(node('InfraIPAddress', addr).ip_prefix).toBeNull();

    const p16 = await createPrefix('10.0.0.0/16', nsA);
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p16);

    // A more specific prefix created later takes the address and becomes the /16's child.
    const p28 = await createPrefix('10.0.0.0/28', nsA);
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p28);
    expect(node('InfraPrefix', p28).parent).toBe(p16);

    // One in between slots into the hierarchy.
    const p24 = await createPrefix('10.0.0.0/24', nsA);
    expect(node('InfraPrefix', p28).parent).toBe(p24);
    expect(node('InfraPrefix', p24).parent).toBe(p16);
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p28);

    // Changing the /28 so it no longer holds the address gives it back to the /24.
    await c.ok('mutation($id: String!) { m: InfraPrefixUpdate(data: { id: $id, prefix: { value: "10.0.0.16/28" } }) { ok } }', { id: p28 });
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p24);

    // Deleting the /24 hands its address and child up to the /16.
    await c.ok('mutation($id: String!) { m: InfraPrefixDelete(data: { id: $id }) { ok } }', { id: p24 });
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p16);
    expect(node('InfraPrefix', p28).parent).toBe(p16);
    expect(node('InfraPrefix', p16).children).toEqual([p28]);

    // An address edited to another value is placed again.
    await c.ok('mutation($id: String!) { m: InfraIPAddressUpdate(data: { id: $id, address: { value: "10.0.0.17/28" } }) { ok } }', { id: addr });
    expect(node('InfraIPAddress', addr).ip_prefix).toBe(p28);
  });

  it('keeps prefixes of two namespaces apart: same prefix, different nodes, each with its own addresses', async () => {
    const nsA = await createNs('A');
    const nsB = await createNs('B');
    const pa = await createPrefix('10.0.0.0/24', nsA);
    const pb = await createPrefix('10.0.0.0/24', nsB);
    expect(pa).not.toBe(pb);
    const a = await createAddress('10.0.0.1/24', nsA);
    const b = await createAddress('10.0.0.1/24', nsB);
    expect(node('InfraIPAddress', a).ip_prefix).toBe(pa);
    expect(node('InfraIPAddress', b).ip_prefix).toBe(pb);
  });

  it('upserts a kind without hfid by its default filter, across namespaces, as Infrahub does', async () => {
    const nsA = await createNs('A');
    const nsB = await createNs('B');
    const pa = await createPrefix('10.0.0.0/24', nsA);
    const upsert = (ns: string) =>
      c.gql('mutation($d: InfraPrefixUpsertInput!) { m: InfraPrefixUpsert(data: $d) { ok object { id } } }', {
        d: { prefix: { value: '10.0.0.0/24' }, ip_namespace: { id: ns } },
      });
    // One match: that node is updated, and moved to B (why the adapter creates such kinds instead).
    const r1 = await upsert(nsB);
    expect((r1.body.data?.m as { object: { id: string } }).object.id).toBe(pa);
    expect(node('InfraPrefix', pa).ip_namespace).toBe(nsB);
    await createPrefix('10.0.0.0/24', nsA);
    // Two matches: refused.
    const r2 = await upsert(nsA);
    expect(JSON.stringify(r2.body.errors)).toContain('2 nodes returned, expected 1');
    expect(c.standin.nodes('InfraPrefix')).toHaveLength(2);
  });

  it('refuses the computed fields as mutation input and marks them read-only in the schema', async () => {
    const pfx = await createPrefix('10.9.0.0/24');
    const r = await c.gql(`mutation { m: InfraIPAddressCreate(data: { address: { value: "10.9.0.1/24" }, ip_prefix: { id: "${pfx}" } }) { ok } }`);
    expect(JSON.stringify(r.body.errors)).toMatch(/ip_prefix/);
    const res = await fetch(`${c.standin.url}/api/schema`);
    const body = (await res.json()) as { nodes: { kind: string; relationships: { name: string; read_only: boolean; cardinality: string }[] }[] };
    const prefix = body.nodes.find((n) => n.kind === 'InfraPrefix');
    const rels = Object.fromEntries((prefix?.relationships ?? []).map((x) => [x.name, x]));
    expect(rels.parent).toMatchObject({ read_only: true, cardinality: 'one' });
    expect(rels.children).toMatchObject({ read_only: true, cardinality: 'many' });
    const address = body.nodes.find((n) => n.kind === 'InfraIPAddress');
    expect(address?.relationships.find((x) => x.name === 'ip_prefix')).toMatchObject({ read_only: true });
  });
});
