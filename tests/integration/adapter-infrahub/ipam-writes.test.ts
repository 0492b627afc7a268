// Writing IPAM kinds the way real Infrahub needs: read-only fields (an address's ip_prefix) are
// compared but never sent, and prefixes/addresses that share a value across namespaces are created,
// not upserted (an Upsert without hfid matches by the default filter value alone).
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelWriteSpec } from '../../../shared/adapters/types.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { ResultsContext, TOKEN, create, failed, makeAdapter, update } from './helpers.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

const MODELS: Record<string, ModelWriteSpec> = {
  NautobotNamespace: { model: 'NautobotNamespace', identifiers: ['name'], references: {} },
  InfraPrefix: { model: 'InfraPrefix', identifiers: ['prefix', 'ip_namespace'], references: { ip_namespace: 'NautobotNamespace' } },
  InfraIPAddress: {
    model: 'InfraIPAddress',
    identifiers: ['address', 'ip_prefix'],
    references: { ip_prefix: 'InfraPrefix', ip_namespace: 'NautobotNamespace' },
  },
};

class Ctx extends ResultsContext {
  constructor() {
    super(MODELS);
  }
}

let standin: InfrahubStandin;
beforeEach(async () => {
  standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
});
afterEach(async () => {
  await standin.stop();
});

describe('Infrahub adapter writing IPAM kinds', () => {
  it('keeps same-value prefixes of two namespaces apart and never sends ip_prefix', async () => {
    const adapter = makeAdapter(standin.url);
    const ctx = new Ctx();
    const ns = await adapter.apply(
      [create('NautobotNamespace', 'Global', { name: 'Global' }), create('NautobotNamespace', 'Customer-A', { name: 'Customer-A' })],
      ctx,
    );
    expect(failed(ns)).toEqual([]);
    ctx.remember(ns);
    const prefixes = await adapter.apply(
      [
        create('InfraPrefix', '10.0.0.0/24__Global', { prefix: '10.0.0.0/24', ip_namespace: 'Global' }, { description: 'g' }),
        create('InfraPrefix', '10.0.0.0/24__Customer-A', { prefix: '10.0.0.0/24', ip_namespace: 'Customer-A' }, { description: 'a' }),
      ],
      ctx,
    );
    expect(failed(prefixes)).toEqual([]);
    ctx.remember(prefixes);
    expect(standin.nodes('InfraPrefix')).toHaveLength(2);

    // ip_prefix is an identifier and read-only: it goes into the comparison, not the mutation.
    standin.resetCounters();
    const addrs = await adapter.apply(
      [
        create(
          'InfraIPAddress',
          '10.0.0.1/24__10.0.0.0/24__Customer-A',
          { address: '10.0.0.1/24', ip_prefix: '10.0.0.0/24__Customer-A' },
          { ip_namespace: 'Customer-A', description: 'host' },
        ),
      ],
      ctx,
    );
    expect(failed(addrs)).toEqual([]);
    const [addr] = standin.nodes('InfraIPAddress');
    const customerPrefix = standin.nodes('InfraPrefix').find((p) => p.description === 'a');
    expect(addr?.ip_prefix).toBe(customerPrefix?.id);

    // Reading it back gives the peer for the comparison.
    const rows = await adapter.load({
      side: 'destination',
      model: 'InfraIPAddress',
      path: 'InfraIPAddress',
      fields: [{ name: 'address', path: 'address' }, { name: 'ip_prefix', path: 'ip_prefix', reference: 'InfraPrefix' }],
    });
    expect(rows).toEqual([expect.objectContaining({ address: '10.0.0.1/24', ip_prefix: { id: customerPrefix?.id } })]);

    // An update in which only the read-only field differs changes nothing and fails nothing.
    const upd = await adapter.apply(
      [update('InfraIPAddress', '10.0.0.1/24__10.0.0.0/24__Customer-A', {}, { ip_prefix: '10.0.0.0/24__Global' }, String(addr?.id))],
      ctx,
    );
    expect(failed(upd)).toEqual([]);
    expect(standin.nodes('InfraIPAddress')[0]?.ip_prefix).toBe(customerPrefix?.id);
  });

  it('names the unique attributes of a kind as its default identifiers once open', async () => {
    const adapter = makeAdapter(standin.url);
    await adapter.open();
    expect(adapter.defaultIdentifiers('LocationGeneric')).toEqual(['name']);
    expect(adapter.defaultIdentifiers('InfraAutonomousSystem')).toEqual(['name', 'asn']);
    expect(adapter.defaultIdentifiers('InfraPrefix')).toBeUndefined();
  });
});
