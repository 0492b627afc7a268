// A plain value mapped into a destination relationship names a peer as infrahub-sync reads it (the
// key of the synced model that can be the peer; else the peer kind's naming attribute), and the
// stages follow the references that implies; identifiers the destination cannot give back refuse.
import { describe, expect, it } from 'vitest';
import type { FieldConfig, SchemaMappingEntry } from '../../../shared/config/types.js';
import { resolveOrder } from '../../../shared/diff/order.js';
import type { FieldFacts, ModelFacts } from '../../../shared/diff/types.js';
import { applyDestinationFacts } from '../../../shared/mapping/implied-references.js';
import { roundTripProblems } from '../../../shared/mapping/round-trip.js';
import { config } from '../diff/factories.js';

const f = (name: string, mapping = name, reference?: string): FieldConfig =>
  reference ? { name, mapping, hasStatic: false, reference } : { name, mapping, hasStatic: false };
const entry = (name: string, fields: FieldConfig[], identifiers = ['name']): SchemaMappingEntry => ({
  name,
  mapping: `src.${name}`,
  identifiers,
  filters: [],
  transforms: [],
  fields,
});
const attr: FieldFacts = { kind: 'attribute', readOnly: false };
const rel = (peer: string, peerKinds: string[], extra: Partial<Extract<FieldFacts, { kind: 'relationship' }>> = {}): FieldFacts => ({
  kind: 'relationship',
  peer,
  peerKinds,
  cardinality: 'one',
  readOnly: false,
  ...extra,
});
const facts = (kinds: string[], fields: Record<string, FieldFacts>): ModelFacts => ({ kinds, fields, identities: [] });

describe('applyDestinationFacts', () => {
  it('gives a plain value written into a relationship the synced peer model as its reference; stages follow it', () => {
    // The NetBox example: circuit types and circuits share no `reference`, and order puts them side by side.
    const cfg = config({
      order: ['ChoiceCircuitType', 'InfraCircuit'],
      schema_mapping: [entry('ChoiceCircuitType', [f('name')]), entry('InfraCircuit', [f('circuit_id'), f('type', 'type.name')], ['circuit_id'])],
    });
    expect(resolveOrder(cfg)).toEqual([['ChoiceCircuitType', 'InfraCircuit']]);
    const out = applyDestinationFacts(cfg, {
      ChoiceCircuitType: facts(['ChoiceCircuitType'], { name: attr }),
      InfraCircuit: facts(['InfraCircuit'], { circuit_id: attr, type: rel('ChoiceCircuitType', ['ChoiceCircuitType'], { peerAttribute: 'name', peerHfid: true }) }),
    });
    expect(out.implied).toEqual([{ model: 'InfraCircuit', field: 'type', reference: 'ChoiceCircuitType', peer: 'ChoiceCircuitType' }]);
    expect(out.config.schema_mapping[1]?.fields[1]).toEqual({ name: 'type', mapping: 'type.name', hasStatic: false, reference: 'ChoiceCircuitType' });
    expect(resolveOrder(out.config)).toEqual([['ChoiceCircuitType'], ['InfraCircuit']]);
    // The config itself is left alone.
    expect(cfg.schema_mapping[1]?.fields[1]?.reference).toBeUndefined();
  });

  it('counts a generic through the kinds that use it, both ways', () => {
    const cfg = config({
      schema_mapping: [
        entry('LocationSite', [f('name')]),
        entry('InfraDevice', [f('name'), f('site', 'site.slug')]),
        entry('InfraInterface', [f('name'), f('device', 'device.name')]),
      ],
    });
    const out = applyDestinationFacts(cfg, {
      LocationSite: facts(['LocationSite'], { name: attr }),
      // The device's relationship points at the generic; the synced model is one of its kinds.
      InfraDevice: facts(['InfraDevice'], { name: attr, site: rel('LocationGeneric', ['LocationSite', 'LocationRegion']) }),
      // The synced model is the generic; the relationship points at one of its kinds.
      InfraInterface: facts(['InfraInterfaceL2L3'], { name: attr, device: rel('InfraDevice', ['InfraDevice']) }),
    });
    expect(out.implied.map((i) => `${i.model}.${i.field} -> ${i.reference}`)).toEqual(['InfraDevice.site -> LocationSite', 'InfraInterface.device -> InfraDevice']);
    expect(resolveOrder(out.config)).toEqual([['LocationSite'], ['InfraDevice'], ['InfraInterface']]);
  });

  it('names a peer no synced model holds by its naming attribute; warns where it cannot, or where several models could be meant', () => {
    const cfg = config({
      schema_mapping: [
        entry('OrgA', [f('name')]),
        entry('OrgB', [f('name')]),
        entry('InfraDevice', [f('name'), f('platform', 'platform.name'), f('owner', 'tenant.name'), f('cable', 'cable.label')]),
      ],
    });
    const out = applyDestinationFacts(cfg, {
      OrgA: facts(['OrgA'], { name: attr }),
      OrgB: facts(['OrgB'], { name: attr }),
      InfraDevice: facts(['InfraDevice'], {
        name: attr,
        platform: rel('InfraPlatform', ['InfraPlatform'], { peerAttribute: 'name', peerHfid: false }),
        owner: rel('OrganizationGeneric', ['OrgA', 'OrgB']),
        cable: rel('InfraCable', ['InfraCable']),
      }),
    });
    expect(out.implied).toEqual([{ model: 'InfraDevice', field: 'platform', peerAttribute: 'name', peer: 'InfraPlatform' }]);
    expect(out.warnings).toEqual([
      'InfraDevice.owner: the value names a peer of kind OrganizationGeneric, which several synced models hold (OrgA, OrgB); give the field a `reference` to the one it names',
      'InfraDevice.cable: the value names a peer of kind InfraCable, which no synced model holds and which has neither a one-attribute human-friendly id nor a default filter to find it by; sync InfraCable in this config or give `reference`',
    ]);
    // Only order's models count as synced (as infrahub-sync syncs only those).
    const unsynced = applyDestinationFacts(config({ ...cfg, order: ['InfraDevice'] }), {
      OrgA: facts(['OrgA'], { name: attr }),
      InfraDevice: facts(['InfraDevice'], { name: attr, owner: rel('OrganizationGeneric', ['OrgA'], { peerAttribute: 'name' }) }),
    });
    expect(unsynced.implied).toEqual([{ model: 'InfraDevice', field: 'owner', peerAttribute: 'name', peer: 'OrganizationGeneric' }]);
  });
});

