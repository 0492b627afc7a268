import { fileURLToPath } from 'node:url';
import type { Change, ChangeResult, Value } from '../../../shared/diff/types.js';
import type { ApplyContext, ModelWriteSpec } from '../../../shared/adapters/types.js';
import { InfrahubAdapter } from '../../../shared/adapters/infrahub/index.js';
import { MemoryLogger } from '../../../shared/log.js';

export const SCHEMA = fileURLToPath(new URL('./schema.yml', import.meta.url));
export const TOKEN = 'test-token-5b1f0c2e';

export function makeAdapter(
  url: string,
  settings: Record<string, unknown> = {},
  opts: { env?: NodeJS.ProcessEnv; branch?: string; logger?: MemoryLogger } = {},
): InfrahubAdapter {
  return new InfrahubAdapter(
    { name: 'infrahub', settings: { url, token: TOKEN, ...settings } },
    { configDir: '.', env: opts.env ?? {}, branch: opts.branch, logger: opts.logger ?? new MemoryLogger() },
    { retryBaseMs: 1 },
  );
}

export const MODELS: Record<string, ModelWriteSpec> = {
  TestTag: { model: 'TestTag', identifiers: ['name'], references: {} },
  InfraPlatform: { model: 'InfraPlatform', identifiers: ['name'], references: {} },
  LocationSite: { model: 'LocationSite', identifiers: ['name'], references: {} },
  LocationRegion: { model: 'LocationRegion', identifiers: ['name'], references: {} },
  LocationGeneric: { model: 'LocationGeneric', identifiers: ['name'], references: {} },
  InfraDevice: {
    model: 'InfraDevice',
    identifiers: ['name'],
    references: { location: 'LocationGeneric', platform: 'InfraPlatform', tags: 'TestTag' },
  },
  InfraInterface: { model: 'InfraInterface', identifiers: ['device', 'name'], references: { device: 'InfraDevice' } },
};

/** An ApplyContext whose peer ids come from earlier results, like the runtime's. */
export class ResultsContext implements ApplyContext {
  readonly ids = new Map<string, string>();
  constructor(readonly models: Record<string, ModelWriteSpec>) {}
  peerId(model: string, key: string): string | undefined {
    return this.ids.get(`${model}/${key}`);
  }
  remember(results: ChangeResult[]): void {
    for (const r of results) if (r.destinationId) this.record(r.model, r.key, r.destinationId);
  }
  protected record(model: string, key: string, id: string): void {
    this.ids.set(`${model}/${key}`, id);
  }
}

/** The context for this folder's test schema (MODELS). */
export class Ctx extends ResultsContext {
  constructor() {
    super(MODELS);
  }
  protected override record(model: string, key: string, id: string): void {
    super.record(model, key, id);
    // A site is also a LocationGeneric peer.
    if (model.startsWith('Location')) super.record('LocationGeneric', key, id);
  }
}

export function create(model: string, key: string, ids: Record<string, Value>, attrs: Record<string, Value> = {}): Change {
  return { id: `${model}/create/${key}`, action: 'create', model, key, ids, attrs };
}

export function update(model: string, key: string, ids: Record<string, Value>, attrs: Record<string, Value>, destinationId?: string): Change {
  return { id: `${model}/update/${key}`, action: 'update', model, key, ids, attrs, destinationId };
}

export function del(model: string, key: string, ids: Record<string, Value>, destinationId?: string): Change {
  return { id: `${model}/delete/${key}`, action: 'delete', model, key, ids, attrs: {}, destinationId };
}

export function byKey(results: ChangeResult[]): Record<string, ChangeResult> {
  return Object.fromEntries(results.map((r) => [`${r.model}/${r.key}`, r]));
}

export function failed(results: ChangeResult[]): ChangeResult[] {
  return results.filter((r) => r.status !== 'applied');
}
