// A model's mapping compiled once per config (paths split, filters and templates compiled),
// for one side. Source side: one part per schema_mapping entry of the model that has a
// `mapping` (an entry without one is not loaded from the source, as upstream since #101).
// Destination side: one part, every field read by its own name.
import type { FieldConfig, SchemaMappingEntry, SyncConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { own } from '../own.js';
import { compileFilters, type RecordPredicate } from './filters.js';
import { compilePath, type PathGetter } from './paths.js';
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
}

export interface CompiledField {
  name: string;
  /** Where the value comes from; absent for a source-side static. */
  get?: PathGetter;
  hasStatic: boolean;
  staticValue?: unknown;
  reference?: string;
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

/** Entries of `model` that are loaded on `side`, in config order, with their indexes. */
export function entriesFor(config: SyncConfig, model: string, side: Side): { entry: SchemaMappingEntry; index: number }[] {
  const all = config.schema_mapping
    .map((entry, index) => ({ entry, index }))
    .filter((e) => e.entry.name === model);
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
  const sibling = config.schema_mapping.find((e) => e.name === entry.name && e.identifiers.length > 0);
  if (sibling) return sibling.identifiers;
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

function compileSource(config: SyncConfig, model: string, options: MappingOptions): CompiledModel {
  const parts = entriesFor(config, model, 'source').map(({ entry, index }) => {
    const ctx = { model, entryIndex: index };
    const fields: CompiledField[] = lastDefinitions(entry.fields).map((f) =>
      f.hasStatic
        ? { name: f.name, hasStatic: true, staticValue: f.static, reference: f.reference }
        : // A field without `mapping` reads the source field of its own name.
          { name: f.name, get: compilePath(f.mapping ?? f.name), hasStatic: false, reference: f.reference },
    );
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

/** Destination records hold every field (statics included) under the field's own name. */
function compileDestination(config: SyncConfig, model: string, options: MappingOptions): CompiledModel {
  const entries = config.schema_mapping.map((entry, index) => ({ entry, index })).filter((e) => e.entry.name === model);
  const [first] = entriesFor(config, model, 'destination');
  if (!first) throw new ConfigError(`model '${model}' has no schema_mapping entry`);
  const fields: CompiledField[] = [];
  for (const { entry } of entries) {
    for (const f of lastDefinitions(entry.fields)) {
      if (fields.some((x) => x.name === f.name)) continue;
      fields.push({ name: f.name, get: compilePath(f.name), hasStatic: false, reference: f.reference });
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
