// Raw records of one model on one side -> canonical SyncRecords.
// Source side, per record: filters (on the raw record), transforms, then fields. Destination
// side: every field read by name, statics included (the destination stores them).
// Keys: identifier values rendered with Python's str() and joined with "__", as DiffSync's
// get_unique_id does (so 5 -> "5", true -> "True", a float 2.5 -> "2.5"; a reference
// identifier contributes the peer's key). A record whose identifier is null or whose
// identifier reference cannot be resolved is left out, with a warning.
// attrs: every field but the identifiers. A reference whose peer cannot be found is left out
// of attrs (the diff then does not compare it) and reported.
// Two records with the same key fail the model with DuplicateKeyError listing all of them, on
// either side (upstream: DiffSync's ObjectAlreadyExists on the source; a silent overwrite on
// an Infrahub destination, which would make updates land on an arbitrary node).
// Differences from upstream: a static of false, 0 or "" is a value (upstream's `if
// field.static:` drops it); a missing mapped value is null (upstream: unset, which its models
// default to None anyway).
import type { RawRecord } from '../adapters/types.js';
import type { SyncConfig } from '../config/types.js';
import type { SyncRecord, Value } from '../diff/types.js';
import { DuplicateKeyError } from '../errors.js';
import { compileModel, type CompiledPart, type MappingOptions, type Side } from './compiled.js';
import { pyStr } from './python.js';
import { resolveReference, type ReferenceIndex } from './references.js';
import { toValue } from './values.js';

export type MappingWarningCode =
  | 'reference-missing'
  | 'identifier-null'
  | 'identifier-unresolved'
  | 'local-id-collision';

export interface MappingWarning {
  code: MappingWarningCode;
  model: string;
  message: string;
  localId?: string;
  key?: string;
  field?: string;
  /** Peer ids that could not be found. */
  missing?: string[];
}

export interface NormaliseResult {
  records: SyncRecord[];
  /** localId -> key for every loaded record. */
  idToKey: Map<string, string>;
  warnings: MappingWarning[];
  /** Raw records the filters left out. */
  filtered: number;
}

interface Pending {
  part: CompiledPart;
  localId: string | undefined;
  values: unknown[];
  key?: string;
  ids?: Record<string, Value>;
}

function idOf(raw: RawRecord): string | undefined {
  const id = raw.id;
  return id === undefined || id === null ? undefined : String(id);
}

/**
 * Normalises one model. `raws` is aligned with buildLoadRequests(config, model, side): one
 * array per request. `refs` holds the id -> key index of models already normalised on the
 * same side; a model referencing itself is resolved against its own records.
 */
