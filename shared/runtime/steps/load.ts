import type { Adapter, LoadRequest } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import type { ModelFacts } from '../../diff/types.js';
import { buildLoadRequests, entriesOf } from '../../mapping/index.js';
import type { RawSnapshot, Side } from './types.js';

/** Loads every entry of one model on one side, as raw objects (normalised later, in planRun). */
export async function loadModelSide(
  adapter: Adapter,
  loaded: LoadedConfig,
  model: string,
  side: Side,
  opts: {
    scopeIds?: string[];
    /** Destination side: read only these node ids (the verify after a sync). */
    destinationIds?: string[];
    onProgress?: (loaded: number, total?: number) => void;
  } = {},
): Promise<RawSnapshot> {
  // The destination's schema, before the load: a plain value mapped into a relationship is then
  // also read by the peer's naming attribute (implied-references.ts).
  const facts = side === 'destination' ? adapter.describeModel?.(model, mappedFieldNames(loaded, model)) : undefined;
  const requests = buildLoadRequests(loaded.config, model, side).map((r) => {
    if (side === 'source') return opts.scopeIds ? { ...r, scope: { ids: opts.scopeIds } } : r;
    const named = withPeerNames(r, facts);
    return opts.destinationIds ? { ...named, scope: { ids: opts.destinationIds } } : named;
  });
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
  const storedForms = side === 'destination' ? adapter.storedForms?.(model) : undefined;
  const templateData = side === 'source' && adapter.templateData ? await adapter.templateData(model, requests) : undefined;
  return {
    model,
    side,
    requests,
    raws,
    ...(identifiers ? { identifiers } : {}),
    ...(facts ? { facts } : {}),
    ...(storedForms && Object.keys(storedForms).length ? { storedForms } : {}),
    ...(templateData !== undefined ? { templateData } : {}),
  };
}

/** Adds `<field>.<attribute>` for each relationship field without a reference whose peer has a
 *  naming attribute, so the snapshot can compare it by that name when no synced model holds the peer. */
function withPeerNames(req: Omit<LoadRequest, 'onProgress'>, facts: ModelFacts | undefined): Omit<LoadRequest, 'onProgress'> {
  if (!facts || req.side !== 'destination') return req;
  const extra = req.fields.flatMap((f) => {
    const rel = facts.fields[f.name];
    if (f.reference || f.path !== f.name || rel?.kind !== 'relationship' || !rel.peerAttribute || rel.readOnly) return [];
    return [{ name: f.name, path: `${f.name}.${rel.peerAttribute}` }];
  });
  return extra.length > 0 ? { ...req, fields: [...req.fields, ...extra] } : req;
}

/** For a model with an entry that gives no identifiers: the adapter's, limited to mapped fields
 *  (infrahub-sync: the kind's unique attributes that some entry of the kind maps). */
function defaultIdentifiers(adapter: Adapter, loaded: LoadedConfig, model: string): string[] | undefined {
  const entries = entriesOf(loaded.config, model).map((e) => e.entry);
  if (!entries.some((e) => e.identifiers.length === 0) || !adapter.defaultIdentifiers) return undefined;
  const mapped = new Set(entries.flatMap((e) => e.fields.map((f) => f.name)));
  const ids = adapter.defaultIdentifiers(model)?.filter((name) => mapped.has(name)) ?? [];
  return ids.length > 0 ? ids : undefined;
}

/** Every field some entry of the model maps. */
function mappedFieldNames(loaded: LoadedConfig, model: string): string[] {
  return [...new Set(entriesOf(loaded.config, model).flatMap(({ entry }) => entry.fields.map((f) => f.name)))];
}
