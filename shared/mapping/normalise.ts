// Raw records of one model on one side -> canonical SyncRecords.
// Source side, per record: filters (on the raw record), transforms, then fields. Destination
// side: every field read by name, statics included (the destination stores them).
// Keys: identifier values rendered with Python's str() and joined with "__", as DiffSync's
// get_unique_id does (so 5 -> "5", true -> "True", a float 2.5 -> "2.5"; a reference
// identifier contributes the peer's key). A record whose identifier is null or whose
// identifier reference cannot be resolved is left out, with a warning (options.nullIdentifiers
// = 'none' keys a null as "None" instead, like DiffSync; see MappingOptions).
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
import { KeyIndex } from '../diff/key-index.js';
import { DuplicateKeyError } from '../errors.js';
import { escaped } from '../escape.js';
import { endpointKey } from './endpoints.js';
import { compileModel, type CompiledField, type CompiledPart, type MappingOptions, type Side } from './compiled.js';
import { pyStr, truthy } from './python.js';
import { sourceTraits, type DuplicateMode } from './source-traits.js';
import { referenceValue, type ReferenceIndex } from './references.js';
import { setOwn } from '../own.js';
import { toValue } from './values.js';

export type MappingWarningCode =
  | 'reference-missing'
  | 'reference-unresolved'
  | 'duplicate-kept'
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
  /** Position in `records` by key; diffModel takes it for the destination side instead of
   *  indexing the records again. */
  keyIndex: KeyIndex;
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

/** Out-parameter of keyOf, reused so the hot loop allocates nothing for it. */
interface KeyOut {
  key: string;
  ids: Record<string, Value>;
  selfMissing: boolean;
  warning?: MappingWarning;
}

function idOf(raw: RawRecord): string | undefined {
  const id = raw.id;
  return id === undefined || id === null ? undefined : String(id);
}

type PeerIndex = (peer: string) => ReadonlyMap<string, string> | undefined;

/** Makes an object of fixed keys from `values` (same order; undefined leaves a key out). */
type Build = (values: readonly (Value | undefined)[]) => Record<string, Value>;

/**
 * Per part, how its attrs and ids objects are made, and scratch arrays for their values.
 * Each record's objects come from an object literal compiled for the part's field names: V8
 * then gives them their exact size and layout from the start, allocates them directly where
 * they will live (they all outlive the scavenges), and never looks a name up. Built field by
 * field from `{}`, attrs of five fields took 50% more memory (four in-object slots, then an
 * overflow array) and the pipeline benchmark twice the scavenging. The literal is generated
 * code, but its only input is the field names, each written as a JSON string literal, which
 * JavaScript reads back as exactly that string.
 */
interface Shapes {
  attrs: Build;
  /** attrs when a reference was missing: its field is left out. */
  attrsPartial: Build;
  ids: Build;
  attrValues: (Value | undefined)[];
  idValues: (Value | undefined)[];
}

const shapesByPart = new WeakMap<CompiledPart, Shapes>();

function generic(names: readonly string[]): Build {
  return (values) => {
    const o: Record<string, Value> = {};
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      if (v !== undefined) setOwn(o, names[i] as string, v);
    }
    return o;
  };
}

/** Builders by field names (JSON of the list): models of a config mostly share their field
 *  names, and compiling a function per model and side cost ~20 us each, 0.4 s for 5,000 models.
 *  Bounded, for a long-lived process that sees many configs. */
const literals = new Map<string, Build>();
const MAX_LITERALS = 1000;

function literal(names: readonly string[]): Build {
  // `"__proto__": v` in a literal would set the prototype instead of adding a field.
  if (names.includes('__proto__')) return generic(names);
  const signature = JSON.stringify(names);
  let build = literals.get(signature);
  if (build) return build;
  try {
    build = new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as Build;
  } catch {
    // A process run with --disallow-code-generation-from-strings: same objects, made slower.
    return generic(names);
  }
  if (literals.size >= MAX_LITERALS) literals.clear();
  literals.set(signature, build);
  return build;
}

