// Reference fields: the raw value names a peer record, the canonical value is the peer's key
// (one) or the sorted list of peer keys (many). After infrahub-sync's nautobot/netbox adapters:
// - an object with `id` is looked up in the peer model's id -> key index (by endpoint first
//   when it has a `url`, see endpoints.ts);
// - a list is a many-reference; empty elements are skipped, the keys are sorted;
// - any other non-empty scalar is taken as the peer's key itself (a file destination, or a
//   source that already names its peers), rendered like a key part;
// - an empty value (null, "", 0, false) is "no peer": null.
// A peer that cannot be found is reported, never guessed: the caller leaves the field out so
// the diff does not compare it (upstream raises IndexError and stops the load).
import type { Value } from '../diff/types.js';
import { endpointKeyFromUrl } from './endpoints.js';
import { pyStr, truthy } from './python.js';

/** Per model (on one side): system id -> key, of the models normalised so far. */
export type ReferenceIndex = Map<string, Map<string, string>>;

export type ReferenceOutcome = { ok: true; value: Value } | { ok: false; missing: string[] };

function isDict(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function one(x: unknown, peer: ReadonlyMap<string, string> | undefined, missing: string[]): string | undefined {
  if (isDict(x)) {
    const id = x.id;
    let key: string | undefined;
    if (id !== undefined && id !== null && peer) {
      // A url names the endpoint, which a bare id cannot when several feed one model.
      const byUrl = typeof x.url === 'string' ? endpointKeyFromUrl(x.url, String(id)) : undefined;
      key = (byUrl === undefined ? undefined : peer.get(byUrl)) ?? peer.get(String(id));
    }
    if (key === undefined) missing.push(id === undefined || id === null ? '(object without id)' : String(id));
    return key;
  }
  return pyStr(x);
}

const NO_PEER: ReferenceOutcome = Object.freeze({ ok: true, value: null });

/**
 * The canonical value of a reference, or undefined when a peer is missing (its ids are then
 * appended to `missing`). resolveReference without the result object, for the per-record loop.
 */
export function referenceValue(raw: unknown, peer: ReadonlyMap<string, string> | undefined, missing: string[]): Value | undefined {
  if (Array.isArray(raw)) {
    const before = missing.length;
    const keys: string[] = [];
    for (const el of raw) {
      if (!truthy(el)) continue;
      const k = one(el, peer, missing);
      if (k !== undefined) keys.push(k);
    }
    if (missing.length > before) return undefined;
    keys.sort();
    return keys;
  }
  if (!isDict(raw)) return truthy(raw) ? pyStr(raw) : null;
  if (!truthy(raw)) return null;
  return one(raw, peer, missing);
}

export function resolveReference(raw: unknown, peer: ReadonlyMap<string, string> | undefined): ReferenceOutcome {
  const missing: string[] = [];
  const value = referenceValue(raw, peer, missing);
  if (value === undefined) return { ok: false, missing };
  return value === null ? NO_PEER : { ok: true, value };
}
