// The diff of one model: DiffSync's algorithm (match by key, compare the attributes both sides
// have, let the flags drop what they cover) in one pass over each side with a Map.
import { DuplicateKeyError } from '../errors.js';
import { setOwn } from '../own.js';
import { valuesEqual } from './equal.js';
import type { ResolvedFlags } from './flags.js';
import { KeyIndex } from './key-index.js';
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
 * Position of every record by key. A key seen twice would make DiffSync silently keep the last
 * record; we refuse instead, since either record could be the one that gets written.
 */
function indexByKey(model: string, records: readonly SyncRecord[]): KeyIndex {
  let duplicates: Map<string, string[]> | undefined;
  const byKey = KeyIndex.of(records, (seen, i) => {
    const record = records[i] as SyncRecord;
    duplicates ??= new Map();
    const ids = duplicates.get(record.key) ?? [records[seen]?.localId ?? '?'];
    ids.push(record.localId ?? '?');
    duplicates.set(record.key, ids);
  });
  if (duplicates) {
    throw new DuplicateKeyError(
      model,
      [...duplicates].map(([key, localIds]) => ({ key, localIds })),
      'destination',
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
    const s = src[name] as Value;
    const d = dst[name] as Value;
    // Most values are equal strings: settled before anything else (an inherited d, say a
    // method, can never equal a Value).
    if (s === d) continue;
    // DiffSync compares only the intersection: a field one side does not carry is not a change.
    if (!Object.hasOwn(dst, name) || valuesEqual(s, d)) continue;
    attrs ??= {};
    previous ??= {};
    setOwn(attrs, name, s);
    setOwn(previous, name, d);
  }
  return attrs && previous ? { attrs, previous } : undefined;
}

/**
 * `destinationIndex`, when given, must index exactly `destination` by key with no duplicates
 * (normaliseModel's `keyIndex` does); it saves indexing the destination again.
 */
export function diffModel(
  model: string,
  source: readonly SyncRecord[],
  destination: readonly SyncRecord[],
  flags: ResolvedFlags,
  destinationIndex?: KeyIndex,
): ModelDiff {
  // One hash lookup per source record; "matched" lives in a byte array rather than a second
  // Set of keys, because at 100,000 records a model that allocation costs more in GC than the
  // lookups do. A destination record matched twice means the source produced its key twice.
  const dstIndex = destinationIndex ?? indexByKey(model, destination);
  const matched = new Uint8Array(destination.length);
  const created = new Set<string>();
  const summary = emptySummary();
  const changes: Change[] = [];
  const unchanged: string[] = [];
  let srcDuplicates: string[] | undefined;

  for (let i = 0; i < source.length; i++) {
    const src = source[i] as SyncRecord;
    const at = dstIndex.get(src.key);
    if (at < 0) {
      if (created.has(src.key)) {
        (srcDuplicates ??= []).push(src.key);
        continue;
      }
      created.add(src.key);
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
    if (matched[at] === 1) {
      (srcDuplicates ??= []).push(src.key);
      continue;
    }
    matched[at] = 1;
    const dst = destination[at] as SyncRecord;
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
  if (srcDuplicates) throw sourceDuplicates(model, source, new Set(srcDuplicates));

  for (let i = 0; i < destination.length; i++) {
    if (matched[i] === 1) continue;
    const dst = destination[i] as SyncRecord;
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

function sourceDuplicates(model: string, source: readonly SyncRecord[], keys: Set<string>): DuplicateKeyError {
  const ids = new Map<string, string[]>();
  for (const record of source) {
    if (!keys.has(record.key)) continue;
    const list = ids.get(record.key) ?? [];
    list.push(record.localId ?? '?');
    ids.set(record.key, list);
  }
  return new DuplicateKeyError(model, [...ids].map(([key, localIds]) => ({ key, localIds })));
}
