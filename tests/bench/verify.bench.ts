// What the check after every sync costs: configs/nautobot-to-infrahub synced from the Nautobot
// stand-in serving the bench dataset (1,000 devices, 50,000 interfaces, 20,000 IP addresses) into
// an empty Infrahub stand-in (configs/schemas), each stand-in its own process, then a change of
// 1% of the interfaces synced again. Each sync reads back what it wrote and diffs again; the target
// is on that read-back: at most 15% of the sync's time. A run without it (--no-verify) of the
// second case is timed too, for the ratio to a sync that does not check itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../shared/config/index.js';
import { silentLogger } from '../../shared/log.js';
import { runLocal } from '../../shared/runtime/local/index.js';
import type { RunReport } from '../../shared/runtime/steps/index.js';
import { writeSourceDataset } from '../standins/rest-common/source-dataset.js';
import { generateDataset } from '../standins/dataset/index.js';
import { renderNautobot } from '../standins/dataset/render-nautobot.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'bench-token';
const SIZE = (process.env.BENCH_SIZE ?? 'bench') as 'bench' | 'small' | 'tiny';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const MAX_SHARE = 0.15;

function start(cli: string, args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, cli), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) {
        resolve({
          url: m[1],
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${cli} exited with ${code}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'verify-bench-'));
let ok = true;
const stops: (() => Promise<void>)[] = [];
try {
  const data = join(dir, 'dataset');
  await writeSourceDataset(data, renderNautobot(generateDataset({ size: SIZE, seed: 1 })));
  const nautobot = await start('tests/standins/nautobot/cli.ts', ['--dataset', data, '--token', TOKEN, '--port', '0']);
  stops.push(nautobot.stop);
  const infrahub = await start('tests/standins/infrahub/cli.ts', ['--schema', join(ROOT, 'configs/schemas'), '--token', TOKEN, '--latency-ms', String(LATENCY_MS)]);
  stops.push(infrahub.stop);
  const loaded = await loadConfigFile(join(ROOT, 'configs/nautobot-to-infrahub/config.yml'));
  const env = { NAUTOBOT_ADDRESS: nautobot.url, NAUTOBOT_TOKEN: TOKEN, INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: TOKEN };
  const sync = async (verify: boolean): Promise<{ ms: number; report: RunReport }> => {
    const t0 = performance.now();
    const { report } = await runLocal({ loaded, mode: 'sync', force: true, verify, store: join(dir, 'store'), env, logger: silentLogger });
    return { ms: performance.now() - t0, report };
  };
  const line = (what: string, r: { ms: number; report: RunReport }) => {
    const verifyMs = r.report.timings?.verifyMs ?? 0;
    const share = verifyMs / r.ms;
    const a = r.report.applied;
    console.log(
      `${what}: ${(r.ms / 1000).toFixed(1)} s, created ${a.create}, updated ${a.update}, failed ${r.report.failed}; ` +
        `verify ${(verifyMs / 1000).toFixed(2)} s (${r.report.verify?.checked ?? 0} records read back, converged ${String(r.report.verify?.converged)}) = ` +
        `${(share * 100).toFixed(1)}% of the sync (target <= ${MAX_SHARE * 100}%)`,
    );
    if (r.report.failed > 0 || r.report.verify?.converged !== true) {
      console.log(`FAIL: ${what} did not converge: ${JSON.stringify(r.report.verify?.notConverged.slice(0, 3) ?? r.report.failures.slice(0, 3))}`);
      ok = false;
    }
    if (share > MAX_SHARE) {
      console.log(`FAIL: verify took ${(share * 100).toFixed(1)}% of the sync`);
      ok = false;
    }
  };
  console.log(`dataset ${SIZE}, Infrahub stand-in at ${LATENCY_MS} ms per request`);
  line('first sync (everything created)', await sync(true));

  // 1% of the interfaces get a new description: a sync of updates, read back by node id.
  const file = join(data, 'nautobot', 'dcim.interfaces.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { description?: string }[];
  rows.forEach((r, i) => {
    if (i % 100 === 0) r.description = `bench change ${i}`;
  });
  writeFileSync(file, JSON.stringify(rows));
  await nautobot.stop();
  stops.shift();
  const restarted = await start('tests/standins/nautobot/cli.ts', ['--dataset', data, '--token', TOKEN, '--port', String(new URL(nautobot.url).port)]);
  stops.unshift(restarted.stop);
  line('second sync (1% of interfaces updated)', await sync(true));
  rows.forEach((r, i) => {
    if (i % 100 === 0) r.description = `bench change again ${i}`;
  });
  writeFileSync(file, JSON.stringify(rows));
  await restarted.stop();
  stops.shift();
  const again = await start('tests/standins/nautobot/cli.ts', ['--dataset', data, '--token', TOKEN, '--port', String(new URL(nautobot.url).port)]);
  stops.unshift(again.stop);
  const unchecked = await sync(false);
  console.log(`the same kind of sync with --no-verify: ${(unchecked.ms / 1000).toFixed(1)} s, updated ${unchecked.report.applied.update}`);
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
