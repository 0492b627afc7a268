import { resolve } from 'node:path';
import { scanConfigs } from '../../config/load.js';
import type { CliIO } from '../io.js';

/** As infrahub-sync's `list`: name, source >> destination, where. Configs under test folders
 *  (tests/, test/, fixtures/) only with --include-tests; a note says how many were left out. */
export async function listCommand(opts: { directory?: string; includeTests?: boolean }, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, opts.directory ?? '.');
  const scan = await scanConfigs(dir, { includeTests: opts.includeTests });
  for (const p of scan.problems) io.err(`warning: ${p.file}: ${p.message}\n`);
  const found = scan.configs;
  if (found.length === 0) io.err(`no sync configs found under ${dir}\n`);
  if (found.length > 0) {
    const flow = (f: (typeof found)[number]) => `${f.source ?? '?'} >> ${f.destination ?? '?'}`;
    const width = Math.max(...found.map((f) => f.name.length));
    const flowWidth = Math.max(...found.map((f) => flow(f).length));
    for (const f of found) io.out(`${f.name.padEnd(width)}  ${flow(f).padEnd(flowWidth)}  ${f.file}\n`);
  }
  if (scan.testConfigs.length > 0) {
    io.err(`(${scan.testConfigs.length} more under test folders, such as tests/ and fixtures/: --include-tests lists them)\n`);
  }
  return 0;
}
