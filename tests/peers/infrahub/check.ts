// Runs one write/read scenario through the Infrahub adapter against the REAL Infrahub (see
// up.sh) and against the stand-in loaded with the same schema, and compares what each side
// answered and stored. Prints `ok` / `DIFF` lines and exits 1 on any difference.
// Usage: npm run peer:infrahub [-- --json <file>]   (address and token as in peer-env.ts)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModelWriteSpec } from '../../../shared/adapters/types.js';
import type { Change, ChangeResult, Value } from '../../../shared/diff/types.js';
import { InfrahubAdapter } from '../../../shared/adapters/infrahub/index.js';
import { MemoryLogger } from '../../../shared/log.js';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import { ResultsContext } from '../../integration/adapter-infrahub/helpers.js';
import { graphql, peerFromEnv, type Peer } from './peer-env.js';
import { identitySummary, normalise, runProbes, type ProbeRecord } from './probes.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

const MODELS: Record<string, ModelWriteSpec> = {
  BuiltinTag: { model: 'BuiltinTag', identifiers: ['name'], references: {} },
  InfraRouteTarget: { model: 'InfraRouteTarget', identifiers: ['name'], references: {} },
  NautobotNamespace: { model: 'NautobotNamespace', identifiers: ['name'], references: {} },
  InfraVRF: {
    model: 'InfraVRF',
    identifiers: ['name'],
    references: { ip_namespace: 'NautobotNamespace', import_rt: 'InfraRouteTarget', export_rt: 'InfraRouteTarget' },
  },
  InfraPrefix: { model: 'InfraPrefix', identifiers: ['prefix', 'ip_namespace'], references: { ip_namespace: 'NautobotNamespace', vrf: 'InfraVRF' } },
  InfraIPAddress: { model: 'InfraIPAddress', identifiers: ['address', 'ip_prefix'], references: { ip_prefix: 'InfraPrefix', ip_namespace: 'NautobotNamespace' } },
};

class Ctx extends ResultsContext {
  constructor() {
    super(MODELS);
  }
  /** Ids back to keys, so the two servers' answers compare. */
  keyOf(id: string): string {
    for (const [k, v] of this.ids) if (v === id) return k;
    return id.length > 20 ? '<unknown id>' : id;
  }
}

const change = (action: Change['action'], model: string, key: string, ids: Record<string, Value>, attrs: Record<string, Value> = {}, destinationId?: string): Change => ({
  id: `${model}/${action}/${key}`,
  action,
  model,
  key,
  ids,
  attrs,
  destinationId,
});

type Observation = Record<string, unknown>;

function adapterFor(url: string, token: string, settings: Record<string, unknown> = {}, branch?: string, lineageAccount?: string): InfrahubAdapter {
  return new InfrahubAdapter(
    { name: 'infrahub', settings: { url, token, ...settings } },
    { configDir: '.', env: {}, branch, logger: new MemoryLogger(), ...(lineageAccount ? { lineageAccount } : {}) },
    { retryBaseMs: 10 },
  );
}

/** Lineage as the adapter writes it (the source adapter's account as source, settings.owner's
 *  group as owner), read back with Infrahub's property fields; then a missing group. */
