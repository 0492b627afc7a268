// `diff` of a config with 5,000 models (file adapter on both sides, 2 records per model and
// side), end to end: config parse, one load per model and side through the local runtime,
// planning, the stored plan and diff. Target: under 10 s, and linear in the number of models
// (the per-model time at 5,000 within 2x of the per-model time at 500; a quadratic part makes
// it 10x). Before issue 11's fix: 500 models 6.4 s, 1,000 models 19 s, 5,000 over 300 s.
// CPU is reported with its system part: each load writes a file, and on a file system that
// makes creation slow after many deletions (ext4 without a journal skips recently freed inodes
// one by one) the system part grows with what the machine deleted in the last minutes. So the
// case folders are removed only at the end, not between the sizes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../../shared/config/load.js';
import { runLocal } from '../../shared/runtime/local/index.js';

const SIZES = (process.env.BENCH_MODELS ?? '500,5000').split(',').map(Number);
const MAX_SECONDS = 10;
const MAX_PER_MODEL_RATIO = 2;
/** Reference chains this long (a model references the one before it): ten tiers of stages. */
const CHAIN = 10;

async function writeCase(dir: string, models: number): Promise<string> {
  const src = join(dir, 'src');
  const dst = join(dir, 'dst');
  await mkdir(src, { recursive: true });
  await mkdir(dst, { recursive: true });
  const lines = [
    `name: many-models`,
    `source: { name: file, settings: { path: ./src } }`,
    `destination: { name: file, settings: { path: ./dst } }`,
    `diffsync_flags: ["NONE"]`,
    `guardrails: { max_delete_percent: 100 }`,
    `schema_mapping:`,
  ];
  for (let i = 0; i < models; i++) {
    const refs = i % CHAIN !== 0;
    lines.push(
      `  - name: Kind${i}`,
      `    mapping: table${i}`,
      `    identifiers: ["name"]`,
      `    fields:`,
      `      - name: name`,
      `        mapping: name`,
      `      - name: description`,
      `        mapping: description`,
    );
    if (refs) lines.push(`      - name: peer`, `        mapping: peer`, `        reference: Kind${i - 1}`);
    // Source: "a" (changed description: an update) and "b" (new: a create); destination: "a"
    // and "c" (gone from the source: a delete).
    const peer = refs ? { id: 1 } : null;
    await writeFile(
      join(src, `table${i}.json`),
      JSON.stringify([
        { id: 1, name: `a${i}`, description: 'new', peer },
        { id: 2, name: `b${i}`, description: 'b', peer },
      ]),
    );
    await writeFile(
      join(dst, `Kind${i}.json`),
      JSON.stringify([
        { id: `n${i}a`, name: `a${i}`, description: 'old', ...(refs ? { peer: `a${i - 1}` } : {}) },
        { id: `n${i}c`, name: `c${i}`, description: 'c', ...(refs ? { peer: `a${i - 1}` } : {}) },
      ]),
    );
  }
  const file = join(dir, 'config.yml');
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

interface Result {
  models: number;
  seconds: number;
  cpuSeconds: number;
  /** Of cpuSeconds, the kernel's: file creation mostly (see the header). */
  systemSeconds: number;
  parseSeconds: number;
}

/** Case folders, removed at the end: removing the smaller case's thousands of files just before
 *  the larger one runs slows that run's own file creation (see the header). */
const dirs: string[] = [];

async function measure(models: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-many-models-'));
  dirs.push(dir);
  const file = await writeCase(dir, models);
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const loaded = await loadConfigFile(file);
  const parseSeconds = (performance.now() - started) / 1000;
  const { plan } = await runLocal({ loaded, mode: 'diff', store: join(dir, 'runs') });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const s = plan.summary;
  if (s.create !== models || s.update !== models || s.delete !== models) {
    throw new Error(`unexpected plan for ${models} models: ${JSON.stringify(s)}`);
  }
  return { models, seconds, cpuSeconds: (used.user + used.system) / 1e6, systemSeconds: used.system / 1e6, parseSeconds };
}

const results: Result[] = [];
for (const models of SIZES) {
  let r: Result;
  try {
    r = await measure(models);
  } catch (err) {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    throw err;
  }
  results.push(r);
  console.log(
    `${models} models: ${r.seconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU, all threads, ${r.systemSeconds.toFixed(2)} s of it system; ` +
      `config parse ${r.parseSeconds.toFixed(2)} s), ${((r.seconds / models) * 1000).toFixed(2)} ms per model`,
  );
}

await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));

const failures: string[] = [];
const largest = results[results.length - 1] as Result;
if (largest.models >= 5000 && largest.seconds > MAX_SECONDS) {
  failures.push(`${largest.models} models took ${largest.seconds.toFixed(2)} s > ${MAX_SECONDS} s`);
}
if (results.length >= 2) {
  const small = results[0] as Result;
  // CPU time: the machine is shared, and wall time there says more about the neighbours.
  const ratio = largest.cpuSeconds / largest.models / (small.cpuSeconds / small.models);
  console.log(`per-model CPU time, ${largest.models} vs ${small.models} models: ${ratio.toFixed(2)} x`);
  if (ratio > MAX_PER_MODEL_RATIO) failures.push(`per-model time grew ${ratio.toFixed(2)} x (limit ${MAX_PER_MODEL_RATIO} x): superlinear`);
}
if (failures.length > 0) {
  console.log(`FAIL: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK: under ${MAX_SECONDS} s, per-model time within ${MAX_PER_MODEL_RATIO} x`);
