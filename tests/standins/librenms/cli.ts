import { runStandinCli } from '../rest-common/cli.js';
import { startLibrenmsStandin } from './server.js';

await runStandinCli('standin:librenms', startLibrenmsStandin);
