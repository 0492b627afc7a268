// Benchmark: 50,000 Nautobot interfaces (dataset "bench") read through the Nautobot stand-in
// with 30 ms of latency per request, with the interface mapping of infrahub-sync's
// nautobot-v2 example. Target: the read takes at most 1.5 x ceil(pages / concurrency) x latency,
// i.e. pages really go in parallel. A second read at 0 ms latency measures the CPU floor
// (stand-in rendering + JSON parsing, same process) to tell the two costs apart, and a third
// read replays the stand-in's recorded answers with the same latency and no rendering, which
// isolates the adapter's own cost (mostly JSON.parse of the pages).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNautobotAdapter } from '../../shared/adapters/nautobot/index.js';
import type { LoadField } from '../../shared/adapters/types.js';
import { silentLogger } from '../../shared/log.js';
import { generateDataset } from '../standins/dataset/generate.js';
import { startNautobotStandin } from '../standins/nautobot/server.js';

const LATENCY_MS = 30;
const CONCURRENCY = 8;
const PAGE_SIZE = 1000;
const TARGET_RATIO = 1.5;
const TOKEN = 'b3nch000000000000000000000000000000000000';
const PATH = '/api/dcim/interfaces/';

const fields: LoadField[] = [
  ...['name', 'description', 'type.label', 'mode.label', 'mac_address', 'mgmt_only'].map((p) => ({ name: p, path: p })),
  ...[
    ['untagged_vlan', 'InfraVLAN'],
    ['tagged_vlans', 'InfraVLAN'],
    ['device', 'InfraDevice'],
    ['tags', 'BuiltinTag'],
    ['status', 'StatusGeneric'],
  ].map(([p, ref]) => ({ name: p as string, path: p as string, reference: ref })),
];

/** Serves recorded stand-in answers by request URL after `latencyMs`, recording on first use. */
async function startReplay(target: string, latencyMs: number) {
  const recorded = new Map<string, Buffer>();
  let recording = true;
  const server = createServer((req, res) => {
    void (async () => {
      const key = req.url ?? '/';
      let body = recording ? undefined : recorded.get(key);
      if (!body) {
        const r = await fetch(`${target}${key}`, { headers: { authorization: req.headers.authorization ?? '', accept: req.headers.accept ?? '' } });
        body = Buffer.from(await r.arrayBuffer());
        recorded.set(key, body);
      } else {
        await new Promise((r) => setTimeout(r, latencyMs));
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replay: () => {
      recording = false;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function replayRead(dataset: ReturnType<typeof generateDataset>) {
  const standin = await startNautobotStandin({ dataset, token: TOKEN });
  const replay = await startReplay(standin.url, LATENCY_MS);
  try {
    await timedRead(0, dataset, replay.url);
    replay.replay();
    return await timedRead(0, dataset, replay.url);
  } finally {
    await replay.stop();
    await standin.stop();
  }
}

async function timedRead(latencyMs: number, dataset: ReturnType<typeof generateDataset>, via?: string) {
  const standin = via ? undefined : await startNautobotStandin({ dataset, token: TOKEN, latencyMs });
  const url = via ?? standin?.url ?? '';
  const adapter = createNautobotAdapter(
    { name: 'nautobot', settings: { url, token: TOKEN, page_size: PAGE_SIZE, concurrency: CONCURRENCY } },
    { configDir: process.cwd(), env: {}, logger: silentLogger },
  );
  try {
    // Warm the connection pool and the stand-in's code paths outside the measurement.
    await adapter.load({ side: 'source', model: 'BuiltinTag', path: 'extras.tags', fields: [{ name: 'name', path: 'name' }] });
    standin?.resetCounters();
    const started = performance.now();
    const records = await adapter.load({ side: 'source', model: 'InfraInterfaceL2L3', path: 'dcim.interfaces', fields });
    const ms = performance.now() - started;
    return { ms, records: records.length, requests: standin?.counters.byPath[PATH] ?? 0 };
  } finally {
    await adapter.close?.();
    await standin?.stop();
  }
}

const dataset = generateDataset({ size: 'bench', seed: 1 });
const expected = dataset.interfaces.length;
const run = await timedRead(LATENCY_MS, dataset);
const floor = await timedRead(0, dataset);
const replayed = await replayRead(dataset);

const pages = run.requests;
const ideal = Math.ceil(pages / CONCURRENCY) * LATENCY_MS;
const ratio = run.ms / ideal;
const adjusted = run.ms / (ideal + floor.ms);

console.log(`interfaces: ${run.records} of ${expected}`);
console.log(`requests: ${run.requests} (pages of up to ${PAGE_SIZE}, concurrency ${CONCURRENCY})`);
console.log(`time at ${LATENCY_MS} ms latency: ${run.ms.toFixed(0)} ms`);
console.log(`ideal ceil(pages / concurrency) x latency: ${ideal} ms`);
console.log(`ratio: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
console.log(`cpu floor (same read at 0 ms latency): ${floor.ms.toFixed(0)} ms`);
console.log(`ratio to ideal + cpu floor: ${adjusted.toFixed(2)}`);
console.log(`replayed answers (no rendering) at ${LATENCY_MS} ms latency: ${replayed.ms.toFixed(0)} ms, ratio ${(replayed.ms / ideal).toFixed(2)}`);
console.log(
  JSON.stringify({
    bench: 'nautobot',
    records: run.records,
    requests: run.requests,
    ms: Math.round(run.ms),
    ideal,
    ratio: Number(ratio.toFixed(3)),
    floorMs: Math.round(floor.ms),
    adjusted: Number(adjusted.toFixed(3)),
    replayMs: Math.round(replayed.ms),
  }),
);

if (run.records !== expected) {
  console.log(`FAIL: read ${run.records} interfaces, expected ${expected}`);
  process.exit(1);
}
if (ratio > TARGET_RATIO) {
  console.log(`FAIL: ratio ${ratio.toFixed(2)} above ${TARGET_RATIO}`);
  process.exit(1);
}
