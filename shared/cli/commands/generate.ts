import type { CliIO } from '../io.js';
import type { ConfigSelector } from '../config-option.js';
import { validateCommand } from './validate.js';

/**
 * infrahub-sync's `generate` renders Python DiffSync models and adapters from the config, which its
 * `diff` and `sync` then import. This tool reads the config itself at run time, so there is nothing
 * to generate: the command validates the config (so a script's generate step still catches a
 * broken one) and says so.
 */
export async function generateCommand(
  opts: ConfigSelector & { branch?: string; adapterPath?: string[] },
  io: CliIO,
): Promise<number> {
  const code = await validateCommand(opts, io);
  if (opts.adapterPath && opts.adapterPath.length > 0) {
    io.err(`warning: --adapter-path ${opts.adapterPath.join(', ')}: Python adapters cannot run in this tool; nothing there is read\n`);
  }
  io.err(
    'generate: nothing to generate here: this tool reads the config at run time (no Python models or adapters); ' +
      'the config was validated instead. `validate --check-schema` also checks it against the Infrahub schema\n',
  );
  return code;
}
