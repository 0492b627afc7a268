// `npm run demo`: the product's main job on an embedded default, with nothing to install or
// configure. Starts the Nautobot and Infrahub stand-ins (test doubles that speak the real APIs)
// with a small generated network, syncs it into Infrahub with configs/nautobot-to-infrahub
// through the CLI, then runs again to show that nothing is left to do. The sync prints its counts
// per model; `npm run demo -- --diff` prints every difference too (infrahub-sync's sync --diff).
import { join, resolve } from 'node:path';
import { main } from '../../shared/cli/main.js';
import { processIO } from '../../shared/cli/io.js';
import { generateDataset } from '../standins/dataset/index.js';
import { startInfrahubStandin } from '../standins/infrahub/index.js';
import { startNautobotStandin } from '../standins/nautobot/server.js';

const root = resolve(import.meta.dirname, '../..');
const config = join(root, 'configs/nautobot-to-infrahub/config.yml');
const size = (process.env.DEMO_SIZE as 'tiny' | 'small' | undefined) ?? 'small';
const fullDiff = process.argv.includes('--diff');

const say = (text: string) => process.stderr.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

async function run(): Promise<number> {
  const token = 'demo-token';
  say(`starting the Nautobot and Infrahub stand-ins with a ${size} generated network`);
  const nautobot = await startNautobotStandin({ dataset: generateDataset({ size, seed: 7 }), token });
  const infrahub = await startInfrahubStandin({ schema: join(root, 'configs/schemas'), token });
  process.stderr.write(`nautobot stand-in: ${nautobot.url}\ninfrahub stand-in: ${infrahub.url}\n`);
  const io = processIO();
  io.env = {
    ...process.env,
    NAUTOBOT_ADDRESS: nautobot.url,
    NAUTOBOT_TOKEN: token,
    INFRAHUB_ADDRESS: infrahub.url,
    INFRAHUB_API_TOKEN: token,
  };
  const cli = (args: string[]) => main(['node', 'infrahub-sync', ...args, '--config-file', config], io);
  try {
    const diffFlag = fullDiff ? '--diff' : '--no-diff';
    say(`infrahub-sync sync ${diffFlag}  (first run: everything is new${fullDiff ? '' : '; `npm run demo -- --diff` prints every difference'})`);
    const first = await cli(['sync', diffFlag]);
    if (first !== 0) return first;
    say('infrahub-sync diff  (second run: nothing left to do)');
    const second = await cli(['diff']);
    say(`done: Infrahub now holds ${infrahub.nodes('InfraDevice').length} devices and ${infrahub.nodes('InfraInterfaceL2L3').length} interfaces`);
    process.stderr.write('both runs are in .runs/: npx infrahub-sync runs list\n');
    return second;
  } finally {
    await Promise.allSettled([nautobot.stop(), infrahub.stop()]);
  }
}

process.exitCode = await run();
