// Value equality as Python's `==` sees normalised data: deep for lists and objects, object key
// order ignored, no type coercion (normalisation already made both sides canonical, and
// Python's `True == 1` is an accident we do not want to copy).
import type { Value } from './types.js';

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN never comes out of JSON; treat it as equal to itself so it cannot cause endless updates.
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  const aList = Array.isArray(a);
  if (aList !== Array.isArray(b)) return false;
  if (aList) {
    const bl = b as Value[];
    if (a.length !== bl.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!valuesEqual(a[i] as Value, bl[i] as Value)) return false;
    }
    return true;
  }
  const ao = a as { [k: string]: Value };
  const bo = b as { [k: string]: Value };
  let count = 0;
  for (const k in ao) {
    if (!Object.hasOwn(bo, k) || !valuesEqual(ao[k] as Value, bo[k] as Value)) return false;
    count++;
  }
  for (const k in bo) {
    if (Object.hasOwn(bo, k)) count--;
  }
  return count === 0;
}
