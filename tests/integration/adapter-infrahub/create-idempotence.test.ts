// Creates of kinds without hfid (prefixes, addresses, interfaces) go as plain Create after a lookup:
// sent twice (a redelivered apply message, a batch resent after a dropped connection
// the server had already applied) must not duplicate nodes.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelWriteSpec } from '../../../shared/adapters/types.js';
import type { Change, ChangeResult } from '../../../shared/diff/types.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { ResultsContext, TOKEN, create, failed, makeAdapter } from './helpers.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));

const MODELS: Record<string, ModelWriteSpec> = {
  NautobotNamespace: { model: 'NautobotNamespace', identifiers: ['name'], references: {} },
  InfraPrefix: { model: 'InfraPrefix', identifiers: ['prefix', 'ip_namespace'], references: { ip_namespace: 'NautobotNamespace' } },
};

class Ctx extends ResultsContext {
  constructor() {
    super(MODELS);
  }
}

const NAMESPACES = ['Global', 'Customer-A'];
const VALUES = ['10.0.0.0/24', '10.0.1.0/24', '192.168.0.0/16'];

function prefixCreates(): Change[] {
  return NAMESPACES.flatMap((ns) =>
    VALUES.map((p) => create('InfraPrefix', `${p}__${ns}`, { prefix: p, ip_namespace: ns }, { description: `${p} in ${ns}` })),
  );
}

function destIds(results: ChangeResult[]): Record<string, string | undefined> {
  return Object.fromEntries(results.map((r) => [r.key, r.destinationId]));
}

/** One node per (prefix, namespace id), and how many there are. */
function prefixCensus(standin: InfrahubStandin): { total: number; distinct: number } {
  const nodes = standin.nodes('InfraPrefix');
  return { total: nodes.length, distinct: new Set(nodes.map((n) => `${String(n.prefix)}|${String(n.ip_namespace)}`)).size };
}

let standin: InfrahubStandin | undefined;
let proxy: Server | undefined;
const proxySockets = new Set<Socket>();
afterEach(async () => {
  if (proxy) {
    const closed = new Promise<void>((r) => proxy?.close(() => r()));
    for (const s of proxySockets) s.destroy();
    await closed;
  }
  proxy = undefined;
  proxySockets.clear();
  await standin?.stop();
  standin = undefined;
});

async function setUpNamespaces(url: string): Promise<Ctx> {
  const ctx = new Ctx();
  const ns = await makeAdapter(url).apply(
    NAMESPACES.map((n) => create('NautobotNamespace', n, { name: n })),
    ctx,
  );
  expect(failed(ns)).toEqual([]);
  ctx.remember(ns);
  return ctx;
}

/**
 * Forwards to the stand-in; the first `drops` mutation requests reach the server and are applied,
 * then the client's connection is cut before it sees the answer (a connection lost after Infrahub
 * applied the batch).
 */
