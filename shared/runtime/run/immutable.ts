// Objects a run writes once and never changes (run.json, config.json, the manifest, peer state)
// are read by every message of the run; a warm worker keeps the last few in memory.
import { requireJson, type ObjectStore } from '../ports.js';

const LIMIT = 32;
const caches = new WeakMap<ObjectStore, Map<string, Promise<unknown>>>();

export function readImmutable<T>(store: ObjectStore, key: string): Promise<T> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const value = requireJson<T>(store, key);
  cache.set(key, value);
  // A failed read (not written yet) must not be remembered.
  value.catch(() => cache.delete(key));
  while (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return value;
}
