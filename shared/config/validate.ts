// Rules zod's per-field schema cannot express: unknown keys, fields that contradict themselves,
// references and identifiers that point nowhere, and an `order` that disagrees with the mapping.
import type { Finding } from './describe-issue.js';
import { KNOWN_KEYS } from './schema.js';
import type { ConfigPath } from './source-map.js';
import { closestMatch, didYouMean } from './suggest.js';

export interface Findings {
  errors: Finding[];
  warnings: Finding[];
}

/**
 * Keys the schema does not know. Upstream's pydantic models silently ignore them, which is how a
 * typo such as `dyffsync_flags` goes unnoticed; we warn (or fail, in strict mode).
 */
export function findUnknownKeys(raw: unknown): Finding[] {
  const found: Finding[] = [];
  const check = (node: unknown, known: readonly string[], path: ConfigPath): void => {
    if (!isRecord(node)) return;
    for (const key of Object.keys(node)) {
      if (known.includes(key)) continue;
      found.push({ path: [...path, key], message: `unknown key \`${key}\`${didYouMean(key, known, { prefixes: true })}`, at: 'key' });
    }
  };

  check(raw, KNOWN_KEYS.top, []);
  if (!isRecord(raw)) return found;
  check(raw.store, KNOWN_KEYS.store, ['store']);
  check(raw.source, KNOWN_KEYS.adapter, ['source']);
  check(raw.destination, KNOWN_KEYS.adapter, ['destination']);
  check(raw.guardrails, KNOWN_KEYS.guardrails, ['guardrails']);
  records(raw.schema_mapping).forEach(([entry, i]) => {
    const at: ConfigPath = ['schema_mapping', i];
    check(entry, KNOWN_KEYS.entry, at);
    records(entry.filters).forEach(([f, j]) => check(f, KNOWN_KEYS.filter, [...at, 'filters', j]));
    records(entry.transforms).forEach(([t, j]) => check(t, KNOWN_KEYS.transform, [...at, 'transforms', j]));
    records(entry.fields).forEach(([f, j]) => check(f, KNOWN_KEYS.field, [...at, 'fields', j]));
  });
  return found;
}

/**
 * The cross-field rules. They read the raw YAML data (skipping whatever has the wrong shape, which
 * the schema reports) so they run even when the schema check fails, and every problem is reported
 * in one go.
 */
export function checkConfig(raw: unknown): Findings {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  if (!isRecord(raw)) return { errors, warnings };

  const entries = records(raw.schema_mapping);
  const kinds = new Set(entries.flatMap(([entry]) => strings(entry.name)));
  if (entries.length === 0) {
    warnings.push({ path: ['schema_mapping'], message: 'no schema_mapping entries: nothing will be synced', at: 'key' });
  }

  for (const [entry, i] of entries) {
    const at: ConfigPath = ['schema_mapping', i];
    const fields = records(entry.fields);
    const fieldNames = fields.flatMap(([field]) => strings(field.name));
    const entryName = typeof entry.name === 'string' ? entry.name : '?';
    const seenFields = new Set<string>();

    for (const [field, j] of fields) {
      const fieldAt: ConfigPath = [...at, 'fields', j];
      const name = typeof field.name === 'string' ? field.name : '?';
      const hasStatic = 'static' in field;
      const hasMapping = field.mapping != null;
      const reference = typeof field.reference === 'string' ? field.reference : undefined;

      if (hasStatic && hasMapping) {
        errors.push({ path: fieldAt, message: `field \`${name}\` has both \`static\` and \`mapping\`; keep one`, at: 'value' });
      } else if (!hasStatic && !hasMapping && field.reference == null) {
        errors.push({
          path: fieldAt,
          message: `field \`${name}\` needs one of \`mapping\`, \`static\` or \`reference\``,
          at: 'value',
        });
      }

      if (reference !== undefined && !kinds.has(reference)) {
        // Upstream allows a reference to a kind that is not synced ("must exist beforehand" in the
        // observium example): the source value is then used as the peer's identifier as is. So
        // only a near-miss of a mapped kind (two edits at most: `InfraPlatform` beside a mapped
        // `InfraPlatformType` is a real kind) is an error; anything else is a warning.
        const close = closestMatch(reference, kinds, { maxDistance: 2 });
        (close === undefined ? warnings : errors).push({
          path: [...fieldAt, 'reference'],
          message:
            `reference to \`${reference}\`, which has no schema_mapping entry` +
            (close === undefined ? ' (its nodes must already exist in the destination)' : ` (did you mean \`${close}\`?)`),
          at: 'value',
        });
      }

      if (seenFields.has(name)) {
        warnings.push({
          path: [...fieldAt, 'name'],
          message: `field \`${name}\` is listed more than once in this entry; a later one overrides an earlier one`,
          at: 'value',
        });
      }
      seenFields.add(name);
    }

    if (Array.isArray(entry.identifiers)) {
      entry.identifiers.forEach((identifier: unknown, k) => {
        if (typeof identifier !== 'string' || fieldNames.includes(identifier)) return;
        errors.push({
          path: [...at, 'identifiers', k],
          message:
            `identifier \`${identifier}\` is not a field of this \`${entryName}\` entry` +
            (fieldNames.length > 0 ? didYouMean(identifier, fieldNames) : ''),
          at: 'value',
        });
      });
    }
  }

  const order = Array.isArray(raw.order) ? (raw.order as unknown[]) : [];
  if (order.length > 0) {
    order.forEach((kind, i) => {
      if (typeof kind !== 'string' || kinds.has(kind)) return;
      warnings.push({
        path: ['order', i],
        message: `\`${kind}\` is in order but has no schema_mapping entry${didYouMean(kind, kinds)}`,
        at: 'value',
      });
    });
    const reported = new Set<string>(strings(...order));
    for (const [entry, i] of entries) {
      if (typeof entry.name !== 'string' || reported.has(entry.name)) continue;
      reported.add(entry.name);
      warnings.push({
        path: ['schema_mapping', i, 'name'],
        message: `\`${entry.name}\` is mapped but missing from order (infrahub-sync only syncs the models in order)`,
        at: 'value',
      });
    }
  }
  return { errors, warnings };
}

/** The mappings in a list, with their indices; anything else (not a list, scalars) is skipped. */
function records(node: unknown): [Record<string, unknown>, number][] {
  if (!Array.isArray(node)) return [];
  return node.flatMap((item: unknown, i) => (isRecord(item) ? [[item, i] as [Record<string, unknown>, number]] : []));
}

function strings(...values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
