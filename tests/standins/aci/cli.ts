import { runStandinCli } from '../rest-common/cli.js';
import { startAciStandin } from './server.js';

// `--token` is the password of user admin, or `user:password`.
await runStandinCli('standin:aci', startAciStandin);