function shapesOf(part: CompiledPart): Shapes {
  let s = shapesByPart.get(part);
  if (!s) {
    const attrNames = part.attrs.map((i) => (part.fields[i] as CompiledField).name);
    const idNames = part.identifiers.map((i) => (part.fields[i] as CompiledField).name);
    s = {
      attrs: literal(attrNames),
      attrsPartial: generic(attrNames),
      ids: literal(idNames),
      attrValues: new Array<Value | undefined>(attrNames.length),
      idValues: new Array<Value | undefined>(idNames.length),
    };
    shapesByPart.set(part, s);
  }
  return s;
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
  let expected = 0;
  for (const list of raws) expected += list.length;
  // Sized once (trimmed at the end): grown by push, a 100,000-record array leaves ~2.5 times
  // its size in outgrown copies, which outlive the model in a run with no full GC.
  const records = new Array<SyncRecord>(expected);
  const st: State = {
    model,
    side,
    own: new Map(),
    warnings: [],
    filtered: 0,
    records,
    count: 0,
    byKey: new KeyIndex(records, expected),
    dups: new Map(),
    out: { key: '', ids: {}, selfMissing: false },
    peerIndex: (peer) => (peer === model ? st.own : refs.get(peer)),
    nullAsNone: options?.nullIdentifiers === 'none',
    missing: [],
    endpoints: compiled.parts.length > 1,
    duplicates: side === 'source' ? sourceTraits(config.source.name).duplicates : 'fail',
    repeated: 0,
    peerKeys: new Map(),
    unresolved: new Map(),
  };
  const selfRef = compiled.parts.some((p) => p.fields.some((f) => f.reference === model));
  if (selfRef) twoPhase(compiled.parts, raws, st);
  else onePass(compiled.parts, raws, st);

  summarise(st);
  if (st.dups.size) {
    throw new DuplicateKeyError(
      model,
      [...st.dups].map(([key, localIds]) => ({ key, localIds })),
      side,
    );
  }
  records.length = st.count;
  return { records: st.records, idToKey: st.own, keyIndex: st.byKey, warnings: st.warnings, filtered: st.filtered };
}

interface State {
  model: string;
  side: Side;
  own: Map<string, string>;
  warnings: MappingWarning[];
  filtered: number;
  /** Preallocated; `count` of them filled. */
  records: SyncRecord[];
  count: number;
  byKey: KeyIndex;
  dups: Map<string, string[]>;
  out: KeyOut;
  peerIndex: PeerIndex;
  nullAsNone: boolean;
  /** Collects a reference's missing peer ids; replaced by a fresh array once it is reported. */
  missing: string[];
  /** Several source entries feed this model: also index ids by endpoint (endpoints.ts). */
  endpoints: boolean;
  /** What a second record with a key already seen does (source-traits.ts). */
  duplicates: DuplicateMode;
  /** Records dropped or replaced as repeats of a key ('first' / 'last'). */
  repeated: number;
  /** Per peer model, the keys loaded (for references checked against them). */
  peerKeys: Map<string, Set<string>>;
  /** Per field, plain-value references no loaded peer has: how many, one example, skipped. */
  unresolved: Map<string, { peer: string; count: number; example: string; skip: boolean }>;
}

function keysOf(st: State, peer: string): Set<string> {
  let keys = st.peerKeys.get(peer);
  if (!keys) {
    keys = new Set(st.peerIndex(peer)?.values() ?? []);
    st.peerKeys.set(peer, keys);
  }
  return keys;
}

/** Plain-value references checked against the peer's keys (CompiledField.peerCheck): an unknown
 *  one becomes null ('null'), or leaves the record out ('skip': false is returned). */
function checkPeers(part: CompiledPart, values: unknown[], st: State): boolean {
  const fields = part.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.peerCheck === undefined || f.reference === undefined) continue;
    const v = values[i];
    if (v === null || typeof v === 'object' || !truthy(v)) continue;
    const key = pyStr(v);
    if (keysOf(st, f.reference).has(key)) continue;
    const skip = f.peerCheck === 'skip';
    const seen = st.unresolved.get(f.name);
    if (seen) seen.count++;
    else st.unresolved.set(f.name, { peer: f.reference, count: 1, example: key, skip });
    if (skip) return false;
    values[i] = null;
  }
  return true;
}

