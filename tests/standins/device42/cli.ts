import { runStandinCli } from '../rest-common/cli.js';
import { startDevice42Standin } from './server.js';

await runStandinCli('standin:device42', startDevice42Standin);
