import { runStandinCli } from '../rest-common/cli.js';
import { startObserviumStandin } from './server.js';

await runStandinCli('standin:observium', startObserviumStandin);
