// Diff + plan over 10 models x 100,000 records per side (1% updates, 0.5% creates, 0.5% deletes,
// flags NONE). Targets: under 5 s and under 1.5 GB peak RSS. Normalisation is benched elsewhere.
import type { SyncConfig } from '../../shared/config/types.js';
import { diffModel, type ModelDiff } from '../../shared/diff/diff-model.js';
import { resolveFlags } from '../../shared/diff/flags.js';
import { buildPlan } from '../../shared/diff/plan.js';
import type { SyncRecord } from '../../shared/diff/types.js';

const MODELS = 10;
const PER_SIDE = 100_000;
const MAX_SECONDS = 5;
const MAX_RSS_KB = 1.5 * 1024 * 1024;

const modelName = (m: number): string => `BenchModel${m}`;

function record(m: number, i: number, side: 'src' | 'dst', changed: boolean): SyncRecord {
  // Built per side (no shared strings), as two JSON snapshots would be.
  const key = `dev-${m}-${i}`;
  return {
    model: modelName(m),
    key,
    ids: { name: key },
    attrs: {
      description: changed ? `changed ${i}` : `device number ${i} of model ${m}`,
      status: i % 3 === 0 ? 'active' : 'planned',
      serial: `SN${(i * 7919) % 1_000_003}`,
      parent: m > 0 ? `dev-${m - 1}-${i % 1000}` : null,
      tags: [`tag-${i % 7}`, `tag-${(i % 7) + 10}`],
    },
    localId: side === 'dst' ? `node-${m}-${i}` : `${i}`,
  };
}

/** Source: keys 0..99,499 plus 500 new ones; destination: keys 0..99,499 plus 500 only it has. */
function sides(m: number): { src: SyncRecord[]; dst: SyncRecord[] } {
  const shared = PER_SIDE - PER_SIDE / 200;
  const src: SyncRecord[] = [];
  const dst: SyncRecord[] = [];
  for (let i = 0; i < shared; i++) {
    src.push(record(m, i, 'src', i % 100 === 0));
    dst.push(record(m, i, 'dst', false));
  }
  for (let i = shared; i < PER_SIDE; i++) {
    src.push(record(m, i, 'src', false));
    dst.push(record(m, i + PER_SIDE, 'dst', false));
  }
  return { src, dst };
}

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
      ...(m > 0 ? [{ name: 'parent', mapping: 'parent', hasStatic: false, reference: modelName(m - 1) }] : []),
    ],
  })),
};

const data = Array.from({ length: MODELS }, (_, m) => sides(m));
const flags = resolveFlags(config.diffsync_flags);

// Settle the garbage the generator left behind (run.ts passes --expose-gc) so it is not billed
// to the diff.
(globalThis as { gc?: () => void }).gc?.();
const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
const cpuStarted = process.cpuUsage();
const started = process.hrtime.bigint();
const diffs = new Map<string, ModelDiff>();
for (let m = 0; m < MODELS; m++) {
  const d = data[m] as { src: SyncRecord[]; dst: SyncRecord[] };
  diffs.set(modelName(m), diffModel(modelName(m), d.src, d.dst, flags));
}
const plan = buildPlan({ runId: 'bench', config, diffs });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
// CPU time says how much of the wall time was ours when other processes share the machine.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

const records = MODELS * PER_SIDE * 2;
const rssKb = process.resourceUsage().maxRSS;
const s = plan.summary;
const expected = { create: MODELS * 500, update: MODELS * 995, delete: MODELS * 500 };
console.log(`records compared: ${records} (${MODELS} models x ${PER_SIDE} per side)`);
console.log(`summary: create=${s.create} update=${s.update} delete=${s.delete} no-change=${s['no-change']} skip=${s.skip}`);
console.log(`stages: ${plan.stages.length}, checksum ${plan.checksum.slice(0, 12)}`);
console.log(
  `diff + plan: ${seconds.toFixed(3)} s wall (${cpuSeconds.toFixed(3)} s CPU, all threads), ` +
    `${Math.round(records / seconds).toLocaleString('en-US')} records/s`,
);
console.log(
  `peak RSS: ${(rssKb / 1024).toFixed(0)} MB (the generated records alone: ${rssBeforeMb.toFixed(0)} MB before the diff)`,
);

const failures: string[] = [];
if (s.create !== expected.create || s.update !== expected.update || s.delete !== expected.delete) {
  failures.push(`unexpected summary, wanted ${JSON.stringify(expected)}`);
}
if (seconds > MAX_SECONDS) failures.push(`took ${seconds.toFixed(3)} s > ${MAX_SECONDS} s`);
if (rssKb > MAX_RSS_KB) failures.push(`peak RSS ${(rssKb / 1024).toFixed(0)} MB > 1536 MB`);
if (failures.length > 0) {
  console.log(`FAIL: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK: under ${MAX_SECONDS} s and 1536 MB`);
