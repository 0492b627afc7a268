// The command-line entry: what `infrahub-sync` runs, compiled to dist/infrahub-sync.js by
// scripts/build.js. Setting exitCode (not calling exit) lets stdout drain before the process ends.
import { main } from './main.js';

process.exitCode = await main(process.argv);
