// Issue 2's core target: normalise + diff + plan of 10 models x 100,000 records per side
// (1% updates, 0.5% creates, 0.5% deletes) in at most 5 s and 1.5 GB peak RSS. Runs planRun,
// the step the diff Lambda and the CLI run, on raw snapshots shaped as the adapters return them
// (source: nested objects and dotted paths; destination: Infrahub-style peer ids).
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { LoadedConfig, SyncConfig } from '../../shared/config/types.js';
import type { RawRecord } from '../../shared/adapters/types.js';
import { planRun } from '../../shared/runtime/steps/plan.js';
import type { RawSnapshot } from '../../shared/runtime/steps/types.js';

const MODELS = 10;
const PER_SIDE = 100_000;
const MAX_SECONDS = 5;
const MAX_RSS_KB = 1.5 * 1024 * 1024;
const SHARED = PER_SIDE - PER_SIDE / 200; // the last 0.5% differ: creates on one side, deletes on the other

const modelName = (m: number) => `BenchModel${m}`;

const config: SyncConfig = {
  name: 'bench',
  source: { name: 'nautobot', settings: {} },
  destination: { name: 'infrahub', settings: {} },
  order: [],
  diffsync_flags: ['NONE'],
  guardrails: { max_delete_percent: 100, allow_empty_source: false },
  schema_mapping: Array.from({ length: MODELS }, (_, m) => ({
    name: modelName(m),
    mapping: `bench.model${m}`,
    identifiers: ['name'],
    filters: [],
    transforms: [],
    fields: [
      { name: 'name', mapping: 'name', hasStatic: false },
      { name: 'description', mapping: 'description', hasStatic: false },
      { name: 'status', mapping: 'status.value', hasStatic: false },
      { name: 'vendor', mapping: 'device_type.manufacturer.name', hasStatic: false },
      { name: 'kind', static: 'device', hasStatic: true },
      ...(m > 0 ? [{ name: 'parent', mapping: 'parent', reference: modelName(m - 1), hasStatic: false }] : []),
    ],
  })),
};
const loaded: LoadedConfig = { config, file: '<bench>', dir: '.', warnings: [] };

function sourceRaw(m: number, i: number): RawRecord {
  return {
    id: i,
    name: `dev-${m}-${i}`,
    description: i % 100 === 0 && i < SHARED ? `changed ${i}` : `device number ${i} of model ${m}`,
    status: { value: i % 3 === 0 ? 'active' : 'planned', label: 'x' },
    device_type: { id: i % 50, manufacturer: { id: i % 5, name: `vendor-${i % 5}` } },
    parent: m > 0 ? { id: i % 1000 } : null,
  };
}

function destinationRaw(m: number, i: number): RawRecord {
  return {
    id: `node-${m}-${i}`,
    name: `dev-${m}-${i}`,
    description: `device number ${i} of model ${m}`,
    status: i % 3 === 0 ? 'active' : 'planned',
    vendor: `vendor-${i % 5}`,
    kind: 'device',
    parent: m > 0 ? { id: `node-${m - 1}-${i % 1000}` } : null,
  };
}

function snapshots(): RawSnapshot[] {
  const out: RawSnapshot[] = [];
  for (let m = 0; m < MODELS; m++) {
    const src: RawRecord[] = [];
    const dst: RawRecord[] = [];
    for (let i = 0; i < PER_SIDE; i++) {
      src.push(sourceRaw(m, i));
      dst.push(destinationRaw(m, i < SHARED ? i : i + PER_SIDE));
    }
    out.push({ model: modelName(m), side: 'source', requests: [], raws: [src] });
    out.push({ model: modelName(m), side: 'destination', requests: [], raws: [dst] });
  }
  return out;
}

// Where the time goes besides our own code: every GC pause during the measured call.
const gcs: PerformanceEntry[] = [];
const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
gcObserver.observe({ entryTypes: ['gc'] });

const snaps = snapshots();
const inputRssMb = process.memoryUsage().rss / 1024 / 1024;
(globalThis as { gc?: () => void }).gc?.();
const heap0 = process.memoryUsage();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { plan } = planRun(loaded, 'bench', snaps);
const t1 = performance.now();
const seconds = (t1 - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const rssKb = process.resourceUsage().maxRSS;
const heap1 = process.memoryUsage();
const records = MODELS * PER_SIDE * 2;
// GC entries arrive asynchronously; let them in before reading.
await new Promise((resolve) => setTimeout(resolve, 50));
gcObserver.disconnect();

console.log(`records normalised, diffed and planned: ${records.toLocaleString()} (both sides)`);
console.log(`plan: ${JSON.stringify(plan.summary)} in ${plan.stages.length} stages`);
console.log(`time: ${seconds.toFixed(2)} s (target ${MAX_SECONDS} s), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
console.log(`throughput: ${Math.round(records / seconds).toLocaleString()} records/s`);
console.log(`peak RSS: ${(rssKb / 1024).toFixed(0)} MB (target ${MAX_RSS_KB / 1024} MB), of which the generated input ~${inputRssMb.toFixed(0)} MB`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `heap during the call: used ${mb(heap0.heapUsed)} -> ${mb(heap1.heapUsed)} ` +
    `(+${((heap1.heapUsed - heap0.heapUsed) / records).toFixed(0)} bytes a record), ` +
    `off-heap ${mb(heap0.external + heap0.arrayBuffers)} -> ${mb(heap1.external + heap1.arrayBuffers)}`,
);
// detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental marking, 8 weak callbacks.
const during = gcs.filter((e) => e.startTime >= t0 && e.startTime <= t1);
const gcKinds = new Map<string, { n: number; ms: number }>();
for (const e of during) {
  const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  const name = kind === 1 ? 'scavenge' : kind === 2 ? 'mark-compact' : kind === 4 ? 'incremental marking' : `kind ${kind}`;
  const k = gcKinds.get(name) ?? { n: 0, ms: 0 };
  k.n++;
  k.ms += e.duration;
  gcKinds.set(name, k);
}
const gcMs = during.reduce((sum, e) => sum + e.duration, 0);
console.log(
  `GC pauses during the call: ${gcMs.toFixed(0)} ms (${((gcMs / (t1 - t0)) * 100).toFixed(0)}% of wall time)` +
    (gcKinds.size ? `: ${[...gcKinds].map(([name, k]) => `${k.n} ${name} ${k.ms.toFixed(0)} ms`).join(', ')}` : ''),
);
const expected = { create: 5_000, update: 9_950, delete: 5_000 };
const ok =
  plan.summary.create === expected.create &&
  plan.summary.update === expected.update &&
  plan.summary.delete === expected.delete;
if (!ok) console.log(`unexpected summary, wanted ${JSON.stringify(expected)}`);
process.exit(ok && seconds <= MAX_SECONDS && rssKb <= MAX_RSS_KB ? 0 : 1);
