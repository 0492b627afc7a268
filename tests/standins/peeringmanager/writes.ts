// Creates, updates and deletes as Peering Manager 1.9.7's API performs them: DRF field
// validation with DRF's messages (required, null, blank, integer, boolean, choice, related
// object not found), the models' uniqueness ("<model> with this <field> already exists."),
// and on_delete (CASCADE / SET_NULL) when a row goes.
import type { Json, SourceRow } from '../rest-common/source-dataset.js';
import type { TableIndex } from '../rest-common/model-spec.js';
import { PM_MODELS, type PmModel } from './models.js';

export type FieldErrors = Record<string, string[]>;

export interface WriteResult {
  row?: SourceRow;
  errors?: FieldErrors;
}

const SLUG = /^[-a-zA-Z0-9_]+$/;

function ipValue(v: unknown, family: 4 | 6): string | undefined {
  if (typeof v !== 'string') return undefined;
  const [addr, len, extra] = v.split('/');
  if (extra !== undefined || !addr) return undefined;
  const max = family === 4 ? 32 : 128;
  if (len !== undefined && (!/^\d+$/.test(len) || Number(len) > max)) return undefined;
  const ok = family === 4
    ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(addr) && addr.split('.').every((o) => Number(o) <= 255)
    : addr.includes(':') && /^[0-9a-fA-F:]+$/.test(addr);
  return ok ? `${addr.toLowerCase()}/${len ?? max}` : undefined;
}

/** One scalar field: the stored value or the DRF message. */
function scalar(m: PmModel, field: string, v: unknown): { value?: Json; error?: string } {
  const kind = m.scalars[field];
  if (v === null) return m.nullable.includes(field) ? { value: null } : { error: 'This field may not be null.' };
  switch (kind) {
    case 'string':
    case 'text':
    case 'slug': {
      if (typeof v === 'object') return { error: 'Not a valid string.' };
      const s = String(v);
      if (s === '' && m.required.includes(field)) return { error: 'This field may not be blank.' };
      if (kind === 'slug' && !SLUG.test(s)) {
        return { error: 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.' };
      }
      const max = m.maxLength?.[field];
      if (max !== undefined && s.length > max) return { error: `Ensure this field has no more than ${max} characters.` };
      return { value: s };
    }
    case 'int':
    case 'vlan': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isInteger(n)) return { error: 'A valid integer is required.' };
      const min = kind === 'vlan' || field === 'asn' ? 1 : 0;
      const max = kind === 'vlan' ? 4094 : field === 'asn' ? 4294967295 : 2147483647;
      if (n < min) return { error: `Ensure this value is greater than or equal to ${min}.` };
      if (n > max) return { error: `Ensure this value is less than or equal to ${max}.` };
      return { value: n };
    }
    case 'bool':
      if (v === true || v === 'true' || v === 'True' || v === 1 || v === '1') return { value: true };
      if (v === false || v === 'false' || v === 'False' || v === 0 || v === '0') return { value: false };
      return { error: 'Must be a valid boolean.' };
    case 'ip4':
    case 'ip6': {
      const ip = ipValue(v, kind === 'ip4' ? 4 : 6);
      return ip ? { value: ip } : { error: `Enter a valid IPv${kind === 'ip4' ? 4 : 6} address.` };
    }
    case 'json':
      return { value: v as Json };
    default:
      return {};
  }
}

function choice(m: PmModel, field: string, v: unknown): { value?: Json; error?: string } {
  const c = m.choices[field];
  if (!c) return {};
  if (v === null || v === '') {
    if (m.nullable.includes(field)) return { value: null };
    return { error: v === null ? 'This field may not be null.' : 'This field may not be blank.' };
  }
  if (typeof v === 'object') {
    return { error: c.rendered ? 'Value must be passed directly (e.g. "foo": 123); do not use a dictionary or list.' : `"${JSON.stringify(v)}" is not a valid choice.` };
  }
  const key = String(v);
  if (!(key in c.values)) return { error: c.rendered ? `${key} is not a valid choice.` : `"${key}" is not a valid choice.` };
  return { value: typeof v === 'number' || /^\d+$/.test(key) && field === 'address_family' ? Number(key) : key };
}

