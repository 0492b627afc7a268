import { describe, expect, it } from 'vitest';
import { modelReferences, resolveOrder, selfReferenceFields } from '../../../shared/diff/order.js';
import { ConfigError } from '../../../shared/errors.js';
import { config, entry } from './factories.js';

// A small Nautobot-like graph: Location references itself and LocationType; Device references
// Location and Platform; Interface references Device.
const mapping = [
  entry('InfraInterface', { device: 'InfraDevice' }),
  entry('InfraDevice', { location: 'LocationGeneric', platform: 'InfraPlatform', tag: 'BuiltinTag' }),
  entry('LocationGeneric', { parent: 'LocationGeneric', location_type: 'LocationType' }),
  entry('InfraPlatform'),
  entry('LocationType'),
];

describe('resolveOrder without order', () => {
  it('derives topological tiers from references, ignoring self and unmapped references', () => {
    expect(resolveOrder(config({ schema_mapping: mapping }))).toEqual([
      ['InfraPlatform', 'LocationType'],
      ['LocationGeneric'],
      ['InfraDevice'],
      ['InfraInterface'],
    ]);
  });

  it('merges the references of several entries with the same name', () => {
    const refs = modelReferences(
      config({ schema_mapping: [entry('A', { x: 'B' }), entry('A', { y: 'C' }), entry('B'), entry('C')] }),
    );
    expect([...(refs.get('A') ?? [])].sort()).toEqual(['B', 'C']);
    expect(resolveOrder(config({ schema_mapping: [entry('A', { x: 'B' }), entry('A', { y: 'C' }), entry('B'), entry('C', { z: 'B' })] }))).toEqual([
      ['B'],
      ['C'],
      ['A'],
    ]);
  });

  it('rejects a reference cycle with a ConfigError naming the models in it', () => {
    const cyclic = config({
      schema_mapping: [entry('Root'), entry('A', { b: 'B', r: 'Root' }), entry('B', { c: 'C' }), entry('C', { a: 'A' }), entry('D', { a: 'A' })],
    });
    let error: unknown;
    try {
      resolveOrder(cyclic);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/reference cycle/);
    expect(message).toMatch(/A -> B -> C -> A/);
    // D only depends on the cycle; it is not part of it.
    expect(message).not.toContain('D');
    expect((error as ConfigError).problems.sort()).toEqual(['A', 'B', 'C']);
  });

  it('does not treat a self-reference as a cycle and reports its fields', () => {
    const c = config({ schema_mapping: mapping });
    expect(selfReferenceFields(c, 'LocationGeneric')).toEqual(['parent']);
    expect(selfReferenceFields(c, 'InfraDevice')).toEqual([]);
  });
});

describe('resolveOrder with order', () => {
  it('keeps the given order, sharing a tier only between consecutive unrelated models', () => {
    const c = config({
      schema_mapping: mapping,
      order: ['InfraPlatform', 'LocationType', 'LocationGeneric', 'InfraDevice', 'InfraInterface'],
    });
    expect(resolveOrder(c)).toEqual([
      ['InfraPlatform', 'LocationType'],
      ['LocationGeneric'],
      ['InfraDevice'],
      ['InfraInterface'],
    ]);
  });

  it('splits tiers in both directions of a reference', () => {
    const c = config({ schema_mapping: [entry('A', { b: 'B' }), entry('B'), entry('C')], order: ['A', 'B', 'C'] });
    const warnings: string[] = [];
    expect(resolveOrder(c, (w) => warnings.push(w))).toEqual([['A'], ['B', 'C']]);
    expect(warnings.join('\n')).toMatch(/A references B, which comes later in order/);
  });

  it('leaves out mapped models missing from order, with a warning', () => {
    const warnings: string[] = [];
    const c = config({ schema_mapping: mapping, order: ['InfraPlatform', 'InfraDevice'] });
    expect(resolveOrder(c, (w) => warnings.push(w))).toEqual([['InfraPlatform'], ['InfraDevice']]);
    expect(warnings).toContain(
      'mapped model(s) not in order are not synced (as in infrahub-sync): InfraInterface, LocationGeneric, LocationType',
    );
  });

  it('rejects an order naming an unmapped model', () => {
    expect(() => resolveOrder(config({ schema_mapping: mapping, order: ['InfraPlatform', 'Nope'] }))).toThrow(
      /no schema_mapping entry: Nope/,
    );
  });

  it('syncs a model listed twice once', () => {
    const warnings: string[] = [];
    const c = config({ schema_mapping: [entry('A'), entry('B', { a: 'A' })], order: ['A', 'B', 'A'] });
    expect(resolveOrder(c, (w) => warnings.push(w))).toEqual([['A'], ['B']]);
    expect(warnings[0]).toMatch(/A more than once/);
  });
});
