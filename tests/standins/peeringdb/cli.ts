import { runStandinCli } from '../rest-common/cli.js';
import { startPeeringdbStandin } from './server.js';

await runStandinCli('standin:peeringdb', startPeeringdbStandin);
