// Stored Peering Manager rows -> API JSON, as v1.9.7 renders them: top-level objects carry no
// `url` (the serializers' Meta.fields start at id, display), related objects are nested
// serializers that do; ChoiceFields are {value, label} at the top level and raw values when
// nested (the nested serializers use DRF's plain model fields).
import type { RowLookup } from '../rest-common/model-spec.js';
import type { Json, SourceRow } from '../rest-common/source-dataset.js';
import { PM_MODEL_BY_TABLE, type PmModel } from './models.js';

export interface PmRenderContext {
  base: string;
  lookup: RowLookup;
}

export function nested(row: SourceRow, m: PmModel, ctx: PmRenderContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of m.nested) {
    if (f === 'url') out.url = `${ctx.base}/api/${m.path}/${row.id}/`;
    else if (f === 'display') out.display = m.display(row, ctx.lookup);
    else if (f === 'name' && m.table === 'net.connections') out.name = m.display(row, ctx.lookup);
    else out[f] = row[f] ?? null;
  }
  return out;
}

function ref(table: string, id: Json | undefined, ctx: PmRenderContext): Json {
  if (typeof id !== 'number') return null;
  const m = PM_MODEL_BY_TABLE.get(table);
  const row = ctx.lookup.get(table, id);
  return m && row ? nested(row, m, ctx) : null;
}

export function full(row: SourceRow, m: PmModel, ctx: PmRenderContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of m.fields) {
    const v = row[f];
    if (f === 'display') out.display = m.display(row, ctx.lookup);
    else if (f === 'name' && m.table === 'net.connections') out.name = m.display(row, ctx.lookup);
    else if (m.refs[f] !== undefined) out[f] = m.plainRefs?.includes(f) ? (v ?? null) : ref(m.refs[f] as string, v, ctx);
    else if (m.many[f] !== undefined) {
      const table = m.many[f] as string;
      out[f] = Array.isArray(v) ? v.map((x) => ref(table, x, ctx)).filter((x) => x !== null) : [];
    } else if (m.choices[f]?.rendered) {
      out[f] = v === null || v === undefined || v === '' ? null : { value: v, label: m.choices[f].values[String(v)] ?? String(v) };
    } else out[f] = v ?? null;
  }
  return out;
}
