// The deployed stack on Lambda's runtime (tests/lambda/harness), with the default deployment
// settings (plus the two secrets the configs read): what the bundles weigh, how long each
// function takes to initialise, how much memory each uses on the bench dataset (1,000 devices,
// 50,000 interfaces, 20,000 IP addresses) against what it is given, and the time from a trigger
// invocation to the report for the demo dataset (`npm run demo`'s 50 devices), cold and warm.
// Target: every function's peak memory within 70% of its configured memory (30% headroom).
// The stand-ins run in their own processes so the harness keeps its own CPU.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DeploymentSettingsInput } from '../../cdk/settings.js';
import type { Plan } from '../../shared/diff/types.js';
import { getJson } from '../../shared/runtime/ports.js';
import { keys } from '../../shared/runtime/run/keys.js';
import { webhookKey } from '../../shared/runtime/webhook/secret.js';
import type { RunReport } from '../../shared/runtime/steps/index.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { ExecutionEnvironment } from '../lambda/harness/execution-env.js';
import { deployStack, type DeployedStack, type HandlerName } from '../lambda/harness/stack.js';
import { lambdaTools } from '../helpers/tools.js';
import { FAKE_CREDENTIALS, REGION } from '../helpers/moto.js';

const TOKEN = 'bench-token';
const CONFIG = 'nautobot-to-infrahub';
const HEADROOM = 0.3;
const SETTINGS: DeploymentSettingsInput = { secrets: [{ env: 'NAUTOBOT_TOKEN' }, { env: 'INFRAHUB_API_TOKEN' }] };
const BENCH_SIZE = (process.env.BENCH_LAMBDA_SIZE as 'small' | 'bench' | undefined) ?? 'bench';

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function standin(script: string, args: string[]): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: REPO_ROOT,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
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

