import { runStandinCli } from '../rest-common/cli.js';
import { startNautobotStandin } from './server.js';

await runStandinCli('standin:nautobot', startNautobotStandin);
