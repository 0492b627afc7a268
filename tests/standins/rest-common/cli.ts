// Command line shared by the REST stand-ins (`npm run standin:<system>`): the same options for
// every system; `--max-page-size` only means something to the DRF ones (NetBox, Nautobot,
// Peering Manager).
import { Command, InvalidArgumentError } from 'commander';
import type { RestStandinOptions } from './http-server.js';

const num = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}]`);
  return n;
};

export async function runStandinCli(
  name: string,
  start: (opts: RestStandinOptions & { dataset: string }) => Promise<{ url: string; stop(): Promise<void> }>,
  argv: string[] = process.argv,
): Promise<void> {
  const program = new Command(name)
    .description(`${name} REST stand-in (a test double), serving a dataset written by npm run dataset`)
    .requiredOption('--dataset <dir>', 'dataset root directory written by npm run dataset (one folder per system)')
    .option('--port <port>', 'port to listen on (0 = random)', num('port', 0, 65535), 0)
    .option('--token <token>', 'accepted API token', 'standin-token')
    .option('--latency-ms <ms>', 'delay before each response', num('latency-ms', 0), 0)
    .option('--fault-rate <p>', 'probability of a fault per request', num('fault-rate', 0, 1), 0)
    .option('--fault-seed <n>', 'seed of the fault sequence', num('fault-seed', 0), 1)
    .option('--max-page-size <n>', 'MAX_PAGE_SIZE (0 = no cap)', num('max-page-size', 0), 1000);
  program.parse(argv);
  const o = program.opts<{
    dataset: string; port: number; token: string; latencyMs: number; faultRate: number; faultSeed: number; maxPageSize: number;
  }>();
  const server = await start({
    dataset: o.dataset, port: o.port, token: o.token, latencyMs: o.latencyMs, faultRate: o.faultRate,
    faultSeed: o.faultSeed, maxPageSize: o.maxPageSize,
  });
  process.stdout.write(`listening on ${server.url}\n`);
  const shutdown = (): void => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