export function normaliseModel(
  config: SyncConfig,
  model: string,
  side: Side,
  raws: RawRecord[][],
  refs: ReferenceIndex,
  options?: MappingOptions,
): NormaliseResult {
  const compiled = compileModel(config, model, side, options);
  if (raws.length !== compiled.parts.length) {
    throw new Error(`${model} (${side}): ${raws.length} raw record lists for ${compiled.parts.length} load requests`);
  }
  const warnings: MappingWarning[] = [];
  let filtered = 0;
  const pending: Pending[] = [];

  compiled.parts.forEach((part, pi) => {
    const list = raws[pi] as RawRecord[];
    const fields = part.fields;
    const n = fields.length;
    for (const raw of list) {
      if (side === 'source' && !part.filter(raw)) {
        filtered++;
        continue;
      }
      const rec = side === 'source' ? part.transforms.apply(raw) : raw;
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const f = fields[i]!;
        values[i] = f.get ? f.get(rec) : f.staticValue;
      }
      pending.push({ part, localId: idOf(raw), values });
    }
  });

  const own = new Map<string, string>();
  const peerIndex = (peer: string): ReadonlyMap<string, string> | undefined => (peer === model ? own : refs.get(peer));
  const selfKeyed = compiled.parts.some((p) => p.identifiers.some((i) => p.fields[i]!.reference === model));

  // Keys. With an identifier that references this same model, a record can only be keyed
  // once its peer is: retry until a round makes no progress.
  let queue = pending;
  for (;;) {
    const retry: Pending[] = [];
    for (const p of queue) {
      const r = keyOf(p, peerIndex);
      if (r.ok) {
        p.key = r.key;
        p.ids = r.ids;
        if (p.localId !== undefined) {
          const prev = own.get(p.localId);
          if (prev === undefined) own.set(p.localId, r.key);
          else if (prev !== r.key) {
            warnings.push({
              code: 'local-id-collision',
              model,
              localId: p.localId,
              key: r.key,
              message:
                `${model}: id ${p.localId} belongs to two records (${prev} and ${r.key}), probably from two ` +
                `source endpoints; references to this id resolve to ${prev}`,
            });
          }
        }
      } else if (selfKeyed && r.selfMissing) retry.push(p);
      else warnings.push(r.warning);
    }
    if (retry.length === 0) break;
    if (retry.length === queue.length) {
      for (const p of retry) {
        const r = keyOf(p, peerIndex);
        if (!r.ok) warnings.push(r.warning);
      }
      break;
    }
    queue = retry;
  }

  const byKey = new Map<string, Pending[]>();
  for (const p of pending) {
    if (p.key === undefined) continue;
    const same = byKey.get(p.key);
    if (same) same.push(p);
    else byKey.set(p.key, [p]);
  }
  const dups = [...byKey].filter(([, ps]) => ps.length > 1);
  if (dups.length) {
    throw new DuplicateKeyError(
      model,
      dups.map(([key, ps]) => ({ key, localIds: ps.map((p) => p.localId ?? '(no id)') })),
    );
  }

  const records: SyncRecord[] = [];
  for (const p of pending) {
    if (p.key === undefined) continue;
    const fields = p.part.fields;
    const attrs: Record<string, Value> = {};
    for (const i of p.part.attrs) {
      const f = fields[i]!;
      const raw = p.values[i];
      if (f.reference !== undefined && !(side === 'source' && f.hasStatic)) {
        const r = resolveReference(raw, peerIndex(f.reference));
        if (r.ok) attrs[f.name] = r.value;
        else {
          warnings.push({
            code: 'reference-missing',
            model,
            localId: p.localId,
            key: p.key,
            field: f.name,
            missing: r.missing,
            message:
              `${model} ${p.key}: ${f.name} points at ${f.reference} id(s) ${r.missing.join(', ')} which ` +
              `were not loaded (filtered out, or missing); the field is left out of the comparison`,
          });
        }
      } else attrs[f.name] = toValue(raw);
    }
    const rec: SyncRecord = { model, key: p.key, ids: p.ids as Record<string, Value>, attrs };
    if (p.localId !== undefined) rec.localId = p.localId;
    records.push(rec);
  }
  return { records, idToKey: own, warnings, filtered };
}

type KeyResult =
  | { ok: true; key: string; ids: Record<string, Value> }
  | { ok: false; selfMissing: boolean; warning: MappingWarning };

function keyOf(p: Pending, peerIndex: (peer: string) => ReadonlyMap<string, string> | undefined): KeyResult {
  const { part } = p;
  const model = part.entry.name;
  const ids: Record<string, Value> = {};
  let key = '';
  for (let j = 0; j < part.identifiers.length; j++) {
    const i = part.identifiers[j]!;
    const f = part.fields[i]!;
    let v: Value;
    if (f.reference !== undefined && f.get) {
      const r = resolveReference(p.values[i], peerIndex(f.reference));
      if (!r.ok) {
        return {
          ok: false,
          selfMissing: f.reference === model,
          warning: {
            code: 'identifier-unresolved',
            model,
            localId: p.localId,
            field: f.name,
            missing: r.missing,
            message:
              `${model} record ${p.localId ?? '(no id)'} not loaded: identifier ${f.name} points at ` +
              `${f.reference} id(s) ${r.missing.join(', ')} which were not loaded`,
          },
        };
      }
      v = r.value;
    } else v = toValue(p.values[i]);
    if (v === null) {
      return {
        ok: false,
        selfMissing: false,
        warning: {
          code: 'identifier-null',
          model,
          localId: p.localId,
          field: f.name,
          message: `${model} record ${p.localId ?? '(no id)'} not loaded: identifier ${f.name} is empty`,
        },
      };
    }
    ids[f.name] = v;
    key = j === 0 ? pyStr(v) : `${key}__${pyStr(v)}`;
  }
  return { ok: true, key, ids };
}
