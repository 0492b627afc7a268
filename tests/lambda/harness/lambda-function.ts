// A deployed function: its execution environments, created on demand (a cold start each) up to
// its reserved concurrency, reused while warm, as Lambda scales a function. Keeps the numbers
// Lambda's REPORT lines give: init duration, duration, max memory used.
import type { LambdaTools } from '../../helpers/tools.js';
import { ExecutionEnvironment, type AwsContext, type FunctionConfig, type InvokeResult, type LogSink } from './execution-env.js';

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  initMs: number[];
  durationsMs: number[];
  maxMemoryMb: number;
  timeouts: number;
  errors: number;
  crashes: number;
}

export class ThrottledError extends Error {
  override name = 'TooManyRequestsException';
}

export class LambdaFunction {
  private readonly envs: ExecutionEnvironment[] = [];
  private readonly waiting: (() => void)[] = [];
  private starting = 0;
  readonly stats: FunctionStats = { invocations: 0, coldStarts: 0, initMs: [], durationsMs: [], maxMemoryMb: 0, timeouts: 0, errors: 0, crashes: 0 };
  /** Called before each invoke; tests use it to hold or fail an invocation at a chosen moment. */
  beforeInvoke?: (payload: unknown) => Promise<void> | void;

  constructor(
    readonly cfg: FunctionConfig,
    private readonly aws: AwsContext,
    private readonly tools: LambdaTools,
    private readonly log: LogSink,
  ) {}

  get concurrencyLimit(): number {
    return this.cfg.reservedConcurrency ?? Number.POSITIVE_INFINITY;
  }

  /** A synchronous invoke (RequestResponse). Waits for a free environment when `wait` is set
   *  (the event source's pollers never exceed the limit); otherwise throttles as Lambda does. */
  async invoke(payload: unknown, opts: { wait?: boolean } = {}): Promise<InvokeResult> {
    const env = await this.acquire(opts.wait ?? false);
    try {
      await this.beforeInvoke?.(payload);
      const result = await env.invoke(payload);
      const s = this.stats;
      s.invocations++;
      s.durationsMs.push(result.durationMs);
      if (result.initMs !== undefined) {
        s.coldStarts++;
        s.initMs.push(result.initMs);
      }
      s.maxMemoryMb = Math.max(s.maxMemoryMb, result.maxMemoryMb);
      if (result.status === 'timeout') s.timeouts++;
      if (result.status === 'error') s.errors++;
      if (result.status === 'crashed') s.crashes++;
      return result;
    } finally {
      this.release(env);
    }
  }

  private async acquire(wait: boolean): Promise<ExecutionEnvironment> {
    for (;;) {
      const idle = this.envs.find((e) => !e.leased);
      if (idle) {
        idle.leased = true;
        return idle;
      }
      if (this.envs.length + this.starting < this.concurrencyLimit) {
        this.starting++;
        try {
          const env = await ExecutionEnvironment.start(this.cfg, this.aws, this.tools, this.log);
          env.leased = true;
          this.envs.push(env);
          return env;
        } finally {
          this.starting--;
        }
      }
      if (!wait) throw new ThrottledError(`Rate Exceeded: ${this.cfg.name} is at its reserved concurrency (${this.concurrencyLimit})`);
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(env: ExecutionEnvironment): void {
    env.leased = false;
    this.waiting.shift()?.();
  }

  get environments(): number {
    return this.envs.length;
  }

  async stop(): Promise<void> {
    await Promise.all(this.envs.map((e) => e.stop()));
    this.envs.length = 0;
  }
}
