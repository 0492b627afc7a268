// Adapter names as written in configs (infrahub-sync's names), mapped to factories. Each adapter is
// imported when a config names it, so a file-to-file run never loads the HTTP or GraphQL clients.
import type { AdapterConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { Adapter, AdapterContext, AdapterFactory } from './types.js';

const factories = new Map<string, () => Promise<AdapterFactory>>([
  ['file', async () => (await import('./file/index.js')).createFileAdapter],
  ['infrahub', async () => (await import('./infrahub/index.js')).createInfrahubAdapter],
  ['nautobot', async () => (await import('./nautobot/index.js')).createNautobotAdapter],
  ['netbox', async () => (await import('./netbox/index.js')).createNetboxAdapter],
  ['genericrestapi', async () => (await import('./rest/index.js')).createRestAdapter],
  ['peeringmanager', async () => (await import('./peeringmanager/index.js')).createPeeringManagerAdapter],
]);

export function knownAdapters(): string[] {
  return [...factories.keys()].sort();
}

export function hasAdapter(name: string): boolean {
  return factories.has(name);
}

export async function createAdapter(config: AdapterConfig, ctx: AdapterContext): Promise<Adapter> {
  const load = factories.get(config.name);
  if (!load) {
    const hint = config.adapter ? ` (custom adapter ${config.adapter} is Python code and cannot run here)` : '';
    throw new ConfigError(
      `adapter "${config.name}" is not available in this tool${hint}; available: ${knownAdapters().join(', ')}`,
    );
  }
  return (await load())(config, ctx);
}
