// One Lambda execution environment for a synthesized function: the AWS Lambda Runtime Interface
// Emulator (aws-lambda-rie, which serves the Runtime API) starting the managed runtime's process:
// Node 22 running aws-lambda-ric with the function's handler, from the function's asset folder,
// with the heap flags the nodejs22.x bootstrap derives from the memory size, and the environment
// Lambda would give it (the template's variables plus Lambda's own).
// Two limits are enforced here rather than by RIE:
// - the timeout: Lambda counts it from the moment the invoke reaches an initialised runtime (init
//   has its own 10 s budget), RIE from before init. RIE gets Timeout + 30 s as a backstop (a cold
//   start on a busy two-core machine can need more than Lambda's 10 s; init is measured, not
//   limited to 10 s); the runtime is killed (SIGKILL, as Lambda does) Timeout seconds after
//   RIE's "INVOKE START". So context.getRemainingTimeInMillis() reads up to 30 s long.
// - the memory size: the runtime is killed when its resident memory passes it, as Lambda kills a
//   sandbox that runs out of memory (RIE does not limit memory).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { dirname } from 'node:path';
import type { LambdaTools } from '../../helpers/tools.js';

export interface FunctionConfig {
  logicalId: string;
  /** Physical name (what Ref gives). */
  name: string;
  arn: string;
  assetDir: string;
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The template's Environment.Variables, resolved. */
  environment: Record<string, string>;
  reservedConcurrency?: number;
  logGroup: string;
}

/** What the harness adds to every function: where AWS is (moto), and the credentials Lambda
 *  would hand the function's role. */
