// Nautobot 2.x serialization: depth 0 renders a relation as `{id, object_type, url}`;
// ?depth=N inlines related objects N levels deep, and inlined objects drop many-to-many
// fields and derived counts, as Nautobot's nested serializers do.
import { tablePath, type ModelSpec, type RowLookup } from '../rest-common/model-spec.js';
import type { Json, SourceRow } from '../rest-common/source-dataset.js';
import { NAUTOBOT_MODEL_BY_TABLE } from './models.js';

export interface NautobotRenderContext {
  base: string;
  lookup: RowLookup;
  /** false when ?exclude_m2m=true. */
  includeM2m: boolean;
  /** `?include=` fields to add to top-level objects (config_context, computed_fields, relationships). */
  optIn?: readonly string[];
  /** Related objects already rendered (by table/id/depth), kept until the dataset changes. */
  rendered?: Map<string, Json>;
}

const TAIL = new Set(['id', 'created', 'last_updated', 'tags', 'custom_fields']);

function slugPart(v: string): string {
  return v.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[-\s]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
}

function naturalSlug(row: SourceRow, spec: ModelSpec, lookup: RowLookup): string {
  const parts: string[] = [];
  for (const f of spec.naturalKey ?? ['name']) {
    const v = row[f];
    const target = spec.refs[f];
    if (target && typeof v === 'string') {
      const ref = lookup.get(target, v);
      const refSpec = NAUTOBOT_MODEL_BY_TABLE.get(target);
      parts.push(ref && refSpec ? slugPart(refSpec.display(ref, lookup).split(' → ').pop() ?? '') : '');
    } else parts.push(v === null || v === undefined ? '' : slugPart(String(v)));
  }
  return `${parts.join('_')}_${String(row.id).slice(0, 4)}`;
}

function urlOf(table: string, id: Json, base: string): string {
  return `${base}/api/${tablePath(table)}/${String(id)}/`;
}

function relation(table: string, id: Json | undefined, depth: number, ctx: NautobotRenderContext): Json {
  if (id === null || id === undefined) return null;
  const spec = NAUTOBOT_MODEL_BY_TABLE.get(table);
  if (depth <= 0 || !spec) {
    return { id, object_type: spec?.objectType ?? table, url: urlOf(table, id, ctx.base) };
  }
  const key = `${table}/${String(id)}/${depth}`;
  const cached = ctx.rendered?.get(key);
  if (cached !== undefined) return cached;
  const row = typeof id === 'string' ? ctx.lookup.get(table, id) : undefined;
  if (!row) return { id, object_type: spec.objectType, url: urlOf(table, id, ctx.base) };
  const out = serialize(row, spec, depth - 1, true, ctx);
  ctx.rendered?.set(key, out);
  return out;
}

export function serialize(row: SourceRow, spec: ModelSpec, depth: number, nested: boolean, ctx: NautobotRenderContext): Record<string, Json> {
  const url = urlOf(spec.table, row.id, ctx.base);
  const out: Record<string, Json> = {
    id: row.id, object_type: spec.objectType, display: spec.display(row, ctx.lookup), url,
    natural_slug: naturalSlug(row, spec, ctx.lookup),
  };
  for (const [k, v] of Object.entries(row)) {
    if (TAIL.has(k)) continue;
    if (nested && (k.endsWith('_count') || k === 'tree_depth' || k === 'content_types')) continue;
    const target = spec.refs[k];
    const manyTarget = spec.many[k];
    if (target !== undefined) out[k] = relation(target, v, depth, ctx);
    else if (manyTarget !== undefined) {
      if (nested || !ctx.includeM2m) continue;
      out[k] = Array.isArray(v) ? v.map((id) => relation(manyTarget, id, depth, ctx)) : [];
    } else out[k] = v;
  }
  if ('created' in row) out.created = row.created ?? null;
  if ('last_updated' in row) out.last_updated = row.last_updated ?? null;
  if ('tags' in row && !nested && ctx.includeM2m) {
    out.tags = Array.isArray(row.tags) ? row.tags.map((id) => relation('extras.tags', id, depth, ctx)) : [];
  }
  out.notes_url = `${url}notes/`;
  out.custom_fields = row.custom_fields ?? {};
  if (!nested) for (const f of ctx.optIn ?? []) out[f] = {};
  return out;
}
