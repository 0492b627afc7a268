import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { checkMapping } from '../../../shared/adapters/infrahub/index.js';
import { loadConfigFile, parseConfig } from '../../../shared/config/index.js';
import { SCHEMA, TOKEN, makeAdapter } from './helpers.js';

let standin: InfrahubStandin;
beforeAll(async () => {
  standin = await startInfrahubStandin({ schema: SCHEMA, token: TOKEN });
});
afterAll(async () => {
  await standin.stop();
});

const BAD = `
name: bad
source: { name: netbox, settings: { url: "http://netbox" } }
destination: { name: infrahub, settings: { url: "http://infrahub" } }
order: [TestTag, InfraDevice, InfraCable]
schema_mapping:
  - name: TestTag
    mapping: extras.tags
    identifiers: [name]
    fields:
      - name: name
        mapping: name
  - name: InfraDevice
    mapping: dcim.devices
    identifiers: [name, colour]
    fields:
      - name: name
        mapping: name
      - name: serial
        mapping: serial
        reference: TestTag
      - name: colour
        mapping: color
      - name: location
        mapping: site
        reference: TestTag
      - name: platform
        mapping: platform
      - name: tags
        static: red
  - name: InfraInterface
    mapping: dcim.interfaces
    identifiers: [name]
    fields:
      - name: name
        mapping: name
  - name: InfraCable
    mapping: dcim.cables
    identifiers: [label]
    fields:
      - name: label
        mapping: label
`;

describe('checkMapping', () => {
  it('reports one line per problem of a bad mapping', async () => {
    const schema = await makeAdapter(standin.url).schema();
    const { config } = parseConfig(BAD, '<inline>');
    const problems = checkMapping(config, schema);
    const expected = [
      /InfraDevice.*field "serial": is an attribute \(Text\) but the mapping gives reference TestTag/,
      /InfraDevice.*field "colour": not an attribute or relationship of InfraDevice/,
      /InfraDevice.*field "location": reference TestTag is not compatible with the relationship's peer LocationGeneric/,
      /InfraDevice.*field "platform": relationship to InfraPlatform needs a "reference"/,
      /InfraDevice.*field "tags": static value is not a list but the relationship has cardinality many/,
      /^InfraInterface: mandatory relationship "device" \(InfraDevice\) is not mapped$/,
      /InfraCable.*kind "InfraCable" not found in the Infrahub schema/,
      /^order: kind "InfraCable" not found/,
    ];
    for (const re of expected) expect(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).toBe(true);
    expect(problems).toHaveLength(expected.length);
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  it('accepts a good mapping, with generic references to implementers and vice versa', async () => {
    const schema = await makeAdapter(standin.url).schema();
    const { config } = parseConfig(
      `
name: good
source: { name: netbox, settings: {} }
destination: { name: infrahub, settings: {} }
order: [LocationSite, InfraDevice]
schema_mapping:
  - name: LocationSite
    mapping: dcim.sites
    identifiers: [name]
    fields:
      - { name: name, mapping: slug }
  - name: InfraDevice
    mapping: dcim.devices
    identifiers: [name]
    fields:
      - { name: name, mapping: name }
      - { name: location, mapping: site, reference: LocationSite }
      - { name: tags, mapping: tags, reference: TestTag }
      - { name: rack_units, mapping: u_height }
`,
      '<inline>',
    );
    expect(checkMapping(config, schema)).toEqual([]);
  });
});

// Upstream's 2024 example schema (tests/fixtures/infrahub-schema/NOTICE.md).
const NETBOX_SCHEMA = fileURLToPath(new URL('../../fixtures/infrahub-schema/infrahub/examples/netbox/netbox.yml', import.meta.url));
const NETBOX_CONFIG = fileURLToPath(new URL('../../fixtures/config/examples/netbox_to_infrahub/config.yml', import.meta.url));

describe('checkMapping on the upstream NetBox example', () => {
  it('finds exactly the Choice*/Template* renames between the 2025 config and the 2024 schema', async () => {
    const s = await startInfrahubStandin({ schema: NETBOX_SCHEMA, token: TOKEN });
    try {
      const schema = await makeAdapter(s.url).schema();
      const { config } = await loadConfigFile(NETBOX_CONFIG);
      expect(checkMapping(config, schema).map((p) => p.replace(/^schema_mapping\[\d+\] /, ''))).toEqual([
        'ChoiceDeviceType (dcim.device-types): kind "ChoiceDeviceType" not found in the Infrahub schema',
        'InfraDevice (dcim.devices) field "model": not an attribute or relationship of InfraDevice',
        'ChoiceCircuitType (circuits.circuit-types): kind "ChoiceCircuitType" not found in the Infrahub schema',
        'InfraCircuit (circuits.circuits) field "type": not an attribute or relationship of InfraCircuit',
        'order: kind "ChoiceDeviceType" not found in the Infrahub schema',
        'order: kind "ChoiceCircuitType" not found in the Infrahub schema',
      ]);
    } finally {
      await s.stop();
    }
  });
});
