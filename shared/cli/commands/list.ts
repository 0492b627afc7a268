import { resolve } from 'node:path';
import { findConfigs } from '../../config/load.js';
import type { CliIO } from '../io.js';

export async function listCommand(opts: { directory?: string }, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, opts.directory ?? '.');
  const found = await findConfigs(dir);
  if (found.length === 0) {
    io.err(`no sync configs found under ${dir}\n`);
    return 0;
  }
  const width = Math.max(...found.map((f) => f.name.length));
  for (const f of found) io.out(`${f.name.padEnd(width)}  ${f.file}\n`);
  return 0;
}
