import type { ModelWriteSpec } from '../../adapters/types.js';
import type { Change, Value } from '../../diff/types.js';

const refId = (model: string, key: string) => `${model}\u0000${key}`;

function pointsAt(value: Value | undefined, peer: string, failed: Set<string>): boolean {
  if (typeof value === 'string') return failed.has(refId(peer, value));
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && failed.has(refId(peer, v)));
  return false;
}

/**
 * Changes that must not be attempted because a create they point at failed (CONTINUE_ON_FAILURE).
 * A skipped create makes its own dependants skipped too, so `changes` must be in plan order.
 */
export function dependantsOfFailures(
  changes: Change[],
  failedCreates: Iterable<{ model: string; key: string }>,
  specs: Record<string, ModelWriteSpec>,
): Map<string, string> {
  const failed = new Set<string>();
  for (const f of failedCreates) failed.add(refId(f.model, f.key));
  const skipped = new Map<string, string>();
  if (failed.size === 0) return skipped;
  for (const change of changes) {
    if (change.action === 'delete') continue;
    const refs = specs[change.model]?.references ?? {};
    for (const [field, peer] of Object.entries(refs)) {
      const value = change.attrs[field] ?? change.ids[field];
      if (pointsAt(value, peer, failed)) {
        skipped.set(change.id, `skipped: ${field} points at ${peer} ${JSON.stringify(value)} whose create failed`);
        if (change.action === 'create') failed.add(refId(change.model, change.key));
        break;
      }
    }
  }
  return skipped;
}
