// The demo's steps, apart from its entry point so a test can run them in-process.
import { join, resolve } from 'node:path';
import { main } from '../../shared/cli/main.js';
import type { CliIO } from '../../shared/cli/io.js';
import { generateDataset } from '../standins/dataset/index.js';
import { startInfrahubStandin } from '../standins/infrahub/index.js';
import { startNautobotStandin } from '../standins/nautobot/server.js';

const root = resolve(import.meta.dirname, '../..');
const config = join(root, 'configs/nautobot-to-infrahub/config.yml');

export interface DemoOptions {
  size: 'tiny' | 'small';
  /** Print every difference (sync --diff), not only the counts per model. */
  fullDiff: boolean;
  io: CliIO;
}

export async function runDemo({ size, fullDiff, io }: DemoOptions): Promise<number> {
  const say = (text: string) => io.err(`\n${io.isTTY ? '\x1b[1m' : ''}== ${text}${io.isTTY ? '\x1b[0m' : ''}\n`);
  const token = 'demo-token';
  say(`starting the Nautobot and Infrahub stand-ins with a ${size} generated network`);
  const nautobot = await startNautobotStandin({ dataset: generateDataset({ size, seed: 7 }), token });
  const infrahub = await startInfrahubStandin({ schema: join(root, 'configs/schemas'), token });
  io.err(`nautobot stand-in: ${nautobot.url}\ninfrahub stand-in: ${infrahub.url}\n`);
  const cliIO: CliIO = {
    ...io,
    env: { ...io.env, NAUTOBOT_ADDRESS: nautobot.url, NAUTOBOT_TOKEN: token, INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: token },
  };
  const cli = (args: string[]) => main(['node', 'infrahub-sync', ...args, '--config-file', config], cliIO);
  try {
    const diffFlag = fullDiff ? '--diff' : '--no-diff';
    say(`infrahub-sync sync ${diffFlag}  (first run: everything is new${fullDiff ? '' : '; `npm run demo -- --diff` prints every difference'})`);
    const first = await cli(['sync', diffFlag]);
    if (first !== 0) return first;
    say('infrahub-sync diff  (second run: nothing left to do)');
    const second = await cli(['diff']);
    say(`done: Infrahub now holds ${infrahub.nodes('InfraDevice').length} devices and ${infrahub.nodes('InfraInterfaceL2L3').length} interfaces`);
    io.err('both runs are in .runs/: npx infrahub-sync runs list\n');
    return second;
  } finally {
    await Promise.allSettled([nautobot.stop(), infrahub.stop()]);
  }
}
