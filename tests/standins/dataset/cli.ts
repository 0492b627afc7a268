// npm run dataset -- --size tiny|small|bench --seed <n> --out <dir>
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeSourceDataset } from '../rest-common/source-dataset.js';
import { generateDataset } from './generate.js';
import { RENDERERS } from './renderers.js';
import type { DatasetSize } from './types.js';

const program = new Command('dataset')
  .description('Write a generated network as each REST stand-in\'s tables (one folder per system)')
  .addOption(new Option('--size <size>', 'dataset size').choices(['tiny', 'small', 'bench']).default('tiny'))
  .option('--seed <n>', 'PRNG seed', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('seed must be a non-negative integer');
    return Number(v);
  }, 1)
  .requiredOption('--out <dir>', 'output directory');
program.parse(process.argv);
const o = program.opts<{ size: DatasetSize; seed: number; out: string }>();

const started = Date.now();
const ds = generateDataset({ size: o.size, seed: o.seed });
for (const render of Object.values(RENDERERS)) await writeSourceDataset(o.out, render(ds));
process.stdout.write(
  `wrote ${o.size} dataset (seed ${o.seed}) to ${o.out}: ${ds.devices.length} devices, ${ds.interfaces.length} interfaces, ` +
  `${ds.ipAddresses.length} IP addresses, ${ds.peering.connections.length} IX connections for ` +
  `${Object.keys(RENDERERS).join(', ')} in ${Date.now() - started} ms\n`,
);
