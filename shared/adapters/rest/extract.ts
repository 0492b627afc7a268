// Finds the list of objects in a REST response. infrahub-sync's rule: the key is
// `response_key_pattern` with `{resource}` (the endpoint as written) and `{default}` (its last
// path segment) filled in, else the last segment; failing that, the endpoint as a key; a dict
// of objects becomes its values (Observium), a single object a one-item list. Additions here:
// a top-level array is the list itself, a key that is not literally present is tried as a
// dotted path (`data.items`), which the reference documents but does not do, and when no key
// matches, a body holding exactly one list is that list (LibreNMS answers `devicegroups` with
// `groups`, Device42 `customers` with `Customers`; the reference loads nothing from either).
import { ConfigError } from '../../errors.js';

export function defaultKey(resource: string): string {
  const trimmed = resource.split('?')[0]?.replace(/\/+$/, '') ?? '';
  return trimmed.split('/').pop() ?? trimmed;
}

/** Python `str.format` for the two names the reference passes (`{{` and `}}` escape braces). */
export function formatPattern(pattern: string, resource: string): string {
  return pattern.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, name: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (name === 'resource') return resource;
    if (name === 'default') return defaultKey(resource);
    throw new ConfigError(`genericrestapi: response_key_pattern uses {${name}}; only {resource} and {default} exist`);
  });
}

export function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function lookup(body: Record<string, unknown>, key: string): unknown {
  if (key in body) return body[key];
  return key.includes('.') ? getPath(body, key) : undefined;
}

export interface Extracted {
  items: unknown[];
  /** The key that held the items, or undefined when the body was a list or nothing matched. */
  key?: string;
  found: boolean;
  /** The items came from the body's only list, not from the expected key. */
  guessed?: boolean;
}

export function extractItems(body: unknown, resource: string, pattern?: string): Extracted {
  if (Array.isArray(body)) return { items: body, found: true };
  if (typeof body !== 'object' || body === null) return { items: [], found: false };
  const record = body as Record<string, unknown>;
  const key = pattern ? formatPattern(pattern, resource) : defaultKey(resource);
  let value = lookup(record, key);
  let usedKey: string | undefined = key;
  if (value === undefined) {
    value = lookup(record, resource);
    usedKey = value === undefined ? undefined : resource;
  }
  if (value === undefined) {
    const lists = Object.entries(record).filter(([, v]) => Array.isArray(v));
    if (lists.length === 1) {
      const [onlyKey, onlyList] = lists[0] as [string, unknown[]];
      return { items: onlyList, key: onlyKey, found: true, guessed: true };
    }
  }
  if (value === undefined || value === null) return { items: [], key: usedKey, found: value === null };
  if (Array.isArray(value)) return { items: value, key: usedKey, found: true };
  if (typeof value === 'object') return { items: Object.values(value), key: usedKey, found: true };
  return { items: value ? [value] : [], key: usedKey, found: true };
}

/** The object's own id: `id`, else the first truthy key ending in `_id` (as the reference). */
export function deriveId(obj: Record<string, unknown>): string | undefined {
  const id = obj.id;
  if (id !== undefined && id !== null) return String(id);
  for (const [k, v] of Object.entries(obj)) {
    if (k.endsWith('_id') && v !== undefined && v !== null && v !== '' && v !== 0 && v !== false) return String(v);
  }
  return undefined;
}
