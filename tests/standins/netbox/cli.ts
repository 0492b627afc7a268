import { runStandinCli } from '../rest-common/cli.js';
import { startNetboxStandin } from './server.js';

await runStandinCli('standin:netbox', startNetboxStandin);
