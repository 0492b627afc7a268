// Lineage through a whole sync (configs/nautobot-to-infrahub into the Infrahub stand-in): every
// value written carries the source adapter's account as source and owner, and is_protected;
// lineage alone never makes a change; a missing account group stops the sync before any write.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';
import { ROOT, changeLines, failureLines, placeConfig, run, startSides, type Sides } from './helpers.js';

const CONFIG = join(ROOT, 'configs/nautobot-to-infrahub/config.yml');

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

async function gql<T>(s: Sides, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${s.infrahub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-infrahub-key': String(s.env.INFRAHUB_API_TOKEN) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function createAccount(s: Sides, name: string): Promise<string> {
  const d = await gql<{ CoreAccountCreate: { object: { id: string } } }>(s, 'mutation($n: String!) { CoreAccountCreate(data: {name: {value: $n}, password: {value: "unused-x"}}) { object { id } } }', { n: name });
  return d.CoreAccountCreate.object.id;
}

type Props = { is_protected: boolean | null; source: { id: string } | null; owner: { id: string } | null };
interface Interfaces {
  InfraInterfaceL2L3: { edges: { node: { name: Props; mgmt_only: Props; device: { properties: Props } } }[] };
  InfraDevice: { edges: { node: { name: Props; location: { properties: Props } } }[] };
}

/** Lineage of every device and interface, as `source/owner/protected` strings. */
async function lineageOf(s: Sides): Promise<string[]> {
  const P = '{ is_protected source { id } owner { id } }';
  const d = await gql<Interfaces>(
    s,
    `query { InfraInterfaceL2L3 { edges { node { name ${P} mgmt_only ${P} device { properties ${P} } } } }
             InfraDevice { edges { node { name ${P} location { properties ${P} } } } } }`,
  );
  const str = (p: Props) => `${p.source?.id ?? '-'}/${p.owner?.id ?? '-'}/${String(p.is_protected)}`;
  return [
    ...d.InfraInterfaceL2L3.edges.flatMap((e) => [str(e.node.name), str(e.node.mgmt_only), str(e.node.device.properties)]),
    ...d.InfraDevice.edges.flatMap((e) => [str(e.node.name), str(e.node.location.properties)]),
  ];
}

describe('lineage through a sync', () => {
  it('marks every written value with the source adapter account and protects it; the next run finds nothing to do', async () => {
    sides = await startSides('nautobot', 'tiny');
    const nautobot = await createAccount(sides, 'nautobot');
    const sync = await run(sides, 'sync', CONFIG);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const seen = await lineageOf(sides);
    expect(seen.length).toBeGreaterThan(20);
    expect(new Set(seen)).toEqual(new Set([`${nautobot}/${nautobot}/true`]));
    const again = await run(sides, 'diff', CONFIG);
    expect(changeLines(again.diff)).toEqual([]);
  });

  it('never changes anything for lineage alone: values written before the account existed stay as they are', async () => {
    sides = await startSides('nautobot', 'tiny');
    const first = await run(sides, 'sync', CONFIG);
    expect(first.code).toBe(0);
    expect(first.stderr.match(/no CoreAccount named "nautobot"/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(JSON.stringify(first.diff.warnings)).toContain('no CoreAccount named \\"nautobot\\"');
    await createAccount(sides, 'nautobot');
    const again = await run(sides, 'sync', CONFIG);
    expect(changeLines(again.diff)).toEqual([]);
    expect(sides.infrahub.counters.byOperation.InfraDeviceUpdate).toBeUndefined();
    expect(new Set(await lineageOf(sides))).toEqual(new Set(['-/-/true']));
  });

  it('stops before writing anything when settings.source names an account group Infrahub does not have', async () => {
    sides = await startSides('nautobot', 'tiny');
    const config = await placeConfig(sides, CONFIG, [['    token: "${INFRAHUB_API_TOKEN}"\n', '    token: "${INFRAHUB_API_TOKEN}"\n    source: network-ops\n']]);
    const r = await runCli(['sync', '--config-file', config, '--store', join(sides.work, 'runs')], { cwd: sides.work, env: sides.env });
    expect(r.stderr).toContain('infrahub: settings.source is "network-ops", but Infrahub has no CoreAccountGroup or CoreAccount of that name');
    expect(r.code).toBe(2);
    expect(sides.infrahub.counters.mutations).toBe(0);
  });
});