function dataset(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-dataset-${size}-`));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/standins/dataset/cli.ts'), '--size', size, '--seed', '7', '--out', dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`dataset ${size} failed`);
  return dir;
}

async function withStandins<T>(size: string, run: (nautobot: Server, infrahub: Server) => Promise<T>): Promise<T> {
  const dir = dataset(size);
  const nautobot = await standin('tests/standins/nautobot/cli.ts', ['--dataset', dir, '--token', TOKEN]);
  const infrahub = await standin('tests/standins/infrahub/cli.ts', ['--schema', join(REPO_ROOT, 'configs/schemas'), '--token', TOKEN]);
  try {
    return await run(nautobot, infrahub);
  } finally {
    await Promise.all([nautobot.stop(), infrahub.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pushConfig(stack: DeployedStack, nautobot: string, infrahub: string): Promise<void> {
  const text = readFileSync(join(REPO_ROOT, 'configs', CONFIG, 'config.yml'), 'utf8')
    .replace('${NAUTOBOT_ADDRESS:-http://localhost:8080}', `\${NAUTOBOT_ADDRESS:-${nautobot}}`)
    .replace('${INFRAHUB_ADDRESS:-http://localhost:8000}', `\${INFRAHUB_ADDRESS:-${infrahub}}`);
  await stack.store.put(`configs/${CONFIG}.yml`, text);
}

/** Trigger invocation to report.json, in ms; the report and plan. */
async function timedRun(stack: DeployedStack, timeoutMs: number): Promise<{ ms: number; report: RunReport; plan: Plan }> {
  const started = performance.now();
  const res = await stack.functions.trigger.invoke({ name: CONFIG, mode: 'sync' });
  if (res.status !== 'ok') throw new Error(`trigger failed: ${res.raw}`);
  const ref = { name: CONFIG, runId: (res.payload as { runId: string }).runId };
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const report = await getJson<RunReport>(stack.store, keys.report(ref));
    if (report) {
      const ms = performance.now() - started;
      const plan = await getJson<Plan>(stack.store, keys.plan(ref));
      if (!plan) throw new Error('report without a plan');
      return { ms, report, plan };
    }
    const error = await stack.store.get(keys.error(ref));
    if (error) throw new Error(`run failed: ${error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no report after ${timeoutMs} ms\n${stack.logs().slice(-40).join('\n')}`);
}

/** Cold starts one at a time (no other function starting meanwhile): init as the bundle costs it. */
async function isolatedInits(stack: DeployedStack, samples: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const aws = { endpoint: stack.moto.endpoint, region: REGION, credentials: { ...FAKE_CREDENTIALS, sessionToken: 'x' } };
  for (const [name, fn] of Object.entries(stack.functions)) {
    const inits: number[] = [];
    for (let i = 0; i < samples; i++) {
      const env = await ExecutionEnvironment.start(fn.cfg, aws, lambdaTools(), () => undefined);
      try {
        // An event the handler answers at once (or refuses): the init is what is measured.
        const r = await env.invoke(name === 'webhook' ? { rawPath: '/', headers: {} } : { Records: [] });
        if (r.initMs !== undefined) inits.push(r.initMs);
      } finally {
        await env.stop();
      }
    }
    out[name] = median(inits);
  }
  return out;
}

/** A signed Nautobot webhook for the first device the stand-in serves, POSTed to the function URL. */
async function webhookRun(stack: DeployedStack, nautobot: string): Promise<void> {
  const secret = (await stack.clients.secrets.send(new GetSecretValueCommand({ SecretId: stack.secretArn('WEBHOOK') }))).SecretString ?? '';
  const list = (await (await fetch(`${nautobot}/api/dcim/devices/?limit=1`, { headers: { authorization: `Token ${TOKEN}` } })).json()) as {
    results: { id: string; name: string }[];
  };
  const device = list.results[0];
  if (!device) throw new Error('no device');
  const body = JSON.stringify({
    event: 'updated', timestamp: new Date().toISOString(), model: 'device', username: 'bench', request_id: randomUUID(),
    data: { id: device.id, url: `${nautobot}/api/dcim/devices/${device.id}/`, name: device.name },
  });
  // Signed with the config's own key, derived from the deployment's secret (docs/deploy.md).
  const key = webhookKey(secret, CONFIG);
  if (!key) throw new Error(`no webhook key for ${CONFIG}`);
  const res = await fetch(`${stack.webhookUrl}webhooks/${CONFIG}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hook-signature': createHmac('sha512', key).update(body).digest('hex') },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  const { runId } = (await res.json()) as { runId: string };
  for (let i = 0; i < 1200; i++) {
    if (await stack.store.get(keys.report({ name: CONFIG, runId }))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the webhook run did not end');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

const stack = await deployStack(SETTINGS);
let failed = false;
try {
  await stack.putSecret('NAUTOBOT_TOKEN', TOKEN);
  await stack.putSecret('INFRAHUB_API_TOKEN', TOKEN);

  console.log('bundles (cdk synth asset folders):');
  for (const [name, fn] of Object.entries(stack.functions)) {
    const code = readFileSync(join(fn.cfg.assetDir, 'index.mjs'));
    const map = statSync(join(fn.cfg.assetDir, 'index.mjs.map')).size;
    console.log(`  ${name.padEnd(8)} index.mjs ${mb(code.length)} MB (gzip ${mb(gzipSync(code).length)} MB), source map ${mb(map)} MB`);
  }

  const demo = await withStandins('small', async (nautobot, infrahub) => {
    await pushConfig(stack, nautobot.url, infrahub.url);
    const cold = await timedRun(stack, 600_000);
    const warm = await timedRun(stack, 600_000);
    await webhookRun(stack, nautobot.url);
    return { cold, warm };
  });
  console.log(
    `demo dataset (small: ${demo.cold.plan.summary.create} creates): trigger to report ${(demo.cold.ms / 1000).toFixed(1)} s ` +
      `with cold starts; ${(demo.warm.ms / 1000).toFixed(1)} s for the next run (warm, nothing to change)`,
  );
  if (demo.cold.report.failed > 0 || demo.warm.report.planned.create !== 0) throw new Error('the demo runs did not end as planned');

  const bench = await withStandins(BENCH_SIZE, async (nautobot, infrahub) => {
    await pushConfig(stack, nautobot.url, infrahub.url);
    return timedRun(stack, 3_600_000);
  });
  console.log(
    `${BENCH_SIZE} dataset: ${bench.plan.summary.create} creates applied in ${(bench.ms / 1000).toFixed(0)} s, ` +
      `${bench.report.failed} failed`,
  );
  if (bench.report.failed > 0 || bench.report.applied.create !== bench.plan.summary.create) throw new Error('the bench run did not end as planned');

  const isolated = await isolatedInits(stack, 3);
  console.log('per function: init (cold starts during the runs; one at a time, median of 3), peak memory (max over its environments) / configured');
  for (const [name, fn] of Object.entries(stack.functions) as [HandlerName, DeployedStack['functions'][HandlerName]][]) {
    const s = fn.stats;
    const share = s.maxMemoryMb / fn.cfg.memoryMb;
    const ok = share <= 1 - HEADROOM;
    if (!ok) failed = true;
    console.log(
      `  ${name.padEnd(8)} init median ${median(s.initMs).toFixed(0)} ms (${s.coldStarts} cold starts); alone ${isolated[name]?.toFixed(0)} ms; ` +
        `peak ${s.maxMemoryMb.toFixed(0)} MB / ${fn.cfg.memoryMb} MB = ${(share * 100).toFixed(0)}% ` +
        `${ok ? 'ok' : `MISSES the ${HEADROOM * 100}% headroom`}; ${s.invocations} invocations, ${s.timeouts} timeouts, ${s.crashes} crashes`,
    );
  }
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  await stack.stop();
}
process.exit(failed ? 1 : 0);
