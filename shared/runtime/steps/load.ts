import type { Adapter } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import { buildLoadRequests } from '../../mapping/index.js';
import type { RawSnapshot, Side } from './types.js';

/** Loads every entry of one model on one side, as raw objects (normalised later, in planRun). */
export async function loadModelSide(
  adapter: Adapter,
  loaded: LoadedConfig,
  model: string,
  side: Side,
  opts: { scopeIds?: string[]; onProgress?: (loaded: number, total?: number) => void } = {},
): Promise<RawSnapshot> {
  const requests = buildLoadRequests(loaded.config, model, side).map((r) =>
    opts.scopeIds && side === 'source' ? { ...r, scope: { ids: opts.scopeIds } } : r,
  );
  const counts = requests.map(() => 0);
  const raws = await Promise.all(
    requests.map((req, i) =>
      adapter.load({
        ...req,
        onProgress: opts.onProgress
          ? (n) => {
              counts[i] = n;
              opts.onProgress?.(counts.reduce((a, b) => a + b, 0));
            }
          : undefined,
      }),
    ),
  );
  return { model, side, requests, raws };
}
