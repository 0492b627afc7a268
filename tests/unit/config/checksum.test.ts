import { describe, expect, it } from 'vitest';
import { canonicalJson, configChecksum } from '../../../shared/config/checksum.js';
import { parseConfig } from '../../../shared/config/load.js';

const TEXT = `name: d
source: {name: netbox, settings: {url: "http://127.0.0.1:1", token: t}}
destination: {name: infrahub}
schema_mapping: [{name: A, mapping: a, fields: [{name: n, mapping: n}]}]
`;

describe('configChecksum', () => {
  it('does not depend on key order, comments or layout', () => {
    const reordered = `# same config, other layout
schema_mapping:
  - fields:
      - mapping: n
        name: n
    mapping: a
    name: A
destination:
  name: infrahub
source:
  settings: {token: t, url: "http://127.0.0.1:1"}
  name: netbox
name: d
`;
    const a = configChecksum(parseConfig(TEXT, 'a.yml').config);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(configChecksum(parseConfig(reordered, 'b.yml').config)).toBe(a);
  });

  it('changes when any value changes', () => {
    const a = configChecksum(parseConfig(TEXT, 'a.yml').config);
    expect(configChecksum(parseConfig(TEXT.replace('token: t', 'token: u'), 'a.yml').config)).not.toBe(a);
    expect(configChecksum(parseConfig(TEXT.replace('mapping: n}', 'mapping: m}'), 'a.yml').config)).not.toBe(a);
  });

  it('canonical JSON sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"z":1}]},"b":1}');
  });
});
