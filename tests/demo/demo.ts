// `npm run demo`: the product's main job on an embedded default, with nothing to install or
// configure. Starts the Nautobot and Infrahub stand-ins (test doubles that speak the real APIs)
// with a small generated network, syncs it into Infrahub with configs/nautobot-to-infrahub
// through the CLI, then runs again to show that nothing is left to do. The sync prints its counts
// per model; `npm run demo -- --diff` prints every difference too (infrahub-sync's sync --diff).
import { processIO } from '../../shared/cli/io.js';
import { runDemo } from './run-demo.js';

process.exitCode = await runDemo({
  size: (process.env.DEMO_SIZE as 'tiny' | 'small' | undefined) ?? 'small',
  fullDiff: process.argv.includes('--diff'),
  io: processIO(),
});