async function startDroppingProxy(target: string, drops: number): Promise<string> {
  let left = drops;
  const to = new URL(target);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const drop = left > 0 && body.toString('utf8').includes('mutation');
      if (drop) left--;
      const upstream = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            if (drop) {
              req.socket.destroy();
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    });
  });
  proxy.on('connection', (s: Socket) => {
    proxySockets.add(s);
    s.on('close', () => proxySockets.delete(s));
  });
  await new Promise<void>((r) => proxy?.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('Infrahub creates of kinds without hfid are idempotent', () => {
  it('applying the same prefix creates twice leaves one node per (prefix, namespace), same ids', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    const ctx = await setUpNamespaces(standin.url);
    const adapter = makeAdapter(standin.url);

    const first = await adapter.apply(prefixCreates(), ctx);
    expect(failed(first)).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });

    // A redelivered message: the same batch, with the same context. One lookup for the kind, one
    // mutation request (batch size 25): no per-node queries.
    standin.resetCounters();
    const second = await adapter.apply(prefixCreates(), ctx);
    expect(standin.counters.graphql).toBe(2);
    expect(failed(second)).toEqual([]);
    expect(second.every((r) => r.status === 'applied')).toBe(true);
    expect(destIds(second)).toEqual(destIds(first));
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
    // Each node kept its own namespace and data.
    for (const n of standin.nodes('InfraPrefix')) {
      const ns = NAMESPACES.find((name) => ctx.peerId('NautobotNamespace', name) === n.ip_namespace);
      expect(n.description).toBe(`${String(n.prefix)} in ${String(ns)}`);
    }
  });

  it('creates only the missing ones when part of a batch already exists', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    const ctx = await setUpNamespaces(standin.url);
    const adapter = makeAdapter(standin.url);
    const all = prefixCreates();
    // Only the Global ones were applied before.
    const part = await adapter.apply(all.filter((c) => c.key.endsWith('__Global')), ctx);
    expect(failed(part)).toEqual([]);
    const again = await adapter.apply(all, ctx);
    expect(failed(again)).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
    const before = destIds(part);
    for (const [key, id] of Object.entries(before)) expect(destIds(again)[key]).toBe(id);
  });

  it('matches an existing node by its peer hfid when the run knows the peer only by key (scoped runs)', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    await setUpNamespaces(standin.url);
    // A webhook-scoped run loads no namespaces: its creates name them by key, sent as hfid.
    const blind = new Ctx();
    const adapter = makeAdapter(standin.url);
    const first = await adapter.apply(prefixCreates(), blind);
    expect(failed(first)).toEqual([]);
    const second = await adapter.apply(prefixCreates(), blind);
    expect(failed(second)).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
    expect(destIds(second)).toEqual(destIds(first));
  });

  it('a batch resent after the connection dropped once the server had applied it creates nothing twice', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    const ctx = await setUpNamespaces(standin.url);
    const url = await startDroppingProxy(standin.url, 1);
    const adapter = makeAdapter(url, { batch_size: 3 });

    const results = await adapter.apply(prefixCreates(), ctx);
    expect(failed(results)).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
    // Every result names the node that holds its record.
    const nodes = new Map(standin.nodes('InfraPrefix').map((n) => [String(n.id), n]));
    for (const r of results) {
      const node = nodes.get(String(r.destinationId));
      expect(node?.prefix).toBe(r.key.split('__')[0]);
    }
  });

  // Seen against a real Infrahub 1.11.9 with the NetBox demo data (tests/peers/infrahub/README.md):
  // 25 prefix creates in one request took over the 60 s timeout (IPAM writes take seconds each on a
  // loaded machine); the client gave up, looked the creates up while the server was still writing
  // them, found some, and sent the others again: 48 prefixes held two nodes. The timeout is per
  // mutation (infrahub-sync sends one per request with 60 s), so a batch is given as long as its
  // mutations would be one by one.
  it('a batch the server takes longer than the timeout to write, but within the time per mutation, is written once', async () => {
    // 5 creates per request at 150 ms each: 750 ms, over a 400 ms timeout, under 5 x 400 ms.
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN, mutationMs: 150 });
    const ctx = await setUpNamespaces(standin.url);
    const adapter = makeAdapter(standin.url, { batch_size: 5, timeout: 0.4 });
    const results = await adapter.apply(prefixCreates(), ctx);
    // Anything a given-up request still had in hand lands by now.
    await new Promise((r) => setTimeout(r, 1500));
    expect(failed(results)).toEqual([]);
    expect(results.filter((r) => r.message?.startsWith('updated existing node'))).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
  });

  it('a batch redelivered to a server with faults (dropped connections, 500s, 429s) ends with no duplicates', async () => {
    // Seeded faults: the same requests meet the same faults on every run.
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN, faultRate: 0.3, faultSeed: 7 });
    const faultyCtx = await setUpNamespaces(standin.url);
    const adapter = makeAdapter(standin.url, { batch_size: 2, retries: 8 });
    const a = await adapter.apply(prefixCreates(), faultyCtx);
    const b = await adapter.apply(prefixCreates(), faultyCtx);
    expect(standin.counters.faults).toBeGreaterThan(0);
    expect(failed([...a, ...b])).toEqual([]);
    expect(prefixCensus(standin)).toEqual({ total: 6, distinct: 6 });
    expect(destIds(b)).toEqual(destIds(a));
  });
});

