// Infrahub adapter throughput against the stand-in at 20 ms per request: 100,000 nodes read and
// 10,000 creates written. Each phase is compared with its latency-bound limit (requests that
// must run one after another x latency); a ratio above 1.5 fails the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfrahubAdapter } from '../../shared/adapters/infrahub/index.js';
import type { ApplyContext } from '../../shared/adapters/types.js';
import type { Change } from '../../shared/diff/types.js';
import { silentLogger } from '../../shared/log.js';

const STANDIN_CLI = fileURLToPath(new URL('../standins/infrahub/cli.ts', import.meta.url));

const SCHEMA = fileURLToPath(new URL('../integration/adapter-infrahub/schema.yml', import.meta.url));
const TOKEN = 'bench-token';
const LATENCY_MS = 20;
const READ_NODES = 100_000;
const WRITES = 10_000;
const PAGE_SIZE = 500;
const BATCH_SIZE = 25;
const CONCURRENCY = 4;
const MAX_RATIO = 1.5;

const ctx: ApplyContext = {
  models: { TestTag: { model: 'TestTag', identifiers: ['name'], references: {} } },
  peerId: () => undefined,
};

function creates(prefix: string, n: number): Change[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `TestTag/create/${prefix}${i}`,
    action: 'create' as const,
    model: 'TestTag',
    key: `${prefix}${i}`,
    ids: { name: `${prefix}${i}` },
    attrs: {},
  }));
}

function adapter(url: string, settings: Record<string, unknown> = {}): InfrahubAdapter {
  return new InfrahubAdapter(
    { name: 'infrahub', settings: { url, token: TOKEN, page_size: PAGE_SIZE, batch_size: BATCH_SIZE, concurrency: CONCURRENCY, ...settings } },
    { configDir: '.', env: {}, logger: silentLogger },
  );
}

/** The stand-in in its own process, as a real server would be: its CPU does not compete with the adapter's. */
async function startStandin(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', STANDIN_CLI, '--schema', SCHEMA, '--token', TOKEN, ...args],
    // NODE_ENV=production drops graphql-js's development-only checks, as a deployed server would.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

interface Phase {
  ms: number;
  requests: number;
  clientCpuMs: number;
}

/** Reads every TestTag and writes WRITES new ones, timing each phase and the adapter's own CPU. */
async function readAndWrite(url: string, prefix: string): Promise<{ read: Phase; write: Phase }> {
  const a = adapter(url);
  await a.open();
  const phase = async (fn: () => Promise<void>): Promise<Phase> => {
    const requests = a.client.requests;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - t0, requests: a.client.requests - requests, clientCpuMs: (used.user + used.system) / 1000 };
  };
  const read = await phase(async () => {
    const records = await a.load({ side: 'destination', model: 'TestTag', path: 'TestTag', fields: [{ name: 'name', path: 'name' }] });
    if (records.length !== READ_NODES) throw new Error(`read ${records.length} nodes, expected ${READ_NODES}`);
  });
  const write = await phase(async () => {
    const written = await a.apply(creates(prefix, WRITES), ctx);
    if (written.some((r) => r.status !== 'applied')) throw new Error('some writes failed');
  });
  return { read, write };
}

const dir = mkdtempSync(join(tmpdir(), 'infrahub-bench-'));
const statePath = join(dir, 'state.json');
let ok = true;
try {
  // Seed without latency and measure the same work with no latency at all (what CPU alone costs,
  // server and adapter together); then restart the stand-in at 20 ms from the saved state.
  const seeder = await startStandin(['--state', statePath]);
  console.log(`seeding ${READ_NODES} nodes...`);
  const seeded = await adapter(seeder.url, { batch_size: 500, concurrency: 8 }).apply(creates('seed', READ_NODES), ctx);
  if (seeded.some((r) => r.status !== 'applied')) throw new Error('seeding failed');
  const cpuBound = await readAndWrite(seeder.url, 'warm');
  // Keep the latency run reading exactly READ_NODES: drop the warm-up writes before saving.
  const cleanup = await adapter(seeder.url, { batch_size: 500 }).apply(
    creates('warm', WRITES).map((c) => ({ ...c, id: c.id.replace('/create/', '/delete/'), action: 'delete' as const })),
    ctx,
  );
  if (cleanup.some((r) => r.status !== 'applied')) throw new Error('cleanup failed');
  await seeder.stop();

  const standin = await startStandin(['--state', statePath, '--latency-ms', String(LATENCY_MS)]);
  let timed: { read: Phase; write: Phase };
  try {
    timed = await readAndWrite(standin.url, 'new');
  } finally {
    await standin.stop();
  }

  const pages = Math.ceil(READ_NODES / PAGE_SIZE);
  const limits = {
    // The first page carries the count; the rest go out CONCURRENCY at a time.
    read: (1 + Math.ceil((pages - 1) / CONCURRENCY)) * LATENCY_MS,
    write: Math.ceil(WRITES / BATCH_SIZE / CONCURRENCY) * LATENCY_MS,
  };
  console.log(`latency ${LATENCY_MS} ms, page_size ${PAGE_SIZE}, batch_size ${BATCH_SIZE}, concurrency ${CONCURRENCY}, ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(1)}`);
  for (const name of ['read', 'write'] as const) {
    const t = timed[name];
    const c = cpuBound[name];
    const n = name === 'read' ? READ_NODES : WRITES;
    const ratio = t.ms / limits[name];
    console.log(
      `${name.padEnd(5)} ${n} ${name === 'read' ? 'nodes' : 'creates'}: ${t.requests} requests, ${t.ms.toFixed(0)} ms, limit ${limits[name]} ms, ratio ${ratio.toFixed(2)}, ` +
        `${(n / (t.ms / 1000)).toFixed(0)}/s; adapter CPU ${t.clientCpuMs.toFixed(0)} ms; same work at 0 ms latency ${c.ms.toFixed(0)} ms`,
    );
    if (ratio > MAX_RATIO) {
      console.log(`FAIL: ${name} ratio ${ratio.toFixed(2)} > ${MAX_RATIO}`);
      ok = false;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