/** One warning per field with unresolved references, and one for repeated keys. */
function summarise(st: State): void {
  for (const [field, u] of st.unresolved) {
    st.warnings.push({
      code: 'reference-unresolved',
      model: st.model,
      field,
      message:
        `${st.model}: ${u.count} record(s) name a ${u.peer} by ${field} that was not loaded (e.g. ${JSON.stringify(u.example)}); ` +
        (u.skip ? 'those records are left out, as the source adapter does upstream' : `${field} is left empty on them, as upstream`),
    });
  }
  if (st.repeated > 0) {
    st.warnings.push({
      code: 'duplicate-kept',
      model: st.model,
      message:
        `${st.model}: ${st.repeated} record(s) repeat the key of another (the same VLAN, VRF or prefix seen on several devices); ` +
        `the ${st.duplicates === 'first' ? 'first' : 'last'} of each is kept, as the source adapter does upstream`,
    });
  }
}

/** Filters, transforms and reads the fields of one raw record into `values`; false if filtered. */
function read(part: CompiledPart, raw: RawRecord, side: Side, values: unknown[]): boolean {
  if (side === 'source' && !part.filter(raw)) return false;
  const rec = side === 'source' ? part.transforms.apply(raw) : raw;
  const fields = part.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    values[i] = f.get ? f.get(rec) : f.staticValue;
    if (f.stored) values[i] = f.stored(values[i]);
  }
  return true;
}

/** No self-reference: every record is keyed and built as it is read. */
function onePass(parts: CompiledPart[], raws: RawRecord[][], st: State): void {
  parts.forEach((part, pi) => {
    const values = new Array<unknown>(part.fields.length);
    const list = raws[pi] as RawRecord[];
    // Indexed loops on the per-record paths: for-of allocated an iterator result per step here.
    for (let r = 0; r < list.length; r++) {
      const raw = list[r] as RawRecord;
      if (!read(part, raw, st.side, values)) {
        st.filtered++;
        continue;
      }
      if (!checkPeers(part, values, st)) continue;
      const localId = idOf(raw);
      if (!keyOf(part, values, localId, st, st.out)) {
        st.warnings.push(st.out.warning as MappingWarning);
        continue;
      }
      remember(st, localId, st.out.key, part);
      emit(st, part, values, localId, st.out.key, st.out.ids);
    }
  });
}

/** A self-reference: key every record first (retrying those keyed by a peer of the same
 *  model until a round makes no progress), then resolve attributes against the full index. */
function twoPhase(parts: CompiledPart[], raws: RawRecord[][], st: State): void {
  const pending: Pending[] = [];
  parts.forEach((part, pi) => {
    for (const raw of raws[pi] as RawRecord[]) {
      const values = new Array<unknown>(part.fields.length);
      if (!read(part, raw, st.side, values)) {
        st.filtered++;
        continue;
      }
      if (!checkPeers(part, values, st)) continue;
      pending.push({ part, localId: idOf(raw), values });
    }
  });
  let queue = pending;
  for (;;) {
    const retry: Pending[] = [];
    for (const p of queue) {
      if (keyOf(p.part, p.values, p.localId, st, st.out)) {
        p.key = st.out.key;
        p.ids = st.out.ids;
        remember(st, p.localId, p.key, p.part);
      } else if (st.out.selfMissing) retry.push(p);
      else st.warnings.push(st.out.warning as MappingWarning);
    }
    if (retry.length === 0) break;
    if (retry.length === queue.length) {
      for (const p of retry) if (!keyOf(p.part, p.values, p.localId, st, st.out)) st.warnings.push(st.out.warning as MappingWarning);
      break;
    }
    queue = retry;
  }
  for (const p of pending) {
    if (p.key !== undefined) emit(st, p.part, p.values, p.localId, p.key, p.ids as Record<string, Value>);
  }
}

function remember(st: State, localId: string | undefined, key: string, part: CompiledPart): void {
  if (localId === undefined) return;
  if (st.endpoints) st.own.set(endpointKey(part.entry.mapping, localId), key);
  const prev = st.own.get(localId);
  if (prev === undefined) st.own.set(localId, key);
  else if (prev !== key) {
    st.warnings.push({
      code: 'local-id-collision',
      model: st.model,
      localId,
      key,
      message:
        escaped`${st.model}: id ${localId} belongs to two records (${prev} and ${key}) from two source ` +
        escaped`endpoints; references carrying a url (NetBox, Nautobot) resolve by endpoint, a bare id to ${prev}`,
    });
  }
}

