// Adapter names as written in configs (infrahub-sync's names), mapped to factories.
import type { AdapterConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { createAciAdapter } from './aci/index.js';
import { createFileAdapter } from './file/index.js';
import { createInfrahubAdapter } from './infrahub/index.js';
import { createIpfabricAdapter } from './ipfabric/index.js';
import { createNautobotAdapter } from './nautobot/index.js';
import { createNetboxAdapter } from './netbox/index.js';
import { createPeeringManagerAdapter } from './peeringmanager/index.js';
import { createPrometheusAdapter } from './prometheus/index.js';
import { createRestAdapter } from './rest/index.js';
import { createSlurpitAdapter } from './slurpit/index.js';
import type { Adapter, AdapterContext, AdapterFactory } from './types.js';

const factories = new Map<string, AdapterFactory>([
  ['file', createFileAdapter],
  ['infrahub', createInfrahubAdapter],
  ['nautobot', createNautobotAdapter],
  ['netbox', createNetboxAdapter],
  ['genericrestapi', createRestAdapter],
  ['peeringmanager', createPeeringManagerAdapter],
  ['prometheus', createPrometheusAdapter],
  ['aci', createAciAdapter],
  ['ipfabricsync', createIpfabricAdapter],
  ['slurpitsync', createSlurpitAdapter],
]);

export function knownAdapters(): string[] {
  return [...factories.keys()].sort();
}

export function hasAdapter(name: string): boolean {
  return factories.has(name);
}

export function createAdapter(config: AdapterConfig, ctx: AdapterContext): Adapter {
  const factory = factories.get(config.name);
  if (!factory) {
    const hint = config.adapter ? ` (custom adapter ${config.adapter} is Python code and cannot run here)` : '';
    throw new ConfigError(
      `adapter "${config.name}" is not available in this tool${hint}; available: ${knownAdapters().join(', ')}`,
    );
  }
  return factory(config, ctx);
}
