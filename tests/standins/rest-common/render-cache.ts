// Rendered JSON kept across requests: a stand-in renders each object once per way of asking
// for it (origin, depth, field options) and builds list pages by joining the cached texts.
// Everything is dropped at once when the dataset changes, since any object may be nested in
// any other.
import type { Json, SourceRow } from './source-dataset.js';

/** Bytes of whole list pages kept before the page cache starts over. */
const MAX_PAGE_BYTES = 512 * 1024 * 1024;

export class RenderCache {
  private texts = new Map<string, Map<SourceRow, string>>();
  private nested = new Map<string, Map<string, Json>>();
  private pages = new Map<string, RawJson>();
  private pageBytes = 0;

  /** A list answer by request URL, so a repeated read of the same page is one socket write. */
  page(url: string): RawJson | undefined {
    return this.pages.get(url);
  }

  keepPage(url: string, p: RawJson): RawJson {
    if (this.pageBytes + p.data.length > MAX_PAGE_BYTES) {
      this.pages = new Map();
      this.pageBytes = 0;
    }
    this.pages.set(url, p);
    this.pageBytes += p.data.length;
    return p;
  }

  /** Rendering variant -> row -> JSON text of the row as served at the top level. */
  textsFor(variant: string): Map<SourceRow, string> {
    let m = this.texts.get(variant);
    if (!m) {
      m = new Map();
      this.texts.set(variant, m);
    }
    return m;
  }

  /** Related objects rendered for an origin, shared by every response from it. */
  nestedFor(origin: string): Map<string, Json> {
    let m = this.nested.get(origin);
    if (!m) {
      m = new Map();
      this.nested.set(origin, m);
    }
    return m;
  }

  clear(): void {
    this.texts = new Map();
    this.nested = new Map();
    this.pages = new Map();
    this.pageBytes = 0;
  }
}

/** A JSON document already serialized; the HTTP shell sends it as it is. */
export class RawJson {
  constructor(readonly data: string | Buffer) {}
}

/** `{count, next, previous, results}` exactly as JSON.stringify would write it. */
export function pageJson(p: { count: number; next: string | null; previous: string | null }, results: string[]): RawJson {
  return new RawJson(
    Buffer.from(
      `{"count":${p.count},"next":${JSON.stringify(p.next)},"previous":${JSON.stringify(p.previous)},"results":[${results.join(',')}]}`,
    ),
  );
}

export function cachedText(cache: Map<SourceRow, string>, row: SourceRow, render: (row: SourceRow) => unknown): string {
  let text = cache.get(row);
  if (text === undefined) {
    text = JSON.stringify(render(row));
    cache.set(row, text);
  }
  return text;
}