describe('Infrahub creates of kinds with a uniqueness constraint and no hfid (interfaces)', () => {
  const IFACE_MODELS: Record<string, ModelWriteSpec> = {
    OrganizationGeneric: { model: 'OrganizationGeneric', identifiers: ['name'], references: {} },
    LocationGeneric: { model: 'LocationGeneric', identifiers: ['name'], references: {} },
    ChoiceDeviceType: { model: 'ChoiceDeviceType', identifiers: ['name'], references: { manufacturer: 'OrganizationGeneric' } },
    InfraDevice: { model: 'InfraDevice', identifiers: ['name'], references: { location: 'LocationGeneric', model: 'ChoiceDeviceType' } },
    InfraInterfaceL2L3: { model: 'InfraInterfaceL2L3', identifiers: ['device', 'name'], references: { device: 'InfraDevice' } },
  };
  class IfaceCtx extends ResultsContext {
    constructor() {
      super(IFACE_MODELS);
    }
  }
  const ifaces = (names: string[]) => names.map((n) => create('InfraInterfaceL2L3', `edge1__${n}`, { device: 'edge1', name: n }, { description: `port ${n}` }));

  async function withDevice(url: string): Promise<IfaceCtx> {
    const ctx = new IfaceCtx();
    const adapter = makeAdapter(url);
    for (const batch of [
      [create('OrganizationGeneric', 'acme', { name: 'acme' }), create('LocationGeneric', 'ams1', { name: 'ams1' })],
      [create('ChoiceDeviceType', 't1', { name: 't1' }, { manufacturer: 'acme' })],
      [create('InfraDevice', 'edge1', { name: 'edge1' }, { location: 'ams1', model: 't1' })],
    ]) {
      const r = await adapter.apply(batch, ctx);
      expect(failed(r)).toEqual([]);
      ctx.remember(r);
    }
    return ctx;
  }

  it('finds the node that holds a create\'s uniqueness constraint, updates it, and says so', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    const ctx = await withDevice(standin.url);
    const adapter = makeAdapter(standin.url);
    const [first] = await adapter.apply(ifaces(['eth0']), ctx);
    expect(first).toMatchObject({ status: 'applied' });
    // Written again (a redelivery, another run that did not know it): found, not refused, not doubled.
    const [again] = await adapter.apply(ifaces(['eth0']), ctx);
    expect(again).toMatchObject({
      status: 'applied',
      destinationId: first?.destinationId,
      message: `updated existing node ${String(first?.destinationId)}, found by its uniqueness constraint 'device-name'`,
    });
    expect(standin.nodes('InfraInterfaceL2L3')).toHaveLength(1);
  });

  it('with every mutation\'s answer lost once after the write, ends with one node per interface', async () => {
    standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    const ctx = await withDevice(standin.url);
    const url = await startDroppingProxy(standin.url, 3);
    const adapter = makeAdapter(url, { batch_size: 2 });
    const results = await adapter.apply(ifaces(['eth0', 'eth1', 'eth2', 'eth3', 'eth4', 'eth5']), ctx);
    expect(failed(results)).toEqual([]);
    expect(standin.nodes('InfraInterfaceL2L3')).toHaveLength(6);
    expect(standin.duplicates('InfraInterfaceL2L3')).toEqual([]);
    // The creates whose answers were lost were found again, by their constraint.
    expect(results.filter((r) => /found by its uniqueness constraint 'device-name'/.test(r.message ?? '')).length).toBeGreaterThan(0);
  });
});
