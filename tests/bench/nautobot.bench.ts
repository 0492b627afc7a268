// Benchmark: 50,000 Nautobot interfaces (dataset "bench") read through the Nautobot stand-in
// with 30 ms of latency per request, with the interface mapping of infrahub-sync's
// nautobot-v2 example. Target (issue 4): the read takes at most 1.5 x the latency bound
// ceil(pages / concurrency) x latency, i.e. pages really go in parallel.
//
// The stand-in runs in its own process (its CLI, over a dataset directory written once), so
// this process measures only the adapter: requests, waiting, reading and parsing the JSON.
// Both processes still share the machine's cores. The stand-in is warmed by one full read
// first (it renders each object once and then serves cached JSON), as a real server's
// rendering cost is not the adapter's. The same read at 0 ms latency is the CPU floor: what
// the pages cost to move and parse however short the latency.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createNautobotAdapter } from '../../shared/adapters/nautobot/index.js';
import type { LoadField } from '../../shared/adapters/types.js';
import { silentLogger } from '../../shared/log.js';
import { COUNTERS_PATH, type Counters } from '../standins/rest-common/http-server.js';

const LATENCY_MS = 30;
const CONCURRENCY = 8;
const PAGE_SIZE = 1000;
const TARGET_RATIO = 1.5;
const READS = 3;
const TOKEN = 'b3nch000000000000000000000000000000000000';
const PATH = '/api/dcim/interfaces/';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

function runTsx(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function writeDataset(dir: string): Promise<number> {
  const child = runTsx('tests/standins/dataset/cli.ts', ['--size', 'bench', '--seed', '1', '--out', dir]);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const m = /(\d+) interfaces/.exec(out);
  if (code !== 0 || !m) throw new Error(`dataset generation failed (exit ${code}): ${out}`);
  return Number(m[1]);
}

/** CPU time (user + system) a child process has used, in ms; Linux only, else NaN. */
async function cpuOf(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return NaN;
  }
}

interface Standin {
  url: string;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

async function startStandin(dir: string, latencyMs: number): Promise<Standin> {
  const child = runTsx('tests/standins/nautobot/cli.ts', [
    '--dataset', dir, '--port', '0', '--token', TOKEN, '--latency-ms', String(latencyMs),
  ]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`stand-in exited (${code}) before listening`)));
  });
  return {
    url,
    cpuMs: () => cpuOf(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function counters(url: string): Promise<{ requests: number; bytes: number; peakInFlight: number }> {
  const c = (await (await fetch(`${url}${COUNTERS_PATH}`)).json()) as Counters;
  return { requests: c.byPath[PATH] ?? 0, bytes: c.bytes, peakInFlight: c.peakInFlight };
}

interface Read {
  ms: number;
  cpuMs: number;
  standinCpuMs: number;
  records: number;
  requests: number;
  bytes: number;
  /** Most requests the stand-in had open at once since it started. */
  peakInFlight: number;
}

async function timedReads(dir: string, latencyMs: number): Promise<Read[]> {
  const standin = await startStandin(dir, latencyMs);
  const adapter = createNautobotAdapter(
    { name: 'nautobot', settings: { url: standin.url, token: TOKEN, page_size: PAGE_SIZE, concurrency: CONCURRENCY } },
    { configDir: ROOT, env: {}, logger: silentLogger },
  );
  const read = () => adapter.load({ side: 'source', model: 'InfraInterfaceL2L3', path: 'dcim.interfaces', fields });
  try {
    await read(); // fills the stand-in's render cache, warms this process's code paths
    const out: Read[] = [];
    for (let i = 0; i < READS; i++) {
      // Start each read from a clean heap, as a sync run does; the last read's records are garbage.
      (globalThis as { gc?: () => void }).gc?.();
      const before = await counters(standin.url);
      const standinCpu = await standin.cpuMs();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const records = await read();
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const after = await counters(standin.url);
      const standinCpuMs = (await standin.cpuMs()) - standinCpu;
      out.push({
        ms,
        cpuMs: (used.user + used.system) / 1000,
        standinCpuMs,
        records: records.length,
        requests: after.requests - before.requests,
        bytes: after.bytes - before.bytes,
        peakInFlight: after.peakInFlight,
      });
    }
    return out;
  } finally {
    await adapter.close?.();
    await standin.stop();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const span = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

const dir = await mkdtemp(join(tmpdir(), 'nautobot-bench-'));
let exitCode = 0;
try {
  const expected = await writeDataset(dir);
  const run = await timedReads(dir, LATENCY_MS);
  const floorRuns = await timedReads(dir, 0);

  const ms = median(run.map((r) => r.ms));
  const floor = median(floorRuns.map((r) => r.ms));
  const cpuMs = median(run.map((r) => r.cpuMs));
  const standinCpuMs = median(run.map((r) => r.standinCpuMs));
  const pages = median(run.map((r) => r.requests));
  const bytes = median(run.map((r) => r.bytes));
  const records = Math.min(...run.map((r) => r.records));
  const bound = Math.ceil(pages / CONCURRENCY) * LATENCY_MS;
  const ratio = ms / bound;
  const adjusted = ms / (bound + floor);

  console.log(`interfaces: ${records} of ${expected}`);
  console.log(`requests: ${pages} (pages of up to ${PAGE_SIZE}, concurrency ${CONCURRENCY}), ${(bytes / 1e6).toFixed(1)} MB of JSON`);
  console.log(`requests in flight at once (stand-in's count): at most ${Math.max(...run.map((r) => r.peakInFlight))}`);
  console.log(`time at ${LATENCY_MS} ms latency: ${ms.toFixed(0)} ms (median of ${READS}, range ${span(run.map((r) => r.ms))})`);
  console.log(`latency bound ceil(pages / concurrency) x latency: ${bound} ms`);
  console.log(`ratio: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
  console.log(`cpu floor (same read at 0 ms latency): ${floor.toFixed(0)} ms (range ${span(floorRuns.map((r) => r.ms))})`);
  console.log(`ratio to bound + cpu floor: ${adjusted.toFixed(2)}`);
  console.log(
    `adapter process CPU per read: ${cpuMs.toFixed(0)} ms (${((bytes / 1e6) / (cpuMs / 1000)).toFixed(0)} MB/s of JSON); ` +
      `${availableParallelism()} cores shared with the stand-in process`,
  );
  console.log(`stand-in process CPU per read: ${standinCpuMs.toFixed(0)} ms`);
  console.log(`machine load average (1 min) at the end: ${(loadavg()[0] ?? NaN).toFixed(1)} on ${availableParallelism()} cores`);
  console.log(
    JSON.stringify({
      bench: 'nautobot',
      records,
      requests: pages,
      bytes,
      ms: Math.round(ms),
      bound,
      ratio: Number(ratio.toFixed(3)),
      floorMs: Math.round(floor),
      adjusted: Number(adjusted.toFixed(3)),
      cpuMs: Math.round(cpuMs),
      standinCpuMs: Math.round(standinCpuMs),
    }),
  );
  if (records !== expected) {
    console.log(`FAIL: read ${records} interfaces, expected ${expected}`);
    exitCode = 1;
  } else if (ratio > TARGET_RATIO) {
    console.log(
      `FAIL: ratio ${ratio.toFixed(2)} above ${TARGET_RATIO}: moving and parsing ${(bytes / 1e6).toFixed(0)} MB of JSON ` +
        `takes ${floor.toFixed(0)} ms even at 0 ms latency, more than the ${bound} ms latency bound`,
    );
    exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(exitCode);
