// Which `?depth=` and `?include=` a Nautobot 2.x list request needs for the fields a mapping
// reads. At depth 0 a foreign key is `{id, object_type, url}`; each extra level inlines one
// more hop. Reading `a.b.c` needs `a` and `a.b` inlined: depth 2. A reference field only
// needs the peer's `id`, which depth 0 already has, so `location` needs 0 and
// `device_type.manufacturer` needs 1: the same rule, segments minus one.
import type { LoadField } from '../types.js';

/** Nautobot's own ceiling for `depth`. */
export const MAX_DEPTH = 10;

/** JSON fields returned inline at any depth; their keys are not related objects. */
const INLINE_JSON_FIELDS = new Set([
  'custom_fields',
  '_custom_field_data',
  'computed_fields',
  'config_context',
  'local_config_context_data',
]);

/** Fields Nautobot leaves out of list responses unless `?include=` names them. */
const OPT_IN_FIELDS = new Set(['config_context', 'computed_fields', 'relationships']);

export function depthFor(fields: LoadField[]): number {
  let depth = 0;
  for (const f of fields) {
    const segments = f.path.split('.').filter((s) => s !== '');
    if (segments.length === 0 || INLINE_JSON_FIELDS.has(segments[0] ?? '')) continue;
    depth = Math.max(depth, segments.length - 1);
  }
  return Math.min(depth, MAX_DEPTH);
}

export function includesFor(fields: LoadField[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    const top = f.path.split('.')[0] ?? '';
    if (OPT_IN_FIELDS.has(top)) out.add(top);
  }
  return [...out].sort();
}
