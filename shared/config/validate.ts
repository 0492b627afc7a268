// Rules zod's per-field schema cannot express: unknown keys, fields that contradict themselves,
// references and identifiers that point nowhere, and an `order` that disagrees with the mapping.
import type { Finding } from './describe-issue.js';
import { KNOWN_KEYS } from './schema.js';
import type { ConfigPath } from './source-map.js';
import { closestMatch, didYouMean } from './suggest.js';
import type { SyncConfig } from './types.js';

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
      found.push({ path: [...path, key], message: `unknown key \`${key}\`${didYouMean(key, known)}`, at: 'key' });
    }
  };
  const each = (node: unknown, visit: (item: unknown, index: number) => void): void => {
    if (Array.isArray(node)) node.forEach(visit);
  };

  check(raw, KNOWN_KEYS.top, []);
  if (!isRecord(raw)) return found;
  check(raw.store, KNOWN_KEYS.store, ['store']);
  check(raw.source, KNOWN_KEYS.adapter, ['source']);
  check(raw.destination, KNOWN_KEYS.adapter, ['destination']);
  check(raw.guardrails, KNOWN_KEYS.guardrails, ['guardrails']);
  each(raw.schema_mapping, (entry, i) => {
    const at: ConfigPath = ['schema_mapping', i];
    check(entry, KNOWN_KEYS.entry, at);
    if (!isRecord(entry)) return;
    each(entry.filters, (f, j) => check(f, KNOWN_KEYS.filter, [...at, 'filters', j]));
    each(entry.transforms, (t, j) => check(t, KNOWN_KEYS.transform, [...at, 'transforms', j]));
    each(entry.fields, (f, j) => check(f, KNOWN_KEYS.field, [...at, 'fields', j]));
  });
  return found;
}

export function checkConfig(config: SyncConfig): Findings {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const kinds = new Set(config.schema_mapping.map((entry) => entry.name));

  if (config.schema_mapping.length === 0) {
    warnings.push({ path: ['schema_mapping'], message: 'no schema_mapping entries: nothing will be synced', at: 'key' });
  }

  config.schema_mapping.forEach((entry, i) => {
    const at: ConfigPath = ['schema_mapping', i];
    const fieldNames = entry.fields.map((field) => field.name);

    entry.fields.forEach((field, j) => {
      const fieldAt: ConfigPath = [...at, 'fields', j];
      if (field.hasStatic && field.mapping !== undefined) {
        errors.push({
          path: fieldAt,
          message: `field \`${field.name}\` has both \`static\` and \`mapping\`; keep one`,
          at: 'value',
        });
      } else if (!field.hasStatic && field.mapping === undefined && field.reference === undefined) {
        errors.push({
          path: fieldAt,
          message: `field \`${field.name}\` needs one of \`mapping\`, \`static\` or \`reference\``,
          at: 'value',
        });
      }
      if (field.reference !== undefined && !kinds.has(field.reference)) {
        // Upstream allows a reference to a kind that is not synced ("must exist beforehand" in the
        // observium example): the source value is then used as the peer's identifier as is. So
        // only a near-miss of a mapped kind is an error; anything else is a warning.
        const close = closestMatch(field.reference, kinds);
        (close === undefined ? warnings : errors).push({
          path: [...fieldAt, 'reference'],
          message:
            `reference to \`${field.reference}\`, which has no schema_mapping entry` +
            (close === undefined
              ? ' (its nodes must already exist in the destination)'
              : ` (did you mean \`${close}\`?)`),
          at: 'value',
        });
      }
    });

    const seenFields = new Set<string>();
    entry.fields.forEach((field, j) => {
      if (seenFields.has(field.name)) {
        warnings.push({
          path: [...at, 'fields', j, 'name'],
          message: `field \`${field.name}\` is listed more than once in this entry; a later one overrides an earlier one`,
          at: 'value',
        });
      }
      seenFields.add(field.name);
    });

    entry.identifiers.forEach((identifier, k) => {
      if (fieldNames.includes(identifier)) return;
      errors.push({
        path: [...at, 'identifiers', k],
        message:
          `identifier \`${identifier}\` is not a field of this \`${entry.name}\` entry` +
          (fieldNames.length > 0 ? didYouMean(identifier, fieldNames) : ''),
        at: 'value',
      });
    });
  });

  if (config.order.length > 0) {
    const ordered = new Set(config.order);
    config.order.forEach((kind, i) => {
      if (kinds.has(kind)) return;
      warnings.push({
        path: ['order', i],
        message: `\`${kind}\` is in order but has no schema_mapping entry${didYouMean(kind, kinds)}`,
        at: 'value',
      });
    });
    const reported = new Set<string>();
    config.schema_mapping.forEach((entry, i) => {
      if (ordered.has(entry.name) || reported.has(entry.name)) return;
      reported.add(entry.name);
      warnings.push({
        path: ['schema_mapping', i, 'name'],
        message: `\`${entry.name}\` is mapped but missing from order (infrahub-sync only syncs the models in order)`,
        at: 'value',
      });
    });
  }
  return { errors, warnings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