describe('roundTripProblems', () => {
  it('refuses identifiers the destination computes, lacks, or cannot name a peer with, naming entry, field and fix', () => {
    const cfg = config({
      schema_mapping: [
        entry('InfraIPAddress', [f('address'), f('ip_prefix', 'parent', 'InfraPrefix')], ['address', 'ip_prefix']),
        entry('InfraDevice', [f('name'), f('colour'), f('cable', 'cable.label')], ['name', 'colour', 'cable']),
      ],
    });
    const problems = roundTripProblems(
      cfg,
      {
        InfraIPAddress: {
          kinds: ['InfraIPAddress'],
          fields: { address: attr, ip_prefix: rel('InfraPrefix', ['InfraPrefix'], { readOnly: true }) },
          identities: [{ label: 'IPAM address within its namespace', parts: [{ field: 'address' }, { field: 'ip_namespace', defaultsTo: 'default' }], enforced: false }],
        },
        InfraDevice: { kinds: ['InfraDevice'], fields: { name: attr, colour: { kind: 'missing' }, cable: rel('InfraCable', ['InfraCable']) }, identities: [] },
      },
      'infrahub',
    );
    expect(problems).toEqual([
      'schema_mapping[0] InfraIPAddress (src.InfraIPAddress): identifier `ip_prefix` is computed by Infrahub (read-only): the sync cannot write it, ' +
        "so the key read back differs from the source's and every run would create the records again; identify InfraIPAddress records by " +
        '`address` (and `ip_namespace`), its IPAM address within its namespace',
      'schema_mapping[1] InfraDevice (src.InfraDevice): identifier `colour` is not a field of InfraDevice in Infrahub, so the key cannot be read back; ' +
        'identify the records by fields the sync writes',
      'schema_mapping[1] InfraDevice (src.InfraDevice): identifier `cable` is a relationship to InfraCable but its value names no peer the sync can find ' +
        '(no synced model holds InfraCable, and it has no one-attribute human-friendly id or default filter); give the field a `reference` to the model that holds the peer',
    ]);
  });

  it('accepts writable identifiers, a reference, and a relationship whose value names a synced peer', () => {
    const cfg = config({
      schema_mapping: [entry('InfraDevice', [f('name'), f('site', 'site', 'LocationSite')], ['name', 'site']), entry('LocationSite', [f('name')])],
    });
    expect(
      roundTripProblems(cfg, {
        InfraDevice: facts(['InfraDevice'], { name: attr, site: rel('LocationSite', ['LocationSite']) }),
        LocationSite: facts(['LocationSite'], { name: attr }),
      }),
    ).toEqual([]);
  });
});
