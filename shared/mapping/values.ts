// Raw values into the canonical Value type. Choices (both sides go through here, so the diff
// compares like with like):
// - undefined becomes null; a float boxed by a transform becomes a plain number;
// - no silent coercion: the number 5 and the string "5" stay different (upstream's pydantic
//   models would coerce by the destination schema's type, which the mapping does not know);
// - functions (an adapter's helper such as Prometheus' `lookup`) and other non-JSON values
//   become null; Dates become ISO strings.
import type { Value } from '../diff/types.js';
import { setOwn } from '../own.js';
import { PyFloat } from './python.js';

export function toValue(x: unknown): Value {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return Number.isFinite(x) ? x : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    case 'bigint':
      return Number(x);
    default:
      break;
  }
  if (x === null) return null;
  if (x instanceof PyFloat) return Number.isFinite(x.v) ? x.v : null;
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return needsCopy(x) ? x.map(toValue) : (x as Value[]);
  const o = x as Record<string, unknown>;
  if (!needsCopy(o)) return o as { [k: string]: Value };
  const out: { [k: string]: Value } = {};
  for (const k of Object.keys(o)) setOwn(out, k, toValue(o[k]));
  return out;
}

/** True when a nested value is not already canonical (checked before copying anything). */
function needsCopy(x: unknown): boolean {
  if (Array.isArray(x)) {
    for (const v of x) if (notCanonical(v)) return true;
    return false;
  }
  const o = x as Record<string, unknown>;
  for (const k in o) if (notCanonical(o[k])) return true;
  return false;
}

function notCanonical(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return false;
    case 'number':
      return !Number.isFinite(v);
    case 'object':
      if (v === null) return false;
      if (v instanceof PyFloat || v instanceof Date) return true;
      return needsCopy(v);
    default:
      return true;
  }
}
