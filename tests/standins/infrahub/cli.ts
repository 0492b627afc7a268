/**
 * Runs the Infrahub stand-in (a test double) as a process:
 *   npm run standin:infrahub -- --port <p> --schema <file-or-dir> [--schema ...] [--token <t>]
 *     [--latency-ms <n>] [--fault-rate <0..1>] [--lost-response-rate <0..1>] [--fault-seed <n>] [--state <file>]
 * Prints `listening on http://127.0.0.1:<p>` once ready; SIGTERM/SIGINT stop it (saving state).
 */
import { Command, InvalidArgumentError } from 'commander';

// graphql-js skips its development-only instanceof checks in production mode; the flag must be
// set before graphql is first imported, hence the dynamic import of the stand-in below.
process.env.NODE_ENV ??= 'production';
const { startInfrahubStandin } = await import('./index.js');

function number(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number within ${min}..${max}`);
    return n;
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const program = new Command()
  .name('standin-infrahub')
  .description('Infrahub API stand-in (test double)')
  .option('--port <port>', 'port to listen on (0 = random)', number(0, 65535), 0)
  .requiredOption('--schema <path>', 'schema file or directory (repeatable)', collect, [] as string[])
  .option('--token <token>', 'valid X-INFRAHUB-KEY')
  .option('--latency-ms <ms>', 'latency added to every request', number(0, 600_000), 0)
  .option('--fault-rate <rate>', 'share of requests that fail (0..1)', number(0, 1), 0)
  .option('--lost-response-rate <rate>', 'share of mutation requests processed whose response is then dropped (0..1)', number(0, 1), 0)
  .option('--fault-seed <seed>', 'seed for the fault sequence', number(0, 2 ** 32), 1)
  .option('--state <file>', 'JSON state file to load at start and save at stop');

program.parse();
const o = program.opts<{ port: number; schema: string[]; token?: string; latencyMs: number; faultRate: number; lostResponseRate: number; faultSeed: number; state?: string }>();

const standin = await startInfrahubStandin({
  schema: o.schema,
  token: o.token,
  port: o.port,
  latencyMs: o.latencyMs,
  faultRate: o.faultRate,
  lostResponseRate: o.lostResponseRate,
  faultSeed: o.faultSeed,
  statePath: o.state,
});
process.stdout.write(`listening on ${standin.url}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  standin.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`stand-in stop failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