async function lineageScenario(url: string, token: string, s: string): Promise<Observation> {
  const peer: Peer = { url, token };
  const out: Observation = {};
  const names = new Map<string, string>();
  const made = async (mutation: string, name: string, data: Record<string, unknown>): Promise<string> => {
    const r = await graphql(peer, `mutation($d: ${mutation}Input!) { ${mutation}(data: $d) { object { id } } }`, { d: data });
    const id = ((r.body as { data?: Record<string, { object?: { id?: string } } | null> }).data?.[mutation]?.object?.id ?? '') as string;
    if (!id) throw new Error(`${mutation} failed: ${JSON.stringify(r.body).slice(0, 400)}`);
    names.set(id, name);
    return id;
  };
  await made('CoreAccountCreate', 'account', { name: { value: `lsrc${s}` }, password: { value: `Pw${s}-unused` } });
  await made('CoreAccountGroupCreate', 'group', { name: { value: `lgrp${s}` } });
  const ctx = new Ctx();
  const a = adapterFor(url, token, { owner: `lgrp${s}`, create_branch: true }, `check${s}`, `lsrc${s}`);
  await a.open?.();
  let r = await a.apply(
    [
      change('create', 'NautobotNamespace', `lns${s}`, { name: `lns${s}` }),
      change('create', 'InfraRouteTarget', `lrt1${s}`, { name: `lrt1${s}` }),
      change('create', 'InfraRouteTarget', `lrt2${s}`, { name: `lrt2${s}` }),
    ],
    ctx,
  );
  ctx.remember(r);
  r = await a.apply([change('create', 'InfraVRF', `lvrf${s}`, { name: `lvrf${s}` }, { description: null, ip_namespace: `lns${s}`, import_rt: [`lrt1${s}`] })], ctx);
  ctx.remember(r);
  out.lineageCreate = results(ctx, r);
  const vrf = ctx.ids.get(`InfraVRF/lvrf${s}`) ?? '';
  r = await a.apply([change('update', 'InfraVRF', `lvrf${s}`, { name: `lvrf${s}` }, { description: 'now', import_rt: [`lrt1${s}`, `lrt2${s}`] }, vrf)], ctx);
  out.lineageUpdate = results(ctx, r);
  for (const [k, v] of ctx.ids) names.set(v, k.split('/')[1]?.replace(s, '<s>') ?? k);
  const P = '{ is_protected source { id __typename } owner { id __typename } }';
  const read = await graphql(
    peer,
    `query($ids: [ID]) { InfraVRF(ids: $ids) { edges { node { name ${P} description ${P} ip_namespace { properties ${P} } import_rt { edges { node { id } properties ${P} } } } } } }`,
    { ids: [vrf] },
    `check${s}`,
  );
  out.lineageRead = JSON.parse(JSON.stringify(read.body).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (m) => `<${names.get(m) ?? 'id'}>`));
  const missing = adapterFor(url, token, { source: `nope${s}` }, undefined, `lsrc${s}`);
  out.lineageMissingGroup = await missing.open?.().then(
    () => 'no error',
    (err: Error) => err.message.replaceAll(s, '<s>'),
  );
  return out;
}

function results(ctx: Ctx, rs: ChangeResult[]): unknown[] {
  return rs.map((r) => ({ change: `${r.model}/${r.key}`, status: r.status, error: r.message ?? null, id: r.destinationId ? ctx.keyOf(r.destinationId) : null }));
}

