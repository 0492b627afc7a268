import { runStandinCli } from '../rest-common/cli.js';
import { startPrometheusStandin } from './server.js';

// `--token` is the password (basic) or bearer token when PROMETHEUS_STANDIN_AUTH says one is required.
const auth = process.env.PROMETHEUS_STANDIN_AUTH as 'none' | 'basic' | 'bearer' | undefined;
await runStandinCli('standin:prometheus', (o) => startPrometheusStandin({ ...o, auth }));
