import { runStandinCli } from '../rest-common/cli.js';
import { startIpfabricStandin } from './server.js';

// `--token` is the API token (X-API-Token).
await runStandinCli('standin:ipfabric', startIpfabricStandin);
