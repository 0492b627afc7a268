// The zod schema of the infrahub-sync config format, field by field as upstream's pydantic models
// define them (infrahub_sync/__init__.py @ 5b15b6e6), plus our `guardrails` extension.
// Upstream accepts null for most optional lists and dicts; so do we, and normalise them to empty.
// Cross-field rules (references, identifiers, order) live in validate.ts, which needs positions.
import { z } from 'zod';
import { modelNameProblem, nameProblem } from './names.js';
import {
  DIFFSYNC_FLAGS,
  FILTER_OPERATIONS,
  type AdapterConfig,
  type FieldConfig,
  type Guardrails,
  type SchemaMappingEntry,
  type SyncConfig,
} from './types.js';

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

// Adapter settings are adapter-specific (each adapter validates its own); null means none.
const settings = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((value): Record<string, unknown> => value ?? {});

export const FilterSchema = z.object({
  field: z.string(),
  operation: z.enum(FILTER_OPERATIONS),
  value: z.unknown().optional(),
});

export const TransformSchema = z.object({
  field: z.string(),
  expression: z.string(),
});

export const FieldSchema = z
  .object({
    name: z.string(),
    mapping: z.string().nullish(),
    static: z.unknown().optional(),
    reference: z.string().nullish(),
  })
  .transform((raw): FieldConfig => {
    const field: FieldConfig = { name: raw.name, hasStatic: 'static' in raw };
    // `mapping:` / `reference:` left empty mean "not set" upstream (None), unlike `static: null`.
    if (raw.mapping != null) field.mapping = raw.mapping;
    if (field.hasStatic) field.static = raw.static;
    if (raw.reference != null) field.reference = raw.reference;
    return field;
  });

export const SchemaMappingEntrySchema = z
  .object({
    name: z.string().superRefine((name, ctx) => {
      const problem = modelNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    // Optional upstream since infrahub-sync #101: an entry without one is not loaded from the source.
    mapping: z.string().nullish(),
    // Optional upstream: the generator then uses the destination schema's unique attributes.
    identifiers: list(z.string()),
    filters: list(FilterSchema),
    transforms: list(TransformSchema),
    fields: list(FieldSchema),
  })
  .transform(
    (raw): SchemaMappingEntry => ({
      name: raw.name,
      mapping: raw.mapping ?? '',
      identifiers: raw.identifiers,
      filters: raw.filters,
      transforms: raw.transforms,
      fields: raw.fields,
    }),
  );

export const AdapterSchema = z
  .object({
    name: z.string(),
    adapter: z.string().nullish(),
    settings,
  })
  .transform((raw): AdapterConfig => {
    const adapter: AdapterConfig = { name: raw.name, settings: raw.settings };
    if (raw.adapter != null) adapter.adapter = raw.adapter;
    return adapter;
  });

export const StoreSchema = z.object({
  type: z.string(),
  settings,
});

export const GUARDRAIL_DEFAULTS: Guardrails = { max_delete_percent: 20, allow_empty_source: false };

export const GuardrailsSchema = z
  .object({
    max_delete_percent: z.number().min(0).max(100).default(GUARDRAIL_DEFAULTS.max_delete_percent),
    allow_empty_source: z.boolean().default(GUARDRAIL_DEFAULTS.allow_empty_source),
  })
  .nullish()
  .transform((value): Guardrails => value ?? { ...GUARDRAIL_DEFAULTS });

export const SyncConfigSchema = z
  .object({
    // The name becomes store keys and URLs (configs/<name>.yml, runs/<name>/, /webhooks/<name>).
    name: z.string().superRefine((name, ctx) => {
      const problem = nameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    // Not in upstream's model (pydantic ignores it), but the ACI example sets it.
    description: z.string().nullish(),
    store: StoreSchema.nullish(),
    source: AdapterSchema,
    destination: AdapterSchema,
    adapters_path: list(z.string()).optional(),
    order: list(z.string()),
    schema_mapping: list(SchemaMappingEntrySchema),
    diffsync_flags: list(z.enum(DIFFSYNC_FLAGS)),
    incremental: z.unknown().optional(),
    guardrails: GuardrailsSchema,
  })
  .transform((raw): SyncConfig => {
    const config: SyncConfig = {
      name: raw.name,
      source: raw.source,
      destination: raw.destination,
      order: raw.order,
      schema_mapping: raw.schema_mapping,
      diffsync_flags: raw.diffsync_flags,
      guardrails: raw.guardrails,
    };
    if (raw.description != null) config.description = raw.description;
    if (raw.store != null) config.store = raw.store;
    if (raw.adapters_path !== undefined) config.adapters_path = raw.adapters_path;
    if (raw.incremental !== undefined) config.incremental = raw.incremental;
    return config;
  });

/**
 * Known keys per kind of object, taken from the zod shapes so the unknown-key check can never
 * drift from what the schema accepts. Settings are adapter-specific and not listed.
 */
export const KNOWN_KEYS = {
  top: keysOf(SyncConfigSchema.in),
  store: keysOf(StoreSchema),
  adapter: keysOf(AdapterSchema.in),
  entry: keysOf(SchemaMappingEntrySchema.in),
  filter: keysOf(FilterSchema),
  transform: keysOf(TransformSchema),
  field: keysOf(FieldSchema.in),
  guardrails: ['max_delete_percent', 'allow_empty_source'],
} as const satisfies Record<string, readonly string[]>;

function keysOf(schema: { shape: Record<string, unknown> }): readonly string[] {
  return Object.keys(schema.shape);
}