async function read(adapter: InfrahubAdapter, ctx: Ctx, model: string, fields: string[], only: (r: Record<string, unknown>) => boolean): Promise<unknown[]> {
  const records = await adapter.load({ side: 'destination', model, path: model, fields: fields.map((name) => ({ name, path: name })) });
  const norm = (v: unknown): unknown => {
    if (typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(v)) return ctx.keyOf(v);
    if (Array.isArray(v)) return v.map(norm).map((x) => JSON.stringify(x)).sort();
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return records
    .filter(only)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'hfid' && k !== 'display_label').map(([k, v]) => [k, norm(v)])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The scenario; `s` makes names unique per run, as the real server keeps what earlier runs wrote. */
async function scenario(url: string, token: string, s: string): Promise<Observation> {
  const out: Observation = {};
  const ctx = new Ctx();
  // Its own branch: what it writes stays out of main.
  const a = adapterFor(url, token, { create_branch: true }, `check${s}`);
  const mine = (r: Record<string, unknown>): boolean => JSON.stringify(r).includes(s);
  await a.open?.();

  const base = [
    change('create', 'BuiltinTag', `t1${s}`, { name: `t1${s}` }, { description: 'one' }),
    change('create', 'BuiltinTag', `t2${s}`, { name: `t2${s}` }),
    change('create', 'NautobotNamespace', `ns1${s}`, { name: `ns1${s}` }),
    change('create', 'NautobotNamespace', `ns2${s}`, { name: `ns2${s}` }),
    change('create', 'InfraRouteTarget', `rt1${s}`, { name: `rt1${s}` }),
    change('create', 'InfraRouteTarget', `rt2${s}`, { name: `rt2${s}` }),
  ];
  let r = await a.apply(base, ctx);
  ctx.remember(r);
  out.createBase = results(ctx, r);
  r = await a.apply(base, ctx);
  out.redelivered = results(ctx, r);

  const vrf = [change('create', 'InfraVRF', `vrf${s}`, { name: `vrf${s}` }, { description: 'v', ip_namespace: `ns1${s}`, import_rt: [`rt1${s}`, `rt2${s}`] })];
  r = await a.apply(vrf, ctx);
  ctx.remember(r);
  out.createVrf = results(ctx, r);
  const vrfId = ctx.ids.get(`InfraVRF/vrf${s}`);
  r = await a.apply([change('update', 'InfraVRF', `vrf${s}`, { name: `vrf${s}` }, { description: 'changed', ip_namespace: `ns2${s}`, import_rt: [`rt2${s}`] }, vrfId)], ctx);
  out.updateVrf = results(ctx, r);
  out.readVrfAfterUpdate = await read(a, ctx, 'InfraVRF', ['name', 'description', 'ip_namespace', 'import_rt'], mine);
  r = await a.apply([change('update', 'InfraVRF', `vrf${s}`, { name: `vrf${s}` }, { ip_namespace: null, import_rt: [] }, vrfId)], ctx);
  out.clearVrf = results(ctx, r);
  out.readVrfAfterClear = await read(a, ctx, 'InfraVRF', ['name', 'description', 'ip_namespace', 'import_rt'], mine);

  // IPAM: a /16, a /24 inside it and an address inside the /24, in one namespace.
  const n = 1 + (parseInt(s.replace(/\D/g, '').slice(-4) || '0', 10) % 200);
  const p16 = `10.${n}.0.0/16`;
  const p24 = `10.${n}.1.0/24`;
  const addr = `10.${n}.1.5/24`;
  const ipam = [
    change('create', 'InfraPrefix', `${p16}__ns1${s}`, { prefix: p16, ip_namespace: `ns1${s}` }, { description: 'sixteen' }),
    change('create', 'InfraPrefix', `${p24}__ns1${s}`, { prefix: p24, ip_namespace: `ns1${s}` }, { vrf: `vrf${s}` }),
  ];
  r = await a.apply(ipam, ctx);
  ctx.remember(r);
  out.createPrefixes = results(ctx, r);
  r = await a.apply([change('create', 'InfraIPAddress', `${addr}__${p24}__ns1${s}`, { address: addr, ip_prefix: `${p24}__ns1${s}` }, { ip_namespace: `ns1${s}`, description: 'host' })], ctx);
  ctx.remember(r);
  out.createAddress = results(ctx, r);
  const inNs = (r2: Record<string, unknown>): boolean => ctx.keyOf(String((r2.ip_namespace as { id?: string } | null)?.id ?? r2.ip_namespace ?? '')).includes(s);
  out.readPrefixes = await read(a, ctx, 'InfraPrefix', ['prefix', 'description', 'ip_namespace', 'vrf', 'parent'], inNs);
  out.readAddresses = await read(a, ctx, 'InfraIPAddress', ['address', 'description', 'ip_namespace', 'ip_prefix'], inNs);

  // One invalid change in a batch: the others apply, the error is the server's.
  r = await a.apply(
    [
      change('create', 'BuiltinTag', `t3${s}`, { name: `t3${s}` }),
      change('create', 'InfraPrefix', `bad__ns1${s}`, { prefix: 'not-a-prefix', ip_namespace: `ns1${s}` }),
      change('create', 'BuiltinTag', `t4${s}`, { name: `t4${s}` }),
    ],
    ctx,
  );
  ctx.remember(r);
  out.batchWithInvalid = results(ctx, r);

  // Deletes, children first.
  const del = (model: string, key: string): Change => change('delete', model, key, {}, {}, ctx.ids.get(`${model}/${key}`));
  r = await a.apply([del('InfraIPAddress', `${addr}__${p24}__ns1${s}`), del('InfraPrefix', `${p24}__ns1${s}`), del('InfraPrefix', `${p16}__ns1${s}`)], ctx);
  out.deleteIpam = results(ctx, r);
  r = await a.apply([del('InfraVRF', `vrf${s}`), del('BuiltinTag', `t2${s}`)], ctx);
  out.deleteMore = results(ctx, r);
  out.readTagsAfter = await read(a, ctx, 'BuiltinTag', ['name', 'description'], mine);

  // Branches: an unknown one is an error; create_branch makes it.
  const unknown = adapterFor(url, token, {}, `nope${s}`);
  try {
    await unknown.open?.();
    await unknown.load({ side: 'destination', model: 'BuiltinTag', path: 'BuiltinTag', fields: [{ name: 'name', path: 'name' }] });
    out.unknownBranch = 'no error';
  } catch (err) {
    out.unknownBranch = (err as Error).message.replaceAll(s, '<s>');
  }
  const made = adapterFor(url, token, { create_branch: true }, `br${s}`);
  try {
    await made.open?.();
    const rb = await made.apply([change('create', 'BuiltinTag', `tb${s}`, { name: `tb${s}` })], new Ctx());
    out.createBranch = rb.map((x) => x.status);
    out.branchRead = (await made.load({ side: 'destination', model: 'BuiltinTag', path: 'BuiltinTag', fields: [{ name: 'name', path: 'name' }] }))
      .filter(mine)
      .map((x) => String(x.name).replace(s, '<s>'))
      .sort();
  } catch (err) {
    out.createBranch = (err as Error).message.replaceAll(s, '<s>');
  }
  return JSON.parse(JSON.stringify(out).replaceAll(s, '<s>')) as Observation;
}

/** The probes' answers as compared: status and body with ids named; the schema as its identity
 *  summary, one entry per kind; /api/info as its version. */
async function probeObservations(peer: Peer, s: string): Promise<Observation> {
  const { record, names } = await runProbes(peer, s);
  const norm: ProbeRecord = normalise(record, names, s);
  const out: Observation = {};
  for (const [step, ex] of Object.entries(norm)) {
    if (step === 'schema') {
      // Identity only: how display labels render is compared by the displayLabel probes.
      for (const [kind, summary] of Object.entries(identitySummary(record.schema?.body))) {
        const { display_labels: _l, display_label: _d, ...identity } = summary as Record<string, unknown>;
        out[`probe.schema.${kind}`] = identity;
      }
    } else if (step === 'info') {
      out['probe.info'] = { status: ex.status, version: (ex.body as { version?: string } | null)?.version ?? null };
    } else {
      out[`probe.${step}`] = { status: ex.status, body: ex.body };
    }
  }
  return out;
}

async function main(): Promise<void> {
  const peer: Peer = peerFromEnv();
  const suffix = `-${Date.now().toString(36)}`;
  const real = { ...(await scenario(peer.url, peer.token, suffix)), ...(await lineageScenario(peer.url, peer.token, suffix)), ...(await probeObservations(peer, suffix)) };
  // The scenario's branch is not needed any more (main never saw its writes).
  await graphql(peer, 'mutation($n: String) { BranchDelete(data: {name: $n}) { ok } }', { n: `check${suffix}` });
  const standin = await startInfrahubStandin({ schema: SCHEMAS, token: 'standin-check-token' });
  let fake: Observation;
  try {
    const standinPeer = { url: standin.url, token: 'standin-check-token' };
    fake = {
      ...(await scenario(standin.url, standinPeer.token, suffix)),
      ...(await lineageScenario(standin.url, standinPeer.token, suffix)),
      ...(await probeObservations(standinPeer, suffix)),
    };
  } finally {
    await standin.stop();
  }
  let diffs = 0;
  for (const key of new Set([...Object.keys(real), ...Object.keys(fake)])) {
    const a = JSON.stringify(real[key]);
    const b = JSON.stringify(fake[key]);
    if (a === b) console.log(`ok    ${key}`);
    else {
      diffs++;
      console.log(`DIFF  ${key}\n  real:    ${a}\n  standin: ${b}`);
    }
  }
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1] as string, `${JSON.stringify({ server: 'infrahub-server 1.11.9, local install', real, standin: fake }, null, 2)}\n`);
  const total = new Set([...Object.keys(real), ...Object.keys(fake)]).size;
  console.log(`${total - diffs} ok, ${diffs} differences`);
  process.exit(diffs === 0 ? 0 : 1);
}

await main();
