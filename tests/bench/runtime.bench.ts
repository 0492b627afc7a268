// The local runtime end to end: a 100,000-change plan (creates of TestTag from a file source)
// through the load/diff/apply state machine with 4 apply workers, writing to the Infrahub
// stand-in (its own process) at 20 ms per request.
//
// Latency bound of the apply phase: every apply message is one batch file of RUN_BATCH changes;
// the adapter sends it as ceil(RUN_BATCH / MUTATIONS_PER_REQUEST) requests, CONCURRENCY at a
// time, so a message takes at least ceil(requests / CONCURRENCY) x latency, and WORKERS
// messages run at once.
//
// The stand-in's own CPU (one process) can cap throughput below that bound, more so on a busy
// machine; so the same creates are also applied by WORKERS loops calling the adapter directly
// (no store, no queue) against a fresh stand-in. The target is on the runtime's overhead: its
// apply phase may take at most 1.5 x that baseline. Both ratios to the latency bound are printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfrahubAdapter } from '../../shared/adapters/infrahub/index.js';
import type { ApplyContext } from '../../shared/adapters/types.js';
import { parseConfig } from '../../shared/config/load.js';
import type { Change } from '../../shared/diff/types.js';
import { silentLogger } from '../../shared/log.js';
import { runLocal } from '../../shared/runtime/local/index.js';
import type { RunEvent } from '../../shared/runtime/run/types.js';

const STANDIN_CLI = fileURLToPath(new URL('../standins/infrahub/cli.ts', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../integration/adapter-infrahub/schema.yml', import.meta.url));
const TOKEN = 'bench-token';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 100_000);
const WORKERS = 4;
const RUN_BATCH = 500;
const MUTATIONS_PER_REQUEST = 25;
const CONCURRENCY = 4;
const MAX_RATIO = 1.5;

async function startStandin(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', STANDIN_CLI, '--schema', SCHEMA, '--token', TOKEN, '--latency-ms', String(LATENCY_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
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

const name = (i: number) => `tag-${String(i).padStart(6, '0')}`;

/** The same creates as the runtime's, applied by WORKERS loops straight through the adapter. */
async function baseline(url: string): Promise<number> {
  const adapter = new InfrahubAdapter(
    { name: 'infrahub', settings: { url, token: TOKEN, batch_size: MUTATIONS_PER_REQUEST, concurrency: CONCURRENCY } },
    { configDir: '.', env: {}, logger: silentLogger },
  );
  await adapter.open();
  const ctx: ApplyContext = { models: { TestTag: { model: 'TestTag', identifiers: ['name'], references: {} } }, peerId: () => undefined };
  const changes: Change[] = Array.from({ length: CHANGES }, (_, i) => ({
    id: `TestTag/create/${name(i)}`,
    action: 'create',
    model: 'TestTag',
    key: name(i),
    ids: { name: name(i) },
    attrs: {},
  }));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < changes.length) {
        const batch = changes.slice(next, (next += RUN_BATCH));
        const results = await adapter.apply(batch, ctx);
        if (results.some((r) => r.status !== 'applied')) throw new Error('baseline: a create failed');
      }
    }),
  );
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'runtime-bench-'));
let ok = true;
try {
  const source = join(dir, 'source');
  mkdirSync(source);
  writeFileSync(join(source, 'extras.tags.json'), JSON.stringify(Array.from({ length: CHANGES }, (_, i) => ({ id: i + 1, name: name(i) }))));
  const messages = Math.ceil(CHANGES / RUN_BATCH);
  const perMessage = Math.ceil(Math.ceil(RUN_BATCH / MUTATIONS_PER_REQUEST) / CONCURRENCY) * LATENCY_MS;
  const bound = Math.ceil(messages / WORKERS) * perMessage;

  let standin = await startStandin();
  const marks: Record<string, number> = {};
  let total = 0;
  let timings = '';
  try {
    const config = `
name: runtime-bench
source: { name: file, settings: { path: ${source} } }
destination:
  name: infrahub
  settings: { url: ${standin.url}, batch_size: ${MUTATIONS_PER_REQUEST}, concurrency: ${CONCURRENCY}, page_size: 500 }
order: [TestTag]
schema_mapping:
  - name: TestTag
    mapping: extras.tags
    identifiers: [name]
    fields:
      - { name: name, mapping: name }
`;
    const loaded = parseConfig(config, join(dir, 'config.yml'));
    const t0 = performance.now();
    const { report } = await runLocal({
      loaded,
      mode: 'sync',
      store: join(dir, 'store'),
      workers: WORKERS,
      batchSize: RUN_BATCH,
      env: { INFRAHUB_API_TOKEN: TOKEN },
      onEvent: (e: RunEvent) => {
        if (e.type === 'planned') marks.planned = performance.now() - t0;
        if (e.type === 'stage-started' && marks.applyStart === undefined) marks.applyStart = performance.now();
        if (e.type === 'finished') marks.finished = performance.now();
      },
    });
    total = performance.now() - t0;
    timings = JSON.stringify(report.timings);
    if (report.applied.create !== CHANGES || report.failed !== 0) {
      throw new Error(`applied ${report.applied.create} creates, ${report.failed} failures; expected ${CHANGES} and 0`);
    }
  } finally {
    await standin.stop();
  }
  const applyMs = (marks.finished ?? 0) - (marks.applyStart ?? 0);

  standin = await startStandin();
  let baseMs = 0;
  try {
    baseMs = await baseline(standin.url);
  } finally {
    await standin.stop();
  }

  const overhead = applyMs / baseMs;
  const rate = (ms: number) => (CHANGES / (ms / 1000)).toFixed(0);
  console.log(`latency ${LATENCY_MS} ms, ${WORKERS} apply workers, ${RUN_BATCH} changes per batch file, ${MUTATIONS_PER_REQUEST} mutations per request, adapter concurrency ${CONCURRENCY}`);
  console.log(`load + plan ${CHANGES} records: ${(marks.planned ?? 0).toFixed(0)} ms (run timings ${timings})`);
  console.log(`apply via runtime : ${applyMs.toFixed(0)} ms in ${messages} messages, ${rate(applyMs)} changes/s, ratio to latency bound (${bound} ms) ${(applyMs / bound).toFixed(2)}`);
  console.log(`apply via adapter : ${baseMs.toFixed(0)} ms, ${rate(baseMs)} changes/s, ratio to latency bound ${(baseMs / bound).toFixed(2)}`);
  console.log(`runtime overhead  : ${overhead.toFixed(2)} x the direct adapter (target <= ${MAX_RATIO})`);
  console.log(`end to end        : ${total.toFixed(0)} ms, ${rate(total)} changes/s, peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  if (overhead > MAX_RATIO) {
    console.log(`FAIL: runtime overhead ${overhead.toFixed(2)} > ${MAX_RATIO}`);
    ok = false;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
