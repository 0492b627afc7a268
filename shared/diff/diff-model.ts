// The diff of one model: DiffSync's algorithm (match by key, compare the attributes both sides
// have, let the flags drop what they cover) in one pass over each side with a Map.
import { DuplicateKeyError } from '../errors.js';
import { valuesEqual } from './equal.js';
import type { ResolvedFlags } from './flags.js';
import type { Change, Summary, SyncRecord, Value } from './types.js';

export interface ModelDiff {
  /** Creates and updates in source order, then deletes in destination order. */
  changes: Change[];
  summary: Summary;
  /** Keys whose compared attributes were identical; filled only with LOG_UNCHANGED_RECORDS. */
  unchanged: string[];
}

export function emptySummary(): Summary {
  return { create: 0, update: 0, delete: 0, 'no-change': 0, skip: 0 };
}

export function addSummary(into: Summary, add: Summary): Summary {
  into.create += add.create;
  into.update += add.update;
  into.delete += add.delete;
  into['no-change'] += add['no-change'];
  into.skip += add.skip;
  return into;
}

/**
 * Index records by key. A key seen twice would make DiffSync silently keep the last record;
 * we refuse instead, since either record could be the one that gets written.
 */
function indexByKey(model: string, records: readonly SyncRecord[]): Map<string, SyncRecord> {
  const byKey = new Map<string, SyncRecord>();
  let duplicates: Map<string, string[]> | undefined;
  for (const record of records) {
    const seen = byKey.get(record.key);
    if (seen === undefined) {
      byKey.set(record.key, record);
      continue;
    }
    duplicates ??= new Map();
    const ids = duplicates.get(record.key) ?? [seen.localId ?? '?'];
    ids.push(record.localId ?? '?');
    duplicates.set(record.key, ids);
  }
  if (duplicates) {
    throw new DuplicateKeyError(
      model,
      [...duplicates].map(([key, localIds]) => ({ key, localIds })),
    );
  }
  return byKey;
}

/** The source values and destination values of every shared attribute that differs, or undefined. */
function differingAttrs(
  src: Record<string, Value>,
  dst: Record<string, Value>,
): { attrs: Record<string, Value>; previous: Record<string, Value> } | undefined {
  let attrs: Record<string, Value> | undefined;
  let previous: Record<string, Value> | undefined;
  for (const name in src) {
    // DiffSync compares only the intersection: a field one side does not carry is not a change.
    if (!Object.hasOwn(dst, name)) continue;
    const s = src[name] as Value;
    const d = dst[name] as Value;
    if (valuesEqual(s, d)) continue;
    attrs ??= {};
    previous ??= {};
    attrs[name] = s;
    previous[name] = d;
  }
  return attrs && previous ? { attrs, previous } : undefined;
}

export function diffModel(
  model: string,
  source: readonly SyncRecord[],
  destination: readonly SyncRecord[],
  flags: ResolvedFlags,
): ModelDiff {
  const dstByKey = indexByKey(model, destination);
  // Only the source side needs a key check of its own; matching happens through dstByKey.
  const srcKeys = new Set<string>();
  const summary = emptySummary();
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const srcDuplicates = new Map<string, string[]>();

  for (const src of source) {
    if (srcKeys.has(src.key)) {
      const ids = srcDuplicates.get(src.key) ?? [];
      ids.push(src.localId ?? '?');
      srcDuplicates.set(src.key, ids);
      continue;
    }
    srcKeys.add(src.key);
    const dst = dstByKey.get(src.key);
    if (dst === undefined) {
      if (flags.skipUnmatchedSrc) {
        summary.skip++;
        continue;
      }
      changes.push({
        id: `${model}/create/${src.key}`,
        action: 'create',
        model,
        key: src.key,
        ids: src.ids,
        attrs: src.attrs,
      });
      summary.create++;
      continue;
    }
    const diff = differingAttrs(src.attrs, dst.attrs);
    if (diff === undefined) {
      summary['no-change']++;
      if (flags.logUnchanged) unchanged.push(src.key);
      continue;
    }
    if (flags.skipModified) {
      summary.skip++;
      continue;
    }
    const change: Change = {
      id: `${model}/update/${src.key}`,
      action: 'update',
      model,
      key: src.key,
      ids: src.ids,
      attrs: diff.attrs,
      previous: diff.previous,
    };
    if (dst.localId !== undefined) change.destinationId = dst.localId;
    changes.push(change);
    summary.update++;
  }
  if (srcDuplicates.size > 0) {
    throw new DuplicateKeyError(
      model,
      [...srcDuplicates].map(([key, ids]) => {
        const first = source.find((r) => r.key === key)?.localId ?? '?';
        return { key, localIds: [first, ...ids] };
      }),
    );
  }

  for (const dst of destination) {
    if (srcKeys.has(dst.key)) continue;
    if (flags.skipUnmatchedDst) {
      summary.skip++;
      continue;
    }
    const change: Change = {
      id: `${model}/delete/${dst.key}`,
      action: 'delete',
      model,
      key: dst.key,
      ids: dst.ids,
      attrs: {},
      previous: dst.attrs,
    };
    if (dst.localId !== undefined) change.destinationId = dst.localId;
    changes.push(change);
    summary.delete++;
  }

  return { changes, summary, unchanged };
}
