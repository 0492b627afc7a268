// What a stand-in knows about one table beyond its rows: where references point, how the
// system names the object, and which fields its brief form keeps.
import type { RowId, SourceRow } from './source-dataset.js';

export interface RowLookup {
  get(table: string, id: RowId): SourceRow | undefined;
}

export interface ModelSpec {
  /** `<app>.<model-with-dashes>`, also the URL path `/api/<app>/<model-with-dashes>/`. */
  table: string;
  /** `app.model` content-type label, e.g. `dcim.device` (Nautobot `object_type`). */
  objectType: string;
  /** Reference fields: field -> table it points at. */
  refs: Record<string, string>;
  /** Many-reference fields: field -> table. */
  many: Record<string, string>;
  display(row: SourceRow, lookup: RowLookup): string;
  /** NetBox: fields of the brief (nested) form. */
  brief?: readonly string[];
  /** Fields the `q` search looks in. */
  search: readonly string[];
  /** Nautobot: natural key fields (for natural_slug). */
  naturalKey?: readonly string[];
}

export function tablePath(table: string): string {
  const dot = table.indexOf('.');
  return `${table.slice(0, dot)}/${table.slice(dot + 1)}`;
}

/** Id-indexed view over a dataset's tables that tolerates tests mutating or appending rows. */
export class TableIndex implements RowLookup {
  private readonly maps = new Map<string, Map<string, SourceRow>>();
  constructor(private readonly tables: Record<string, SourceRow[]>) {}

  get(table: string, id: RowId): SourceRow | undefined {
    const key = String(id);
    let map = this.maps.get(table);
    let row = map?.get(key);
    if (row === undefined || String(row.id) !== key) {
      map = this.rebuild(table);
      row = map.get(key);
    }
    return row;
  }

  /** Forget every index (the dataset changed). */
  reset(): void {
    this.maps.clear();
  }

  private rebuild(table: string): Map<string, SourceRow> {
    const map = new Map<string, SourceRow>();
    for (const row of this.tables[table] ?? []) map.set(String(row.id), row);
    this.maps.set(table, map);
    return map;
  }
}
