// Issue 3's end-to-end: a file-source config synced into the Infrahub stand-in through the CLI.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { fileDemoCopy, runCli } from './cli-harness.js';

const schema = join(import.meta.dirname, '../../fixtures/infrahub/file-demo-schema.yml');
const standins: InfrahubStandin[] = [];
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.stop()));
});

async function setup(opts: { faultRate?: number } = {}) {
  const infrahub = await startInfrahubStandin({ schema, faultRate: opts.faultRate, faultSeed: 42 });
  standins.push(infrahub);
  const dir = await fileDemoCopy();
  const file = join(dir, 'config.yml');
  const text = (await readFile(file, 'utf8')).replace(
    /destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/,
    'destination:\n  name: infrahub\n  settings:\n    batch_size: 3\n',
  );
  await writeFile(file, text);
  const env = { INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'standin-token' };
  const cli = (...args: string[]) => runCli([...args, '--config-file', 'config.yml', '--format', 'json'], { cwd: dir, env });
  return { infrahub, dir, cli };
}

/** What Infrahub holds, by kind, as comparable plain data (ids replaced by names). */
function state(infrahub: InfrahubStandin) {
  const name = (kind: string, id: unknown) => infrahub.nodes(kind).find((n) => n.id === id)?.name;
  return {
    tags: infrahub.nodes('BuiltinTag').map((n) => n.name).sort(),
    locations: infrahub.nodes('LocationGeneric').map((n) => `${n.name}<${name('LocationGeneric', n.parent) ?? ''}`).sort(),
    devices: infrahub
      .nodes('InfraDevice')
      .map((n) => `${n.name}@${name('LocationGeneric', n.location)}:${n.serial}:${(n.tags as string[]).map((t) => name('BuiltinTag', t)).sort()}`)
      .sort(),
    interfaces: infrahub.nodes('InfraInterfaceL2L3').map((n) => `${name('InfraDevice', n.device)}/${n.name}:${n.mtu}:${n.enabled}`).sort(),
  };
}

describe('file source -> Infrahub stand-in', () => {
  it('syncs, then finds nothing to do; a removed device goes with its interfaces, deleted children first', async () => {
    const { infrahub, dir, cli } = await setup();
    const first = await cli('sync');
    expect(first.stderr).not.toMatch(/^error/m);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).report.applied.create).toBe(13);
    expect(state(infrahub).devices).toEqual(['ber-edge1@berlin:xyz987:', 'par-core1@paris::core', 'par-edge1@paris:abc123x:core,edge']);
    expect(state(infrahub).locations).toEqual(['berlin<europe', 'europe<', 'paris<europe']);

    const second = await cli('diff');
    expect(JSON.parse(second.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 13 });

    // Remove par-edge1 and its two interfaces from the source: 3 of 13 records, under the 50% guardrail.
    const devices = join(dir, 'source/dcim.devices.json');
    await writeFile(devices, JSON.stringify(JSON.parse(await readFile(devices, 'utf8')).filter((d: { name: string }) => d.name !== 'par-edge1')));
    const ifaces = join(dir, 'source/dcim.interfaces.json');
    await writeFile(ifaces, JSON.stringify(JSON.parse(await readFile(ifaces, 'utf8')).filter((i: { device: { id: number } }) => i.device.id !== 100)));
    infrahub.resetCounters();
    const third = await cli('sync');
    expect(third.code).toBe(0);
    const doc = JSON.parse(third.stdout);
    expect(doc.summary).toMatchObject({ create: 0, update: 0, delete: 3 });
    // Plan order: interfaces (which point at the device) before the device.
    expect(doc.changes.map((c: { model: string }) => c.model)).toEqual(['InfraInterfaceL2L3', 'InfraInterfaceL2L3', 'InfraDevice']);
    expect(doc.report.failed).toBe(0);
    expect(state(infrahub).devices).toEqual(['ber-edge1@berlin:xyz987:', 'par-core1@paris::core']);
    expect(state(infrahub).interfaces).toEqual(['ber-edge1/eth0:1500:true', 'par-core1/eth0:0:true']);
  });

  it('a one-relationship cleared and a many-relationship shrunk at the source are cleared in Infrahub', async () => {
    const { infrahub, dir, cli } = await setup();
    expect((await cli('sync')).code).toBe(0);
    const locations = join(dir, 'source/dcim.locations.yaml');
    await writeFile(locations, (await readFile(locations, 'utf8')).replace('name: berlin, location_type: { id: 2, name: Site }, parent: { id: 10, name: europe }', 'name: berlin, location_type: { id: 2, name: Site }, parent: null'));
    const devices = join(dir, 'source/dcim.devices.json');
    const rows = JSON.parse(await readFile(devices, 'utf8'));
    rows[0].tags = [{ id: 1, name: 'core' }];
    await writeFile(devices, JSON.stringify(rows));
    const r = await cli('sync');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ update: 2 });
    expect(state(infrahub).locations).toContain('berlin<');
    expect(state(infrahub).devices).toContain('par-edge1@paris:abc123x:core');
    expect(JSON.parse((await cli('diff')).stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('ends in exactly the same state against a stand-in that faults 10% of requests', async () => {
    const clean = await setup();
    expect((await clean.cli('sync')).code).toBe(0);
    const faulty = await setup({ faultRate: 0.1 });
    const r = await faulty.cli('sync');
    expect(r.code).toBe(0);
    expect(faulty.infrahub.counters.faults).toBeGreaterThan(0);
    expect(state(faulty.infrahub)).toEqual(state(clean.infrahub));
    expect(JSON.parse((await faulty.cli('diff')).stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });
});
