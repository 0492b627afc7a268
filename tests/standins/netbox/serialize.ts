// Turns stored NetBox rows into API JSON: url/display_url/display first, references as
// brief objects (recursively brief, as NetBox nests `manufacturer` inside a device type).
import { tablePath, type ModelSpec, type RowLookup } from '../rest-common/model-spec.js';
import type { Json, RowId, SourceRow } from '../rest-common/source-dataset.js';
import { NETBOX_MODEL_BY_TABLE } from './models.js';

export interface NetboxRenderContext {
  base: string;
  lookup: RowLookup;
  /** Brief objects already built (a device brief repeats on each of its interfaces), kept until the dataset changes. */
  briefs?: Map<string, Json>;
}

function links(spec: ModelSpec, id: RowId, base: string): { url: string; display_url: string } {
  const path = tablePath(spec.table);
  return { url: `${base}/api/${path}/${id}/`, display_url: `${base}/${path}/${id}/` };
}

function refValue(table: string, id: Json | undefined, ctx: NetboxRenderContext): Json {
  if (id === null || id === undefined || (typeof id !== 'number' && typeof id !== 'string')) return null;
  const spec = NETBOX_MODEL_BY_TABLE.get(table);
  const key = `${table}/${id}`;
  const cached = ctx.briefs?.get(key);
  if (cached) return cached;
  const row = ctx.lookup.get(table, id);
  if (!spec || !row) return null;
  const b = brief(row, spec, ctx);
  ctx.briefs?.set(key, b);
  return b;
}

export function brief(row: SourceRow, spec: ModelSpec, ctx: NetboxRenderContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  const l = links(spec, row.id, ctx.base);
  for (const f of spec.brief ?? ['id', 'url', 'display']) {
    if (f === 'id') out.id = row.id;
    else if (f === 'url') out.url = l.url;
    else if (f === 'display_url') out.display_url = l.display_url;
    else if (f === 'display') out.display = spec.display(row, ctx.lookup);
    else if (spec.refs[f] !== undefined) out[f] = refValue(spec.refs[f] as string, row[f], ctx);
    else out[f] = row[f] ?? null;
  }
  return out;
}

export interface FullOptions {
  /** Field names left out (`exclude=config_context`). */
  omit?: ReadonlySet<string>;
  /** Only these fields (`fields=`); undefined = all. */
  only?: ReadonlySet<string>;
}

export function full(row: SourceRow, spec: ModelSpec, ctx: NetboxRenderContext, opts: FullOptions = {}): Record<string, Json> {
  const l = links(spec, row.id, ctx.base);
  const out: Record<string, Json> = { id: row.id, url: l.url, display_url: l.display_url, display: spec.display(row, ctx.lookup) };
  for (const [k, v] of Object.entries(row)) {
    if (k === 'id') continue;
    if (spec.refs[k] !== undefined) out[k] = refValue(spec.refs[k] as string, v, ctx);
    else if (spec.many[k] !== undefined) {
      const table = spec.many[k] as string;
      out[k] = Array.isArray(v) ? v.map((id) => refValue(table, id, ctx)).filter((x) => x !== null) : [];
    } else out[k] = v;
  }
  if (opts.omit) for (const k of opts.omit) delete out[k];
  if (opts.only) for (const k of Object.keys(out)) if (!opts.only.has(k)) delete out[k];
  return out;
}
