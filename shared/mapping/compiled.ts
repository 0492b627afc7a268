// A model's mapping compiled once per config (paths split, filters and templates compiled),
// for one side. Source side: one part per schema_mapping entry of the model that has a
// `mapping` (an entry without one is not loaded from the source, as upstream since #101).
// Destination side: one part, every field read by its own name.
import type { FieldConfig, SchemaMappingEntry, SyncConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { own } from '../own.js';
import { compileFilters, type RecordPredicate } from './filters.js';
import { compilePath, type PathGetter } from './paths.js';
import { pyStr, truthy } from './python.js';
import { sourceTraits } from './source-traits.js';
import { storedValue, type StoredForm } from './stored-forms.js';
import { compileTransforms, type CompiledTransforms, type TransformOptions } from './transforms.js';

export type Side = 'source' | 'destination';

export interface MappingOptions extends TransformOptions {
  /** Identifiers per model for entries that give none (upstream takes the destination
   *  schema's unique attributes; the caller that knows the schema passes them here). */
  identifiers?: Record<string, string[]>;
  /**
   * A null identifier value: 'skip' (default) leaves the record out with a warning; 'none'
   * renders it as "None" in the key, as DiffSync does (upstream's generated models make
   * optional identifiers Optional[...] = None). The NetBox example identifies devices by
   * location, rack, organization and name, so devices without a rack or tenant are only
   * synced with 'none'.
   */
  nullIdentifiers?: 'skip' | 'none';
  /** Fields the destination stores in another form than given (model -> field -> form, from
   *  Adapter.storedForms): source values are read in that form. A reference given as a scalar
   *  (the peer's key) takes the form of the peer's only identifier. */
  storedForms?: Record<string, Record<string, StoredForm>>;
}

export interface CompiledField {
  name: string;
  /** Where the value comes from; absent for a source-side static. */
  get?: PathGetter;
  /** Source side: the value as the destination stores it (stored-forms.ts). */
  stored?: (v: unknown) => unknown;
  hasStatic: boolean;
  staticValue?: unknown;
  reference?: string;
  /** A plain-value reference checked against the peer's loaded keys (source-traits.ts):
   *  'null' gives no peer when none has it, 'skip' leaves the record out. */
  peerCheck?: 'null' | 'skip';
}

export interface CompiledPart {
  entry: SchemaMappingEntry;
  entryIndex: number;
  filter: RecordPredicate;
  transforms: CompiledTransforms;
  fields: CompiledField[];
  /** Indexes into `fields`, in identifier order. */
  identifiers: number[];
  /** Indexes into `fields` of the compared attributes. */
  attrs: number[];
}

export interface CompiledModel {
  model: string;
  side: Side;
  parts: CompiledPart[];
}

const NO_OPTIONS: MappingOptions = {};
const cache = new WeakMap<MappingOptions, WeakMap<SyncConfig, Map<string, CompiledModel>>>();

type IndexedEntry = { entry: SchemaMappingEntry; index: number };
const entryIndexes = new WeakMap<SyncConfig, Map<string, IndexedEntry[]>>();

/** Every entry of `model` with its index, in config order. Indexed once per config: scanning
 *  schema_mapping for each model made planning quadratic in the number of models. */
export function entriesOf(config: SyncConfig, model: string): IndexedEntry[] {
  let byModel = entryIndexes.get(config);
  if (!byModel) {
    const index = new Map<string, IndexedEntry[]>();
    config.schema_mapping.forEach((entry, i) => {
      const list = index.get(entry.name);
      if (list) list.push({ entry, index: i });
      else index.set(entry.name, [{ entry, index: i }]);
    });
    entryIndexes.set(config, (byModel = index));
  }
  return byModel.get(model) ?? [];
}

/** Entries of `model` that are loaded on `side`, in config order, with their indexes. */
export function entriesFor(config: SyncConfig, model: string, side: Side): IndexedEntry[] {
  const all = entriesOf(config, model);
  if (all.length === 0) throw new ConfigError(`model '${model}' has no schema_mapping entry`);
  if (side === 'destination') return all.slice(0, 1);
  return all.filter((e) => e.entry.mapping !== '');
}

/** A field listed twice in one entry: the later one wins (config validation warns), on both
 *  sides alike, so a reference is not compared against an unresolved raw peer. */
function lastDefinitions(fields: FieldConfig[]): FieldConfig[] {
  const last = new Map(fields.map((f, i) => [f.name, i]));
  return fields.filter((f, i) => last.get(f.name) === i);
}

/** An entry's identifiers; else (as infrahub-sync) those of the first entry of the same model that
 *  gives some; else the caller's from the destination schema. */
function identifiersOf(config: SyncConfig, entry: SchemaMappingEntry, options: MappingOptions): string[] {
  if (entry.identifiers.length) return entry.identifiers;
  const sibling = entriesOf(config, entry.name).find((e) => e.entry.identifiers.length > 0);
  if (sibling) return sibling.entry.identifiers;
  const given = own(options.identifiers, entry.name);
  if (given?.length) return given;
  throw new ConfigError(
    `${entry.name}: no identifiers; give \`identifiers\` in the schema_mapping entry ` +
      `(upstream would take the destination schema's unique attributes)`,
  );
}

function split(fields: CompiledField[], ids: string[], model: string, entryIndex: number): { identifiers: number[]; attrs: number[] } {
  const identifiers = ids.map((id) => {
    const i = fields.findIndex((f) => f.name === id);
    if (i < 0) {
      throw new ConfigError(`${model}: identifier '${id}' is not one of the entry's fields`, {
        path: `schema_mapping[${entryIndex}].identifiers`,
      });
    }
    return i;
  });
  const attrs = fields.map((_f, i) => i).filter((i) => !identifiers.includes(i));
  return { identifiers, attrs };
}

/** How a field's source value is turned into the destination's stored form, if it is. */
function storedOf(config: SyncConfig, model: string, f: FieldConfig, options: MappingOptions): ((v: unknown) => unknown) | undefined {
  const forms = options.storedForms;
  if (!forms) return undefined;
  let form = forms[model]?.[f.name];
  if (form === 'many') return (v) => storedValue('many', v);
  if (f.reference) {
    const peer = entriesOf(config, f.reference).find((e) => e.entry.identifiers.length > 0)?.entry;
    form = peer?.identifiers.length === 1 ? forms[f.reference]?.[peer.identifiers[0] as string] : undefined;
  }
  if (!form) return undefined;
  const one = (v: unknown): unknown => storedValue(form, v);
  return f.reference ? (v) => (Array.isArray(v) ? v.map(one) : one(v)) : one;
}

/**
 * ipfabricsync's references (upstream build_mapping): the peer's key made of this record's
 * values at the paths the peer entry maps its identifiers from. A peer identifier that is itself
 * a reference is built the same way from its own peer's entry (upstream joins its raw column
 * instead, so a key such as an NOS version's, keyed by manufacturer and model, never matched).
 */
function peerKeyOf(config: SyncConfig, peer: string, options: MappingOptions, depth = 0): ((rec: unknown) => string) | undefined {
  const entry = entriesOf(config, peer).find((e) => e.entry.mapping !== '')?.entry;
  if (!entry || depth > 8) return undefined;
  let ids: string[];
  try {
    ids = identifiersOf(config, entry, options);
  } catch {
    return undefined;
  }
  const fields = lastDefinitions(entry.fields);
  const parts = ids.map((id): ((rec: unknown) => string) => {
    const f = fields.find((x) => x.name === id);
    if (!f?.mapping || f.hasStatic) return () => '';
    const get = compilePath(f.mapping);
    const nested = f.reference ? peerKeyOf(config, f.reference, options, depth + 1) : undefined;
    if (nested) return (rec) => (truthy(get(rec)) ? nested(rec) : 'None');
    return (rec) => {
      const v = get(rec);
      return v === null ? '' : pyStr(v);
    };
  });
  return (rec) => parts.map((p) => p(rec)).join('__');
}

/** Fields the transforms of a model's entries write. */
function transformOutputs(config: SyncConfig, model: string): Set<string> {
  return new Set(entriesOf(config, model).flatMap(({ entry }) => entry.transforms.map((t) => t.field)));
}

function sourceField(config: SyncConfig, model: string, f: FieldConfig, options: MappingOptions): CompiledField {
  if (f.hasStatic) {
    const staticValue = f.peerAttribute ? peerNames(f.static, f.peerAttribute) : f.static;
    return { name: f.name, hasStatic: true, staticValue, reference: f.reference };
  }
  // A field without `mapping` reads the source field of its own name.
  const traits = sourceTraits(config.source.name);
  const fromTransform = traits.transformedFields && f.mapping && f.mapping !== f.name && transformOutputs(config, model).has(f.name);
  const path = compilePath(fromTransform ? f.name : (f.mapping ?? f.name));
  const attribute = f.peerAttribute;
  const get = attribute ? (o: unknown) => peerNames(path(o), attribute) : path;
  const field: CompiledField = { name: f.name, get, hasStatic: false, reference: f.reference };
  if (!f.reference) return field;
  const mode = traits.references;
  if (mode === 'verified' && f.reference !== model) field.peerCheck = 'skip';
  if (mode === 'peer-identifiers' && f.reference !== model) {
    const key = peerKeyOf(config, f.reference, options);
    if (key) {
      field.get = (rec) => {
        const v = path(rec);
        if (Array.isArray(v) || (typeof v === 'object' && v !== null)) return v;
        return truthy(v) ? key(rec) : null;
      };
      field.peerCheck = 'null';
    }
  }
  return field;
}

function compileSource(config: SyncConfig, model: string, options: MappingOptions): CompiledModel {
  const parts = entriesFor(config, model, 'source').map(({ entry, index }) => {
    const ctx = { model, entryIndex: index };
    const fields: CompiledField[] = lastDefinitions(entry.fields).map((f) => {
      const stored = storedOf(config, model, f, options);
      const field = sourceField(config, model, f, options);
      if (stored) field.stored = stored;
      return field;
    });
    return {
      entry,
      entryIndex: index,
      filter: compileFilters(entry.filters, ctx),
      transforms: compileTransforms(entry.transforms, ctx, options),
      fields,
      ...split(fields, identifiersOf(config, entry, options), model, index),
    };
  });
  return { model, side: 'source', parts };
}

function isDict(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A plain value naming peers by their naming attribute (implied-references.ts), as compared:
 *  one name, or the sorted names of a many-relationship; an empty value is no peer. */
function peerNames(v: unknown, attribute?: string): unknown {
  // A nested object (a NetBox or Nautobot related object) names its peer by the same attribute.
  const one = (x: unknown): unknown => (isDict(x) ? (attribute === undefined ? undefined : x[attribute]) : x);
  if (Array.isArray(v)) return v.map(one).filter(truthy).map(pyStr).sort();
  const x = one(v);
  return truthy(x) ? pyStr(x) : null;
}

/** Destination side of such a field: the peers' naming attribute, as the load selected it. */
function peerAttributeOf(field: string, attribute: string): PathGetter {
  return (o) => {
    const v = isDict(o) ? o[field] : undefined;
    return peerNames(v, attribute);
  };
}

/** Destination records hold every field (statics included) under the field's own name. */
function compileDestination(config: SyncConfig, model: string, options: MappingOptions): CompiledModel {
  const entries = entriesOf(config, model);
  const [first] = entriesFor(config, model, 'destination');
  if (!first) throw new ConfigError(`model '${model}' has no schema_mapping entry`);
  const fields: CompiledField[] = [];
  for (const { entry } of entries) {
    for (const f of lastDefinitions(entry.fields)) {
      if (fields.some((x) => x.name === f.name)) continue;
      const get = f.peerAttribute ? peerAttributeOf(f.name, f.peerAttribute) : compilePath(f.name);
      fields.push({ name: f.name, get, hasStatic: false, reference: f.reference });
    }
  }
  const part: CompiledPart = {
    entry: first.entry,
    entryIndex: first.index,
    filter: () => true,
    transforms: { apply: (r) => r, inputs: [], outputs: [] },
    fields,
    ...split(fields, identifiersOf(config, first.entry, options), model, first.index),
  };
  return { model, side: 'destination', parts: [part] };
}

/** The compiled mapping of one model on one side; compiled on first use, then cached. */
export function compileModel(config: SyncConfig, model: string, side: Side, options: MappingOptions = NO_OPTIONS): CompiledModel {
  let byConfig = cache.get(options);
  if (!byConfig) {
    byConfig = new WeakMap();
    cache.set(options, byConfig);
  }
  let byModel = byConfig.get(config);
  if (!byModel) {
    byModel = new Map();
    byConfig.set(config, byModel);
  }
  const k = `${side}\u0000${model}`;
  let c = byModel.get(k);
  if (!c) {
    c = side === 'source' ? compileSource(config, model, options) : compileDestination(config, model, options);
    byModel.set(k, c);
  }
  return c;
}

/** Compiles every model on both sides: surfaces every mapping ConfigError up front. */
export function compileMapping(config: SyncConfig, options: MappingOptions = NO_OPTIONS): void {
  const models = [...new Set(config.schema_mapping.map((e) => e.name))];
  for (const m of models) {
    compileModel(config, m, 'source', options);
    compileModel(config, m, 'destination', options);
  }
}