function emit(st: State, part: CompiledPart, values: unknown[], localId: string | undefined, key: string, ids: Record<string, Value>): void {
  const at = st.byKey.add(key, st.count);
  if (at >= 0 && st.duplicates !== 'fail') {
    st.repeated++;
    if (st.duplicates === 'last') st.records[at] = build(st, part, values, localId, key, ids);
    return;
  }
  if (at >= 0) {
    const list = st.dups.get(key);
    if (list) list.push(localId ?? '(no id)');
    else st.dups.set(key, [(st.records[at] as SyncRecord).localId ?? '(no id)', localId ?? '(no id)']);
    return;
  }
  st.records[st.count++] = build(st, part, values, localId, key, ids);
}

function build(st: State, part: CompiledPart, values: unknown[], localId: string | undefined, key: string, ids: Record<string, Value>): SyncRecord {
  const fields = part.fields;
  const shapes = shapesOf(part);
  const vals = shapes.attrValues;
  let complete = true;
  const attrIndexes = part.attrs;
  for (let a = 0; a < attrIndexes.length; a++) {
    const i = attrIndexes[a] as number;
    const f = fields[i]!;
    const raw = values[i];
    if (f.reference !== undefined && f.get) {
      const missing = st.missing;
      const v = referenceValue(raw, st.peerIndex(f.reference), missing);
      vals[a] = v;
      if (v === undefined) {
        complete = false;
        st.missing = [];
        st.warnings.push({
          code: 'reference-missing',
          model: st.model,
          localId,
          key,
          field: f.name,
          missing,
          message:
            escaped`${st.model} ${key}: ${f.name} points at ${f.reference} id(s) ${missing.join(', ')} which ` +
            `were not loaded (filtered out, or missing); the field is left out of the comparison`,
        });
      }
    } else vals[a] = toValue(raw);
  }
  const attrs = complete ? shapes.attrs(vals) : shapes.attrsPartial(vals);
  return localId === undefined ? { model: st.model, key, ids, attrs } : { model: st.model, key, ids, attrs, localId };
}

/** Builds the key and ids into `out`; false (with out.warning) when the record cannot be keyed. */
function keyOf(part: CompiledPart, values: unknown[], localId: string | undefined, st: State, out: KeyOut): boolean {
  const peerIndex = st.peerIndex;
  const model = part.entry.name;
  const shapes = shapesOf(part);
  const idValues = shapes.idValues;
  let key = '';
  for (let j = 0; j < part.identifiers.length; j++) {
    const i = part.identifiers[j]!;
    const f = part.fields[i]!;
    let v: Value;
    if (f.reference !== undefined && f.get) {
      const missing = st.missing;
      const r = referenceValue(values[i], peerIndex(f.reference), missing);
      if (r === undefined) {
        st.missing = [];
        out.selfMissing = f.reference === model;
        out.warning = {
          code: 'identifier-unresolved',
          model,
          localId,
          field: f.name,
          missing,
          message:
            escaped`${model} record ${localId ?? '(no id)'} not loaded: identifier ${f.name} points at ` +
            escaped`${f.reference} id(s) ${missing.join(', ')} which were not loaded`,
        };
        return false;
      }
      v = r;
    } else v = toValue(values[i]);
    // An optional relationship left empty (a device with no tenant) is a real value and keys as
    // "None", as DiffSync does; an empty plain identifier (no name) means the record is unusable.
    if (v === null && !st.nullAsNone && f.reference === undefined) {
      out.selfMissing = false;
      out.warning = {
        code: 'identifier-null',
        model,
        localId,
        field: f.name,
        message: escaped`${model} record ${localId ?? '(no id)'} not loaded: identifier ${f.name} is empty`,
      };
      return false;
    }
    idValues[j] = v;
    key = j === 0 ? pyStr(v) : `${key}__${pyStr(v)}`;
  }
  out.key = key;
  out.ids = shapes.ids(idValues);
  return true;
}
