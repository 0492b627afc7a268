import { runStandinCli } from '../rest-common/cli.js';
import { startPeeringManagerStandin } from './server.js';

await runStandinCli('standin:peeringmanager', startPeeringManagerStandin);
