import { runStandinCli } from '../rest-common/cli.js';
import { startSlurpitStandin } from './server.js';

// `--token` is the API key (Authorization: Bearer <key>).
await runStandinCli('standin:slurpit', startSlurpitStandin);
