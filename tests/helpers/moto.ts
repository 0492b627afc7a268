// moto's server (PyPI moto[server]) as the AWS emulator of the tests: S3, SQS, Secrets Manager,
// EventBridge Scheduler and CloudFormation behind one endpoint. Each caller starts its own, on a
// random port, and stops it; its state lives only in that process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { INSTALL_HINT, motoServerPath } from './tools.js';

export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const REGION = 'us-east-1';
/** moto's default account. */
export const ACCOUNT = '123456789012';

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export async function startMoto(opts: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const bin = motoServerPath();
  if (!existsSync(bin)) throw new Error(`moto_server not found at ${bin}. ${INSTALL_HINT}`);
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Without credentials of its own moto would accept any; these keep botocore quiet.
    env: { ...process.env, AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: REGION },
  });
  live.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`moto_server did not start within ${opts.timeoutMs ?? 30_000} ms`)), opts.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Werkzeug: " * Running on http://127.0.0.1:41234"
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output}`));
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`moto_server exited (${code}) before listening`)));
    child.once('error', fail);
  });
  // Keep draining so a chatty server never blocks on a full pipe.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.removeAllListeners('data').on('data', keep);
  child.stderr?.removeAllListeners('data').on('data', keep);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      live.delete(child);
    },
  };
}
