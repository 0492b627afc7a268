// Infrahub stand-in throughput. Seeds 100,000 nodes through aliased create mutations (in
// process, no latency, saved to a state file), then starts the stand-in CLI from that state in
// its own process at 20 ms latency and reads the nodes back in pages of 1,000, one page at a
// time and 4 pages at a time, then looks nodes up one by one by hfid.
// A trivial request (InfrahubInfo) measured in the same run is the baseline: what HTTP, the
// client and a busy machine add to any request. Targets: seeding >= 5,000 creates/s; a
// 1,000-node page costs <= 15 ms more than the baseline; an hfid lookup <= 3 ms more.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Like the CLI: graphql-js without its development-only checks (set before graphql loads).
process.env.NODE_ENV ??= 'production';
const { DEFAULT_TOKEN, startInfrahubStandin } = await import('../standins/infrahub/index.js');

const SCHEMA = fileURLToPath(new URL('../fixtures/infrahub/standin-test-schema.yml', import.meta.url));
const CLI = fileURLToPath(new URL('../standins/infrahub/cli.ts', import.meta.url));
const NODES = 100_000;
const BATCH = 500;
const PAGE = 1_000;
const LATENCY_MS = 20;
const CONCURRENCY = 4;
const LOOKUPS = 200;
const TARGET_CREATES_PER_S = 5_000;
const TARGET_PAGE_MS = 15;
const TARGET_LOOKUP_MS = 3;

async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: Record<string, unknown>; errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`request failed: ${res.status} ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

async function startCli(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const PAGE_QUERY = `query Page($offset: Int, $limit: Int) { TestPerson(offset: $offset, limit: $limit) { count edges { node {
  id hfid display_label __typename name { value } height { value } status { value } tags { count edges { node { id hfid } } } } } } }`;

async function readAll(url: string, concurrency: number): Promise<number> {
  const offsets = Array.from({ length: NODES / PAGE }, (_, i) => i * PAGE);
  let seen = 0;
  const worker = async (): Promise<void> => {
    for (let o = offsets.shift(); o !== undefined; o = offsets.shift()) {
      const page = (await post(url, PAGE_QUERY, { offset: o, limit: PAGE })).TestPerson as { count: number; edges: unknown[] };
      if (page.count !== NODES) throw new Error(`count ${page.count}, expected ${NODES}`);
      seen += page.edges.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return seen;
}

const dir = mkdtempSync(join(tmpdir(), 'standin-bench-'));
const statePath = join(dir, 'state.json');
let ok = true;
try {
  const writer = await startInfrahubStandin({ schema: SCHEMA, statePath });
  await post(writer.url, `mutation { ${Array.from({ length: 10 }, (_, i) => `t${i}: BuiltinTagCreate(data: {name: {value: "tag${i}"}}) { ok }`).join(' ')} }`);
  let t0 = performance.now();
  for (let start = 0; start < NODES; start += BATCH) {
    const calls: string[] = [];
    for (let i = start; i < Math.min(NODES, start + BATCH); i++) {
      const status = i % 3 === 0 ? 'retired' : 'active';
      calls.push(`m${i}: TestPersonCreate(data: {name: {value: "person-${i}"}, height: {value: ${i % 200}}, status: {value: "${status}"}, tags: [{hfid: ["tag${i % 10}"]}]}) { ok object { id } }`);
    }
    await post(writer.url, `mutation { ${calls.join('\n')} }`);
  }
  const seedMs = performance.now() - t0;
  const createsPerS = NODES / (seedMs / 1000);
  t0 = performance.now();
  await writer.stop();
  const saveMs = performance.now() - t0;

  t0 = performance.now();
  const reader = await startCli(['--schema', SCHEMA, '--state', statePath, '--latency-ms', String(LATENCY_MS)]);
  const startMs = performance.now() - t0;
  try {
    const pages = NODES / PAGE;
    t0 = performance.now();
    for (let i = 0; i < LOOKUPS; i++) await post(reader.url, 'query { InfrahubInfo { version } }');
    const baselineMs = (performance.now() - t0) / LOOKUPS;
    t0 = performance.now();
    if ((await readAll(reader.url, 1)) !== NODES) throw new Error('sequential read missed nodes');
    const seqMs = performance.now() - t0;
    const pageOwnMs = seqMs / pages - baselineMs;

    t0 = performance.now();
    if ((await readAll(reader.url, CONCURRENCY)) !== NODES) throw new Error('concurrent read missed nodes');
    const concMs = performance.now() - t0;
    const concLimit = Math.ceil(pages / CONCURRENCY) * LATENCY_MS;

    t0 = performance.now();
    for (let i = 0; i < LOOKUPS; i++) {
      const n = (i * 7919) % NODES;
      const found = (await post(reader.url, `query { TestPerson(hfid: ["person-${n}"]) { count edges { node { id } } } }`)).TestPerson as { count: number };
      if (found.count !== 1) throw new Error(`hfid lookup person-${n} failed`);
    }
    const lookupOwnMs = (performance.now() - t0) / LOOKUPS - baselineMs;

    console.log(`seed    ${NODES} creates, batches of ${BATCH}: ${seedMs.toFixed(0)} ms, ${createsPerS.toFixed(0)} creates/s (target >= ${TARGET_CREATES_PER_S})`);
    console.log(`base    trivial request at ${LATENCY_MS} ms latency: ${baselineMs.toFixed(2)} ms`);
    console.log(`state   save ${saveMs.toFixed(0)} ms; CLI start from state ${startMs.toFixed(0)} ms`);
    console.log(`read    ${NODES} nodes, ${pages} pages of ${PAGE} at ${LATENCY_MS} ms, one at a time: ${seqMs.toFixed(0)} ms, ${(seqMs / pages).toFixed(1)} ms/page, ${pageOwnMs.toFixed(1)} over baseline (target <= ${TARGET_PAGE_MS})`);
    console.log(`read    same, ${CONCURRENCY} at a time: ${concMs.toFixed(0)} ms (latency-bound limit ${concLimit} ms, ratio ${(concMs / concLimit).toFixed(2)})`);
    console.log(`lookup  ${LOOKUPS} by hfid at ${LATENCY_MS} ms: ${lookupOwnMs.toFixed(2)} ms over baseline (target <= ${TARGET_LOOKUP_MS})`);
    if (createsPerS < TARGET_CREATES_PER_S || pageOwnMs > TARGET_PAGE_MS || lookupOwnMs > TARGET_LOOKUP_MS) ok = false;
  } finally {
    await reader.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (!ok) console.log('FAIL: a target was missed');
process.exit(ok ? 0 : 1);
