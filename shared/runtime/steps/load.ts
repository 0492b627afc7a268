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
  const identifiers = side === 'destination' ? defaultIdentifiers(adapter, loaded, model) : undefined;
  const matchFields = side === 'destination' ? adapter.matchFields?.(model) : undefined;
  const storedForms = side === 'destination' ? adapter.storedForms?.(model) : undefined;
  return {
    model,
    side,
    requests,
    raws,
    ...(identifiers ? { identifiers } : {}),
    ...(matchFields?.length ? { matchFields } : {}),
    ...(storedForms && Object.keys(storedForms).length ? { storedForms } : {}),
  };
}

/** For a model with an entry that gives no identifiers: the adapter's, limited to mapped fields
 *  (infrahub-sync: the kind's unique attributes that some entry of the kind maps). */
function defaultIdentifiers(adapter: Adapter, loaded: LoadedConfig, model: string): string[] | undefined {
  const entries = loaded.config.schema_mapping.filter((e) => e.name === model);
  if (!entries.some((e) => e.identifiers.length === 0) || !adapter.defaultIdentifiers) return undefined;
  const mapped = new Set(entries.flatMap((e) => e.fields.map((f) => f.name)));
  const ids = adapter.defaultIdentifiers(model)?.filter((name) => mapped.has(name)) ?? [];
  return ids.length > 0 ? ids : undefined;
}
