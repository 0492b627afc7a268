import { resolve } from 'node:path';
import { findConfigs } from '../../config/load.js';
import { escapeValue } from '../../escape.js';
import type { CliIO } from '../io.js';

export async function listCommand(opts: { directory?: string }, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, opts.directory ?? '.');
  const found = await findConfigs(dir);
  if (found.length === 0) {
    io.err(`no sync configs found under ${dir}\n`);
    return 0;
  }
  const names = found.map((f) => escapeValue(f.name));
  const width = Math.max(...names.map((n) => n.length));
  found.forEach((f, i) => io.out(`${(names[i] as string).padEnd(width)}  ${escapeValue(f.file)}\n`));
  return 0;
}
