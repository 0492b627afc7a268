// A stable fingerprint of a config: a plan records it, so applying a plan made from a config that
// has since changed can be refused.
import { createHash } from 'node:crypto';
import { setOwn } from '../own.js';
import type { SyncConfig } from './types.js';

/** JSON with object keys sorted at every depth; undefined members are dropped, as JSON does. */
export function canonicalJson(value: unknown): string {
  const normalise = (node: unknown): unknown => {
    if (node instanceof Date) return node.toISOString();
    if (Array.isArray(node)) return node.map((item) => (item === undefined ? null : normalise(item)));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node).sort()) {
        const item = (node as Record<string, unknown>)[key];
        if (item !== undefined) setOwn(out, key, normalise(item));
      }
      return out;
    }
    return node;
  };
  return JSON.stringify(normalise(value)) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of the config as loaded (placeholders unexpanded). */
export function configChecksum(config: SyncConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}
