// CLI start-up, as a user feels it: `infrahub-sync --version` and a `diff` of configs/file-demo,
// run as separate processes from the compiled dist/ (what `npm ci` builds and the package ships)
// and, side by side, from the TypeScript sources through tsx (how the CLI ran before it was
// compiled). Targets for dist: --version at most 0.3 s and the diff at most 0.8 s of wall time.
//
// The machine is shared: wall time is judged on the fastest of the runs (the one least held up
// by other processes); the median, the CPU time the process itself used, and `node -e 0` (the
// floor no Node program can go under) are printed beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGETS = { version: 0.3, diff: 0.8 };

// Appends the process's own CPU time (ms) to $BENCH_CPU_FILE when it exits.
const CPU_HOOK =
  'data:text/javascript,import {appendFileSync} from "node:fs"; process.on("exit", () => { const u = process.cpuUsage(); ' +
  'appendFileSync(process.env.BENCH_CPU_FILE, (u.user + u.system) / 1000 + "\\n"); });';

interface Sample {
  wall: number[];
  cpu: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]) => Math.min(...xs);
const s = (x: number) => `${x.toFixed(3)} s`;

async function main(): Promise<number> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'ihs-startup-'));
  try {
    const demo = join(work, 'file-demo');
    await cp(join(ROOT, 'configs/file-demo'), demo, { recursive: true });
    const cpuFile = join(work, 'cpu.txt');
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_CPU_FILE: cpuFile };
    delete env.FILE_DEMO_DESTINATION;

    const dist = ['--import', CPU_HOOK, join(ROOT, 'bin/infrahub-sync.js')];
    // tsx resolved from here: the runs happen in a temporary folder with no node_modules.
    const tsx = ['--import', import.meta.resolve('tsx'), '--import', CPU_HOOK, join(ROOT, 'shared/cli/bin.ts')];
    const diffArgs = ['diff', '--config-file', 'config.yml', '--no-show-progress'];
    const cases: Record<string, string[]> = {
      'node -e 0': ['--import', CPU_HOOK, '-e', '0'],
      'dist --version': [...dist, '--version'],
      'tsx --version': [...tsx, '--version'],
      'dist diff file-demo': [...dist, ...diffArgs],
      'tsx diff file-demo': [...tsx, ...diffArgs],
    };
    const samples: Record<string, Sample> = Object.fromEntries(Object.keys(cases).map((k) => [k, { wall: [], cpu: [] }]));
    // Interleaved, so a burst of load from elsewhere falls on every case alike.
    for (let i = 0; i < RUNS; i++) {
      for (const [name, args] of Object.entries(cases)) {
        await writeFile(cpuFile, '');
        const t0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, args, { cwd: demo, env, encoding: 'utf8' });
        const wall = Number(process.hrtime.bigint() - t0) / 1e9;
        if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
        samples[name]!.wall.push(wall);
        samples[name]!.cpu.push(Number((await readFile(cpuFile, 'utf8')).trim()));
      }
    }

    console.log(`${RUNS} runs each; wall: fastest / median; cpu: median of the process's own user+system time`);
    for (const [name, x] of Object.entries(samples)) {
      console.log(`  ${name.padEnd(20)} ${s(min(x.wall))} / ${s(median(x.wall))}   cpu ${(median(x.cpu) / 1000).toFixed(3)} s`);
    }
    const w = (name: string) => min(samples[name]!.wall);
    const floor = w('node -e 0');
    console.log(`tsx / dist (fastest wall): --version ${(w('tsx --version') / w('dist --version')).toFixed(1)} x, diff ${(w('tsx diff file-demo') / w('dist diff file-demo')).toFixed(1)} x`);
    console.log(`dist over bare node: --version +${s(w('dist --version') - floor)}, diff +${s(w('dist diff file-demo') - floor)}`);

    let failed = 0;
    for (const [name, target] of [['dist --version', TARGETS.version], ['dist diff file-demo', TARGETS.diff]] as const) {
      const ok = w(name) <= target;
      if (!ok) failed++;
      console.log(`${ok ? 'met' : 'MISSED'}: ${name} ${s(w(name))} (target ${s(target)})`);
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
