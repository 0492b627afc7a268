// Objects keyed by names that come from configs or source data (field names, identifiers,
// filter and method names typed in a template). A plain `{}` answers `constructor`, `toString`
// or `__proto__` from Object.prototype, and `o.__proto__ = v` replaces the prototype instead of
// adding a field, so a field named `__proto__` would silently vanish. These helpers read own
// members only and write every key as an ordinary field.

/** A lookup table with no prototype: only the names given are in it. */
export function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** The own member `key` of `o`, or undefined (never an inherited one). */
export function own<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** `o[key] = value`, as a field even when `key` is `__proto__`. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}