/** A related object given as a pk or as a dict of attributes (WritableNestedSerializer), or a bare pk. */
function related(m: PmModel, field: string, v: unknown, index: TableIndex, tables: Record<string, SourceRow[]>): { value?: Json; error?: string } {
  const table = m.refs[field] as string;
  if (v === null) return m.nullable.includes(field) ? { value: null } : { error: 'This field may not be null.' };
  if (m.plainRefs?.includes(field)) {
    if (typeof v !== 'number' && !(typeof v === 'string' && /^\d+$/.test(v))) return { error: `Incorrect type. Expected pk value, received ${typeof v === 'string' ? 'str' : typeof v}.` };
    return index.get(table, Number(v)) ? { value: Number(v) } : { error: `Invalid pk "${String(v)}" - object does not exist.` };
  }
  if (typeof v === 'object' && !Array.isArray(v)) {
    const params = v as Record<string, unknown>;
    const hits = (tables[table] ?? []).filter((r) => Object.entries(params).every(([k, want]) => String(r[k]) === String(want)));
    if (hits.length === 1) return { value: (hits[0] as SourceRow).id as number };
    const shown = `{${Object.entries(params).map(([k, x]) => `'${k}': ${typeof x === 'string' ? `'${x}'` : String(x)}`).join(', ')}}`;
    return { error: hits.length === 0 ? `Related object not found using the provided attributes: ${shown}` : `Multiple objects match the provided attributes: ${shown}` };
  }
  const pk = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(pk)) {
    return { error: `Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: ${String(v)}` };
  }
  return index.get(table, pk) ? { value: pk } : { error: `Related object not found using the provided numeric ID: ${pk}` };
}

function manyRelated(m: PmModel, field: string, v: unknown, index: TableIndex): { value?: Json; error?: string } {
  if (!Array.isArray(v)) return { error: `Expected a list of items but got type "${v === null ? 'NoneType' : typeof v === 'string' ? 'str' : typeof v}".` };
  const table = m.many[field] as string;
  const out: number[] = [];
  for (const item of v) {
    const pk = typeof item === 'number' ? item : typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : NaN;
    if (!Number.isInteger(pk)) return { error: `Incorrect type. Expected pk value, received ${typeof item === 'string' ? 'str' : typeof item}.` };
    if (!index.get(table, pk)) return { error: `Invalid pk "${pk}" - object does not exist.` };
    if (!out.includes(pk)) out.push(pk);
  }
  return { value: out };
}

export interface WriteContext {
  tables: Record<string, SourceRow[]>;
  index: TableIndex;
  now: () => string;
}

/** Validates a POST (existing undefined), PUT (partial false) or PATCH body and applies it. */
export function writeRow(m: PmModel, body: unknown, existing: SourceRow | undefined, partial: boolean, ctx: WriteContext): WriteResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`] } };
  }
  const input = body as Record<string, unknown>;
  const errors: FieldErrors = {};
  const values: Record<string, Json> = {};
  for (const [field, v] of Object.entries(input)) {
    if (m.readOnly.includes(field)) continue;
    let r: { value?: Json; error?: string };
    if (m.refs[field] !== undefined) r = related(m, field, v, ctx.index, ctx.tables);
    else if (m.many[field] !== undefined) r = manyRelated(m, field, v, ctx.index);
    else if (m.choices[field] !== undefined) r = choice(m, field, v);
    else if (m.scalars[field] !== undefined) r = scalar(m, field, v);
    else continue; // DRF ignores keys the serializer does not have.
    if (r.error !== undefined) errors[field] = [r.error];
    else if (r.value !== undefined) values[field] = r.value;
  }
  if (!partial) for (const f of m.required) if (!(f in input)) errors[f] = ['This field is required.'];
  const rows = ctx.tables[m.table] ?? [];
  for (const [field, label] of Object.entries(m.unique)) {
    if (errors[field] || !(field in values)) continue;
    const clash = rows.find((r) => r !== existing && r.id !== existing?.id && String(r[field]) === String(values[field]));
    if (clash) errors[field] = [`${m.verbose} with this ${label} already exists.`];
  }
  if (Object.keys(errors).length > 0) return { errors };

  const now = ctx.now();
  if (existing) {
    Object.assign(existing, values, { updated: now });
    return { row: existing };
  }
  const nextId = rows.reduce((max, r) => Math.max(max, typeof r.id === 'number' ? r.id : 0), 0) + 1;
  const row: SourceRow = { id: nextId, ...structuredClone(m.defaults), tags: [], ...values, created: now, updated: now };
  rows.push(row);
  ctx.tables[m.table] = rows;
  return { row };
}

/** Deletes a row and applies on_delete to whatever pointed at it. */
export function deleteRow(m: PmModel, row: SourceRow, ctx: WriteContext): void {
  const rows = ctx.tables[m.table] ?? [];
  const at = rows.indexOf(row);
  if (at >= 0) rows.splice(at, 1);
  for (const other of PM_MODELS) {
    for (const [field, table] of Object.entries(other.refs)) {
      if (table !== m.table) continue;
      for (const dep of [...(ctx.tables[other.table] ?? [])]) {
        if (dep[field] !== row.id) continue;
        if (other.onDelete[field] === 'cascade') deleteRow(other, dep, ctx);
        else dep[field] = null;
      }
    }
    for (const [field, table] of Object.entries(other.many)) {
      if (table !== m.table) continue;
      for (const dep of ctx.tables[other.table] ?? []) {
        const list = dep[field];
        if (Array.isArray(list)) dep[field] = list.filter((x) => x !== row.id);
      }
    }
  }
  ctx.index.reset();
}
