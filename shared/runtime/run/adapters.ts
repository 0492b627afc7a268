// Adapters are opened once per (run, side) in a worker and reused by every message of that run:
// opening may fetch a schema, and the file adapter serialises its writes per instance.
import type { Adapter } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import type { Logger } from '../../log.js';
import { openAdapter, type Side } from '../steps/index.js';
import type { AdapterSource, RunRecord } from './types.js';

export class CachedAdapters implements AdapterSource {
  private readonly open = new Map<string, Promise<Adapter>>();

  constructor(
    private readonly env: () => NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>,
    private readonly logger: Logger,
    private readonly keepRuns = 4,
  ) {}

  get(run: RunRecord, side: Side, loaded: LoadedConfig): Promise<Adapter> {
    const id = `${run.name}/${run.runId}/${side}`;
    const hit = this.open.get(id);
    if (hit) return hit;
    const opening = (async () =>
      openAdapter(side, loaded, { env: await this.env(), branch: run.branch, logger: this.logger }))();
    this.open.set(id, opening);
    opening.catch(() => this.open.delete(id));
    void this.evict();
    return opening;
  }

  private async evict(): Promise<void> {
    while (this.open.size > this.keepRuns * 2) {
      const [id, adapter] = this.open.entries().next().value as [string, Promise<Adapter>];
      this.open.delete(id);
      await adapter.then((a) => a.close?.()).catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (a) => (await a).close?.()));
  }
}