export interface AwsContext {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export type InvokeStatus = 'ok' | 'error' | 'timeout' | 'crashed';

export interface InvokeResult {
  status: InvokeStatus;
  /** The response payload, parsed when JSON. */
  payload: unknown;
  raw: string;
  requestId: string;
  durationMs: number;
  /** Set on the invoke that initialised the environment (a cold start). */
  initMs?: number;
  /** Peak resident memory of the runtime process so far (Lambda's "Max Memory Used"). */
  maxMemoryMb: number;
  /** Why the runtime was killed, when it was. */
  killed?: 'timeout' | 'out-of-memory';
}

export type LogSink = (fn: string, line: string) => void;

/** What RIE may spend on init besides the timeout (Lambda's own limit is 10 s). */
export const INIT_BUDGET_SECONDS = 30;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error('aws-lambda-rie exited while starting');
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`aws-lambda-rie did not listen on ${port} within ${ms} ms`);
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The heap flags of the nodejs22.x runtime's bootstrap, from the function's memory size. */
export function nodeHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** The environment Lambda gives a nodejs22.x function: its own variables, then the reserved ones. */
export function lambdaEnvironment(cfg: FunctionConfig, aws: AwsContext, tools: LambdaTools): Record<string, string> {
  return {
    ...cfg.environment,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: `${dirname(tools.ric)}:${cfg.assetDir}`,
    LAMBDA_TASK_ROOT: cfg.assetDir,
    LAMBDA_RUNTIME_DIR: dirname(tools.ric),
    _HANDLER: cfg.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${cfg.runtime}`,
    AWS_REGION: aws.region,
    AWS_DEFAULT_REGION: aws.region,
    AWS_LAMBDA_FUNCTION_NAME: cfg.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(cfg.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: cfg.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: aws.credentials.sessionToken,
    // Not in Lambda: where the AWS SDK finds moto, and RIE's deadline (init included; see above).
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(cfg.timeoutSeconds + INIT_BUDGET_SECONDS),
  };
}

export class ExecutionEnvironment {
  /** Taken by a caller (the function's pool) for one invoke. */
  leased = false;
  private running = false;
  private readonly initReports: number[] = [];
  private logBuffer = '';
  private maxKb = 0;
  private oomKilled = false;
  private timedOut = false;
  /** Set while an invoke runs: starts the timeout clock when RIE hands the event to the runtime. */
  private onInvokeStart?: () => void;
  private stopped = false;

  private constructor(
    readonly cfg: FunctionConfig,
    private readonly child: ChildProcess,
    private readonly port: number,
  ) {}

  static async start(cfg: FunctionConfig, aws: AwsContext, tools: LambdaTools, log: LogSink): Promise<ExecutionEnvironment> {
    for (let attempt = 0; ; attempt++) {
      const [apiPort, invokePort] = [await freePort(), await freePort()];
      const child = spawn(
        tools.rie,
        [
          '--log-level', 'info',
          '--runtime-api-address', `127.0.0.1:${apiPort}`,
          '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`,
          tools.node, '--expose-gc', '--max-http-header-size=81920', ...nodeHeapFlags(cfg.memoryMb), tools.ric, cfg.handler,
        ],
        { cwd: cfg.assetDir, env: lambdaEnvironment(cfg, aws, tools), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const env = new ExecutionEnvironment(cfg, child, invokePort);
      const onData = (chunk: Buffer) => env.onOutput(chunk.toString(), log);
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      try {
        await waitForPort(invokePort, child, 10_000);
        return env;
      } catch (err) {
        child.kill('SIGKILL');
        // Another process took one of the two ports between our probe and RIE's bind.
        if (attempt >= 3) throw new Error(`${cfg.logicalId}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  private onOutput(text: string, log: LogSink): void {
    this.logBuffer += text;
    const lines = this.logBuffer.split('\n');
    this.logBuffer = lines.pop() ?? '';
    for (const line of lines) {
      // RIE's rapid log: "INIT REPORT(durationMs: 140.073000)"
      const init = /INIT REPORT\(durationMs: ([\d.]+)\)/.exec(line);
      if (init) this.initReports.push(Number(init[1]));
      if (/\(rapid\) INVOKE START\(requestId:/.test(line)) this.onInvokeStart?.();
      log(this.cfg.logicalId, line);
    }
  }

  private runtimePids(): number[] {
    const pid = this.child.pid;
    return pid === undefined ? [] : childrenOf(pid);
  }

  private sampleMemory(): number {
    let rss = 0;
    for (const pid of this.runtimePids()) {
      rss += memoryKb(pid, 'VmRSS');
      this.maxKb = Math.max(this.maxKb, memoryKb(pid, 'VmHWM'));
    }
    this.maxKb = Math.max(this.maxKb, rss);
    return rss;
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    if (this.running) throw new Error(`${this.cfg.logicalId}: an environment runs one invoke at a time`);
    this.running = true;
    const requestId = randomUUID();
    const initsBefore = this.initReports.length;
    const started = performance.now();
    this.oomKilled = false;
    this.timedOut = false;
    const limitKb = this.cfg.memoryMb * 1024;
    const kill = () => {
      for (const pid of this.runtimePids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const watchdog = setInterval(() => {
      if (this.sampleMemory() > limitKb) {
        this.oomKilled = true;
        kill();
      }
    }, 20);
    let deadline: NodeJS.Timeout | undefined;
    let invokeStarted: number | undefined;
    this.onInvokeStart = () => {
      invokeStarted = performance.now();
      deadline = setTimeout(() => {
        this.timedOut = true;
        kill();
      }, this.cfg.timeoutSeconds * 1000);
    };
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Amzn-RequestId': requestId },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.cfg.timeoutSeconds * 1000 + 30_000),
      });
      const raw = await res.text();
      clearTimeout(deadline);
      this.sampleMemory();
      // Lambda's Duration: from the invoke reaching the runtime (after any init).
      const durationMs = performance.now() - (invokeStarted ?? started);
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // not JSON: a timeout notice or a runtime failure
      }
      let status: InvokeStatus = 'ok';
      let killed: InvokeResult['killed'];
      if (this.oomKilled) {
        status = 'crashed';
        killed = 'out-of-memory';
      } else if (this.timedOut || /^Task timed out after/.test(raw)) {
        status = 'timeout';
        killed = 'timeout';
      } else if (res.status >= 400) status = 'crashed';
      else if (isErrorPayload(parsed)) status = 'error';
      const initMs = this.initReports.length > initsBefore ? this.initReports[this.initReports.length - 1] : undefined;
      const maxMemoryMb = this.maxKb / 1024;
      // A killed runtime starts afresh (a new init) on the next invoke, as Lambda resets the sandbox.
      if (killed) this.maxKb = 0;
      return { status, payload: parsed, raw, requestId, durationMs, initMs, maxMemoryMb, killed };
    } finally {
      clearInterval(watchdog);
      clearTimeout(deadline);
      this.onInvokeStart = undefined;
      this.running = false;
    }
  }

  /** Peak resident memory of the runtime process in MB (0 before the first invoke). */
  get maxMemoryMb(): number {
    this.sampleMemory();
    return this.maxKb / 1024;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const runtimes = this.runtimePids();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    for (const pid of runtimes) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function isErrorPayload(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'errorType' in v && 'errorMessage' in v;
}
