// Python value semantics the reference relies on: str() (DiffSync keys, Jinja output),
// truthiness (filters, `if`), equality (`==`, `in`), int() (ordering filters).
// JSON gives one number type; Python has int and float. A JS number that is an integer is taken
// as a Python int, any other as a float; a float with an integer value produced inside a
// template (`|float`, `/`, `round`) is boxed as PyFloat so it prints as Python prints it ("2.0").

export class PyFloat {
  constructor(readonly v: number) {}
}

/** A Python TypeError/ValueError raised while evaluating; callers add model and field. */
export class PyError extends Error {
  override readonly name = 'PyError';
}

export function isFloat(x: unknown): boolean {
  return x instanceof PyFloat || (typeof x === 'number' && !Number.isInteger(x));
}

/** The JS number behind a Python int/float/bool, or undefined when it is not numeric. */
export function numOf(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x instanceof PyFloat) return x.v;
  if (typeof x === 'boolean') return x ? 1 : 0;
  return undefined;
}

/** Wrap a float result so an integral value keeps printing as a float. */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** Python's repr() of a float (shortest round-trip digits, exponent outside 1e-4 ..< 1e16). */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = n.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof PyFloat);
}

/** Python repr() of a str: single quotes unless the text holds ' and no ". */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

export function pyRepr(x: unknown): string {
  if (typeof x === 'string') return strRepr(x);
  return pyStr(x);
}

/** Python str() of a value. */
export function pyStr(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : floatRepr(x);
  if (x instanceof PyFloat) return floatRepr(x.v);
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(', ')}]`;
  if (isPlainObject(x)) {
    return `{${Object.entries(x)
      .map(([k, v]) => `${strRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  if (typeof x === 'function') return `<function ${x.name || 'anonymous'}>`;
  return String(x);
}

/** Python bool(). */
export function truthy(x: unknown): boolean {
  if (x === null || x === undefined || x === false) return false;
  if (x === true) return true;
  if (typeof x === 'string') return x.length > 0;
  if (typeof x === 'number') return x !== 0;
  if (x instanceof PyFloat) return x.v !== 0;
  if (Array.isArray(x)) return x.length > 0;
  if (isPlainObject(x)) {
    for (const _k in x) return true;
    return false;
  }
  return true;
}

/** Python ==, bool being an int (True == 1) and int == float by value. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numOf(a);
  const nb = numOf(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null || a === undefined || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.hasOwn(b, k) || !pyEq(a[k], b[k])) return false;
    return true;
  }
  return false;
}

export function typeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  if (typeof x === 'boolean') return 'bool';
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float';
  if (x instanceof PyFloat) return 'float';
  if (typeof x === 'string') return 'str';
  if (Array.isArray(x)) return 'list';
  if (typeof x === 'function') return 'function';
  return 'dict';
}

/** Python <, >, <=, >= (numbers with numbers, str with str, lists lexicographically). */
export function pyCompare(a: unknown, b: unknown, op: '<' | '>' | '<=' | '>='): boolean {
  const c = cmp(a, b, op);
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

function cmp(a: unknown, b: unknown, op: string): number {
  const na = numOf(a);
  const nb = numOf(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : na === nb ? 0 : NaN;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return cmp(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new PyError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `item in container`. */
export function pyIn(item: unknown, container: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw new PyError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    for (const c of container) if (pyEq(item, c)) return true;
    return false;
  }
  if (isPlainObject(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw new PyError(`argument of type '${typeName(container)}' is not iterable`);
}

const INT_TEXT = /^\s*[+-]?(\d+(_\d+)*)\s*$/;

/** Python int(): truncates floats, parses integer text (not "1.5"), bool is 0/1. */
export function pyInt(x: unknown): number {
  if (typeof x === 'boolean') return x ? 1 : 0;
  const n = numOf(x);
  if (n !== undefined) {
    if (!Number.isFinite(n)) throw new PyError(`cannot convert float ${floatRepr(n)} to integer`);
    return Math.trunc(n);
  }
  if (typeof x === 'string' && INT_TEXT.test(x)) return Number(x.replace(/_/g, '').trim());
  throw new PyError(
    typeof x === 'string'
      ? `invalid literal for int() with base 10: ${strRepr(x)}`
      : `int() argument must be a string or a number, not '${typeName(x)}'`,
  );
}

const FLOAT_TEXT = /^[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][+-]?\d+(_\d+)*)?|\d+(_\d+)*\.|inf(inity)?|nan)$/i;

/** Python float(): accepts surrounding whitespace, exponents, "inf"/"nan", underscores. */
export function pyFloat(x: unknown): number {
  const n = numOf(x);
  if (n !== undefined) return n;
  if (typeof x === 'string') {
    const t = x.trim();
    if (FLOAT_TEXT.test(t)) {
      const low = t.toLowerCase().replace(/_/g, '');
      const sign = low.startsWith('-') ? -1 : 1;
      const body = low.replace(/^[+-]/, '');
      if (body.startsWith('inf')) return sign * Infinity;
      if (body === 'nan') return NaN;
      return Number(low);
    }
    throw new PyError(`could not convert string to float: ${strRepr(x)}`);
  }
  throw new PyError(`float() argument must be a string or a real number, not '${typeName(x)}'`);
}

/** Python's str.title(): a cased character is upper-cased after an uncased one, lower-cased after
 *  a cased one (`org-a1b` -> `Org-A1B`). */
export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}
