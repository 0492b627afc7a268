// A plain value written into a relationship whose peer no synced model holds names an existing
// node: by the peer kind's hfid when that is one attribute (platforms), else by its default filter
// (racks, which have no hfid). The destination side reads the same attribute, so the next run has
// nothing to do; a value no node has fails that record only.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const base = join(import.meta.dirname, '../../fixtures/infrahub/file-demo-schema.yml');
let infrahub: InfrahubStandin | undefined;
afterEach(async () => {
  await infrahub?.stop();
  infrahub = undefined;
});

const EXTRA = `
  - name: Rack
    namespace: Infra
    default_filter: name__value
    attributes:
      - name: name
        kind: Text
  - name: Platform
    namespace: Infra
    human_friendly_id: [name__value]
    attributes:
      - name: name
        kind: Text
        unique: true
`;

describe('plain values naming peers no synced model holds', () => {
  it('finds them by hfid or default filter, compares them by that name, and fails only a record whose peer is not there', async () => {
    const dir = await fileDemoCopy();
    const schema = join(dir, 'schema.yml');
    let text = (await readFile(base, 'utf8')).replace('nodes:\n', `nodes:${EXTRA}`);
    text = text.replace(
      '      - name: tags\n        peer: BuiltinTag\n        cardinality: many\n        optional: true\n  - name: InterfaceL2L3',
      '      - name: tags\n        peer: BuiltinTag\n        cardinality: many\n        optional: true\n' +
        '      - name: rack\n        peer: InfraRack\n        cardinality: one\n        optional: true\n' +
        '      - name: platform\n        peer: InfraPlatform\n        cardinality: one\n        optional: true\n  - name: InterfaceL2L3',
    );
    await writeFile(schema, text);
    infrahub = await startInfrahubStandin({ schema });
    const post = (query: string) =>
      fetch(`${infrahub?.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-infrahub-key': 'standin-token' }, body: JSON.stringify({ query }) });
    await post('mutation { a: InfraRackCreate(data: {name: {value: "R1"}}) { ok } b: InfraPlatformCreate(data: {name: {value: "junos"}}) { ok } }');

    const config = join(dir, 'config.yml');
    const cfg = (await readFile(config, 'utf8'))
      .replace(/destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/, 'destination:\n  name: infrahub\n  settings: {}\n')
      .replace(
        '      - name: managed\n        static: false\n',
        '      - name: managed\n        static: false\n      - name: rack\n        mapping: rack_name\n      - name: platform\n        static: junos\n',
      );
    await writeFile(config, cfg);
    const devices = join(dir, 'source/dcim.devices.json');
    const rows = JSON.parse(await readFile(devices, 'utf8')) as Record<string, unknown>[];
    for (const r of rows) r.rack_name = r.name === 'ber-edge1' ? 'R9' : 'R1';
    await writeFile(devices, JSON.stringify(rows));
    const env = { INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'standin-token' };
    const cli = (...args: string[]) => runCli([...args, '--config-file', 'config.yml', '--format', 'json', '--no-show-progress'], { cwd: dir, env });

    const sync = JSON.parse((await cli('sync', '--continue-on-error')).stdout);
    expect(sync.report.failures).toEqual([
      expect.objectContaining({ model: 'InfraDevice', key: 'ber-edge1', message: 'InfraDevice.rack: peer not found: no InfraRack has name "R9"' }),
    ]);
    const rack = infrahub.nodes('InfraRack')[0];
    const platform = infrahub.nodes('InfraPlatform')[0];
    const written = infrahub.nodes('InfraDevice');
    expect(written.map((d) => [d.name, d.rack === rack?.id, d.platform === platform?.id]).sort()).toEqual([
      ['par-core1', true, true],
      ['par-edge1', true, true],
    ]);
    // Compared by name on both sides: nothing left but the device whose rack does not exist.
    const diff = JSON.parse((await cli('diff')).stdout);
    expect(diff.changes.map((c: { action: string; key: string }) => `${c.action} ${c.key}`)).toEqual(['create ber-edge1', 'create ber-edge1__eth0']);
  });
});
