// Which `?depth=` and `?include=` a Nautobot 2.x list request needs for the fields a mapping
// reads. At depth 0 a foreign key is `{id, object_type, url}`; each extra level inlines one
// more hop. Reading `a.b.c` needs `a` and `a.b` inlined: depth 2. A reference field only
// needs the peer's `id`, which depth 0 already has, so `location` needs 0 and
// `device_type.manufacturer` needs 1: the same rule, segments minus one.
//
// Choice fields (`type`, `mode`, `face`...) are `{value, label}` at every depth, so a path
// ending in `.label` or `.value` usually needs one level less; the upstream example maps
// `type.label` and `mode.label` on interfaces, and depth 1 there would inline every device.
// Such paths are read at the lower depth first and checked: if one lands on a depth-0 stub
// instead of a choice, the model is read again at the full depth.
import type { LoadField, RawRecord } from '../types.js';

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

const CHOICE_LEAVES = new Set(['label', 'value']);

export interface DepthPlan {
  /** Depth that resolves every path whatever the field types are. */
  depth: number;
  /** Lower depth to try first, when it differs, with the choice-like paths to verify. */
  optimistic?: { depth: number; paths: string[] };
}

function segmentsOf(path: string): string[] {
  return path.split('.').filter((s) => s !== '');
}

function needed(segments: string[]): number {
  if (segments.length === 0 || INLINE_JSON_FIELDS.has(segments[0] ?? '')) return 0;
  return Math.min(segments.length - 1, MAX_DEPTH);
}

export function planDepth(fields: LoadField[]): DepthPlan {
  let full = 0;
  let low = 0;
  const choicePaths: string[] = [];
  for (const f of fields) {
    const segs = segmentsOf(f.path);
    const n = needed(segs);
    full = Math.max(full, n);
    const choiceLike = !f.reference && n > 0 && CHOICE_LEAVES.has(segs[segs.length - 1] ?? '');
    if (choiceLike) {
      low = Math.max(low, n - 1);
      choicePaths.push(f.path);
    } else {
      low = Math.max(low, n);
    }
  }
  if (low === full) return { depth: full };
  return { depth: full, optimistic: { depth: low, paths: choicePaths } };
}

/** Depth that resolves every path whatever the field types are. */
export function depthFor(fields: LoadField[]): number {
  return planDepth(fields).depth;
}

type Probe = 'stub' | 'resolved' | 'unknown';

/** Walks `segs` through one record: `stub` when it meets an object without the next key that
 *  looks like a not-inlined foreign key (`{id, object_type, url}`), `resolved` when it reaches
 *  the last key, `unknown` when nulls or missing keys end it first. */
function probe(record: RawRecord, segs: string[]): Probe {
  let cur: unknown[] = [record];
  let reached = false;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const nextLevel: unknown[] = [];
    for (const v of cur) {
      if (typeof v !== 'object' || v === null) continue;
      const o = v as Record<string, unknown>;
      if (!(seg in o)) {
        if (o !== record && ('object_type' in o || 'url' in o)) return 'stub';
        continue;
      }
      if (i === segs.length - 1) reached = true;
      nextLevel.push(o[seg]);
    }
    cur = nextLevel.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return reached ? 'resolved' : 'unknown';
}

/** True when walking `path` through `record` meets a depth-0 stub: the path needs more depth. */
export function hitsStub(record: RawRecord, path: string): boolean {
  return probe(record, segmentsOf(path)) === 'stub';
}

/**
 * The paths among `paths` that land on depth-0 stubs in `records`. A serializer field is a
 * choice or a foreign key for every object of an endpoint, so the first record that settles a
 * path settles it for all: the scan stops there instead of walking 50,000 interfaces twice.
 */
export function stubbedPaths(records: readonly RawRecord[], paths: readonly string[]): string[] {
  return paths.filter((path) => {
    const segs = segmentsOf(path);
    for (const r of records) {
      const p = probe(r, segs);
      if (p !== 'unknown') return p === 'stub';
    }
    return false;
  });
}

export function includesFor(fields: LoadField[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    const top = f.path.split('.')[0] ?? '';
    if (OPT_IN_FIELDS.has(top)) out.add(top);
  }
  return [...out].sort();
}
