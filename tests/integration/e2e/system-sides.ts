// The two sides of an example run for any system with a stand-in: that system's stand-in
// serving one generated network, and the Infrahub stand-in loaded with a schema folder. A new
// system adds its entry to SYSTEMS (how to start its stand-in, which variables point the
// adapter at it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, type DatasetSize } from '../../standins/dataset/index.js';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import type { RestStandinOptions } from '../../standins/rest-common/http-server.js';
import type { SourceDataset } from '../../standins/rest-common/source-dataset.js';
import type { Dataset } from '../../standins/dataset/types.js';
import { startDevice42Standin } from '../../standins/device42/server.js';
import { startLibrenmsStandin } from '../../standins/librenms/server.js';
import { startObserviumStandin } from '../../standins/observium/server.js';
import { startPeeringdbStandin } from '../../standins/peeringdb/server.js';
import { startPeeringManagerStandin } from '../../standins/peeringmanager/server.js';
import { ROOT, type Sides } from './helpers.js';

export const TOKEN = 'e2e-token-0123456789abcdef';

interface StartedStandin {
  url: string;
  dataset: SourceDataset;
  invalidate(): void;
  stop(): Promise<void>;
}

export interface SystemEntry {
  start(opts: RestStandinOptions & { dataset: Dataset }): Promise<StartedStandin>;
  /** Variables the adapter reads, given the stand-in's url and credential. */
  env(url: string, credential: string): NodeJS.ProcessEnv;
}

/** The generic REST adapter's variables (its url_env_vars, token_env_vars, ... defaults). A basic-auth
 *  stand-in takes `--token` as the password of user `admin`. */
const rest = (url: string, token: string): NodeJS.ProcessEnv => ({ ADDRESS: url, TOKEN: token, USERNAME: 'admin', PASSWORD: token });

export const SYSTEMS = {
  peeringmanager: {
    start: (o) => startPeeringManagerStandin(o),
    env: (url, token) => ({ PEERING_MANAGER_ADDRESS: url, PEERING_MANAGER_TOKEN: token }),
  },
  device42: { start: (o) => startDevice42Standin(o), env: rest },
  librenms: { start: (o) => startLibrenmsStandin(o), env: rest },
  observium: { start: (o) => startObserviumStandin(o), env: rest },
  peeringdb: { start: (o) => startPeeringdbStandin(o), env: rest },
} satisfies Record<string, SystemEntry>;

export type SystemName = keyof typeof SYSTEMS;

export interface SystemSidesOptions {
  size?: DatasetSize;
  seed?: number;
  /** Infrahub schema folder, relative to the repository (default configs/schemas-base). */
  schema?: string;
  standin?: RestStandinOptions;
}

export async function startSystemSides(system: SystemName, o: SystemSidesOptions = {}): Promise<Sides> {
  const entry: SystemEntry = SYSTEMS[system];
  const dataset = generateDataset({ size: o.size ?? 'tiny', seed: o.seed ?? 1 });
  const source = await entry.start({ ...o.standin, dataset, token: TOKEN });
  const infrahub = await startInfrahubStandin({ schema: join(ROOT, o.schema ?? 'configs/schemas-base'), token: TOKEN });
  const work = await mkdtemp(join(tmpdir(), `ihs-e2e-${system}-`));
  return {
    infrahub,
    source,
    env: { ...entry.env(source.url, TOKEN), INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: TOKEN },
    work,
    async stop() {
      await Promise.allSettled([source.stop(), infrahub.stop()]);
      await rm(work, { recursive: true, force: true });
    },
  };
}
