// Runtime of the Jinja2 subset: StrictUndefined, attribute/item access, Python str/list/dict
// methods, the built-in filters and tests the transforms can use. Semantics follow Jinja2 3.1
// with Python 3 types (see ../python.ts for how JSON numbers map to int/float).
// A name typed in a template resolves only to what is defined here: every table has no
// prototype and is read through own(), so `name.__proto__`, `x | constructor` or
// `x is toString` find nothing (Jinja2 itself would expose Python internals such as
// `name.__class__`; this engine has none to expose). What a template builds is bounded by
// ./limits.ts.
import { own, table } from '../../own.js';
import { TemplateLimitError, budget } from './limits.js';
import { pyTitle } from '../python.js';
import {
  PyError,
  PyFloat,
  floatRepr,
  isFloat,
  mkFloat,
  numOf,
  pyCompare,
  pyEq,
  pyFloat,
  pyIn,
  pyInt,
  pyStr,
  truthy,
  typeName,
} from '../python.js';

/** Jinja2's StrictUndefined: any use other than `is defined` / `default` fails. */
export class Undef {
  constructor(
    /** Dotted name of what was missing, e.g. `fvTenant.attributes.descr`. */
    readonly path: string,
    readonly message: string,
  ) {}
}

export class UndefinedVariableError extends Error {
  override readonly name = 'UndefinedVariableError';
  constructor(readonly variable: string, message: string) {
    super(message);
  }
}

export function failUndef(u: Undef): never {
  throw new UndefinedVariableError(u.path, u.message);
}

/** Throws when `x` is undefined; the value otherwise. */
export function need<T>(x: T | Undef): T {
  if (x instanceof Undef) failUndef(x);
  return x;
}

export type Kwargs = Record<string, unknown>;
export type PyFn = (args: unknown[], kwargs: Kwargs) => unknown;

/** A method bound to its receiver (`name.lower` before it is called). */
export class BoundMethod {
  constructor(
    readonly self: unknown,
    readonly name: string,
    readonly impl: (self: never, args: unknown[], kwargs: Kwargs) => unknown,
  ) {}
}

function isDict(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof PyFloat) && !(x instanceof BoundMethod);
}

/** str() of a value, refusing before building text over the character limit. */
export function str(x: unknown): string {
  const v = need(x);
  if (typeof v === 'string') return v;
  if (v instanceof BoundMethod) return `<built-in method ${v.name} of ${typeName(v.self)} object>`;
  if (typeof v === 'object' && v !== null) budget.chars(textSize(v, budget.limits.chars), 'the text of a value');
  const out = pyStr(v);
  budget.chars(out.length, 'the text of a value');
  return out;
}

/** A lower bound of str(x)'s length, counted no further than `max` (a list repeated a million
 *  times over holds the same item a million times: only the count is cheap). */
function textSize(x: unknown, max: number): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (n > max) return;
    budget.tick();
    if (typeof v === 'string') n += v.length + 2;
    else if (Array.isArray(v)) {
      n += 2;
      for (const item of v) {
        if (n > max) return;
        walk(item);
        n += 2;
      }
    } else if (typeof v === 'object' && v !== null && !(v instanceof PyFloat)) {
      n += 2;
      for (const k of Object.keys(v)) {
        if (n > max) return;
        n += k.length + 4;
        walk((v as Record<string, unknown>)[k]);
      }
    } else n += 8;
  };
  walk(x);
  return n;
}

function argStr(x: unknown, what: string): string {
  const v = need(x);
  if (typeof v !== 'string') throw new PyError(`${what} must be str, not ${typeName(v)}`);
  return v;
}

function toIndex(x: unknown): number {
  const v = need(x);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new PyError(`indices must be integers, not ${typeName(v)}`);
  return v;
}

// Python's str.isspace() also counts the ASCII file/group/record/unit separators.
const PY_SPACE = new Set(['\x1c', '\x1d', '\x1e', '\x1f', '\x85']);
const WS = { test: (c: string): boolean => /\s/.test(c) || PY_SPACE.has(c) };

function pySplit(s: string, sep: unknown, maxsplit: number, fromRight: boolean): string[] {
  if (sep === null || sep === undefined) {
    const words = s.split(/\s+/).filter((w) => w !== '');
    if (maxsplit < 0 || words.length <= maxsplit) return words;
    // Python keeps the rest of the string intact after maxsplit splits.
    if (!fromRight) {
      const out: string[] = [];
      let rest = s.replace(/^\s+/, '');
      for (let n = 0; n < maxsplit; n++) {
        const m = /\s+/.exec(rest);
        if (!m) break;
        out.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
      if (rest !== '') out.push(rest);
      return out;
    }
    // From the right, scanning each character once (a regex per split would rescan the string).
    const out: string[] = [];
    let end = s.length;
    while (end > 0 && WS.test(s[end - 1] as string)) end--;
    for (let n = 0; n < maxsplit && end > 0; n++) {
      let start = end;
      while (start > 0 && !WS.test(s[start - 1] as string)) start--;
      if (start === 0) break;
      out.push(s.slice(start, end));
      end = start;
      while (end > 0 && WS.test(s[end - 1] as string)) end--;
    }
    if (end > 0) out.push(s.slice(0, end));
    return out.reverse();
  }
  const sp = argStr(sep, 'separator');
  if (sp === '') throw new PyError('empty separator');
  const parts = s.split(sp);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sp)];
  const cut = parts.length - maxsplit;
  return [parts.slice(0, cut).join(sp), ...parts.slice(cut)];
}

function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    let a = 0;
    let b = s.length;
    if (left) while (a < b && WS.test(s[a] as string)) a++;
    if (right) while (b > a && WS.test(s[b - 1] as string)) b--;
    return s.slice(a, b);
  }
  const set = argStr(chars, 'strip arg');
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a] as string)) a++;
  if (right) while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}


function pyCapitalize(s: string): string {
  return s ? (s[0] as string).toUpperCase() + s.slice(1).toLowerCase() : s;
}

/** str.replace, in one pass, refusing a result over the character limit before building it. */
function replaceN(s: string, old: string, nu: string, count: number): string {
  const limit = count < 0 ? Infinity : count;
  if (old === '') {
    const chars = [...s];
    const n = Math.min(chars.length + 1, limit);
    budget.chars(s.length + n * nu.length, 'the result of replace()');
    let out = '';
    for (let i = 0; i < chars.length; i++) out += i < n ? nu + chars[i] : chars[i];
    return n > chars.length ? out + nu : out;
  }
  const at: number[] = [];
  for (let i = s.indexOf(old); i >= 0 && at.length < limit; i = s.indexOf(old, i + old.length)) at.push(i);
  budget.chars(s.length + at.length * (nu.length - old.length), 'the result of replace()');
  let out = '';
  let from = 0;
  for (const i of at) {
    out += s.slice(from, i) + nu;
    from = i + old.length;
  }
  return out + s.slice(from);
}

function width(x: unknown, what: string): number {
  const w = toIndex(x);
  budget.chars(w, `the result of ${what}`);
  return w;
}

function optInt(x: unknown, dflt: number): number {
  return x === undefined || x === null ? dflt : toIndex(x);
}

type Method = (self: never, args: unknown[], kw: Kwargs) => unknown;

const STR_METHODS: Readonly<Record<string, (s: string, a: unknown[], kw: Kwargs) => unknown>> = table({
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  title: (s) => pyTitle(s),
  capitalize: (s) => pyCapitalize(s),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  strip: (s, a) => strip(s, a[0], true, true),
  lstrip: (s, a) => strip(s, a[0], true, false),
  rstrip: (s, a) => strip(s, a[0], false, true),
  split: (s, a, kw) => pySplit(s, a[0] ?? kw.sep, optInt(a[1] ?? kw.maxsplit, -1), false),
  rsplit: (s, a, kw) => pySplit(s, a[0] ?? kw.sep, optInt(a[1] ?? kw.maxsplit, -1), true),
  splitlines: (s) => s.split(/\r\n|\r|\n/).filter((l, i, all) => i < all.length - 1 || l !== ''),
  replace: (s, a) => replaceN(s, argStr(a[0], 'replace() argument 1'), argStr(a[1], 'replace() argument 2'), optInt(a[2], -1)),
  startswith: (s, a) => {
    const p = need(a[0]);
    return Array.isArray(p) ? p.some((x) => s.startsWith(argStr(x, 'startswith arg'))) : s.startsWith(argStr(p, 'startswith arg'));
  },
  endswith: (s, a) => {
    const p = need(a[0]);
    return Array.isArray(p) ? p.some((x) => s.endsWith(argStr(x, 'endswith arg'))) : s.endsWith(argStr(p, 'endswith arg'));
  },
  find: (s, a) => s.indexOf(argStr(a[0], 'find arg')),
  rfind: (s, a) => s.lastIndexOf(argStr(a[0], 'rfind arg')),
  index: (s, a) => {
    const i = s.indexOf(argStr(a[0], 'index arg'));
    if (i < 0) throw new PyError('substring not found');
    return i;
  },
  count: (s, a) => {
    const sub = argStr(a[0], 'count arg');
    return sub === '' ? s.length + 1 : s.split(sub).length - 1;
  },
  join: (s, a) => joinText(iterate(a[0]).map((x) => argStr(x, 'sequence item')), s),
  zfill: (s, a) => {
    const w = width(a[0], 'zfill()');
    const sign = s[0] === '-' || s[0] === '+' ? (s[0] as string) : '';
    const body = sign ? s.slice(1) : s;
    return s.length >= w ? s : sign + body.padStart(w - sign.length, '0');
  },
  ljust: (s, a) => s.padEnd(width(a[0], 'ljust()'), a[1] === undefined ? ' ' : argStr(a[1], 'fillchar')),
  rjust: (s, a) => s.padStart(width(a[0], 'rjust()'), a[1] === undefined ? ' ' : argStr(a[1], 'fillchar')),
  isdigit: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  partition: (s, a) => {
    const sep = argStr(a[0], 'separator');
    const i = s.indexOf(sep);
    return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  },
  rpartition: (s, a) => {
    const sep = argStr(a[0], 'separator');
    const i = s.lastIndexOf(sep);
    return i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  },
  removeprefix: (s, a) => {
    const p = argStr(a[0], 'prefix');
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a) => {
    const p = argStr(a[0], 'suffix');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
});

/** Joined text, refused before it is built when it would pass the character limit. */
function joinText(parts: string[], sep: string): string {
  let n = sep.length * Math.max(0, parts.length - 1);
  for (const p of parts) n += p.length;
  budget.chars(n, 'the joined text');
  return parts.join(sep);
}

const DICT_METHODS: Readonly<Record<string, (d: Record<string, unknown>, a: unknown[]) => unknown>> = table({
  get: (d, a) => {
    const k = need(a[0]);
    return typeof k === 'string' && Object.hasOwn(d, k) ? d[k] : a.length > 1 ? a[1] : null;
  },
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
});

const LIST_METHODS: Readonly<Record<string, (l: unknown[], a: unknown[]) => unknown>> = table({
  index: (l, a) => {
    const i = l.findIndex((x) => pyEq(x, need(a[0])));
    if (i < 0) throw new PyError(`${pyStr(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => pyEq(x, need(a[0]))).length,
});

export function methodOf(obj: unknown, name: string): Method | undefined {
  if (typeof obj === 'string') return own(STR_METHODS, name) as Method | undefined;
  if (Array.isArray(obj)) return own(LIST_METHODS, name) as Method | undefined;
  if (isDict(obj)) return own(DICT_METHODS, name) as Method | undefined;
  return undefined;
}

function describe(path: string): string {
  return path || 'value';
}

/** Jinja2's `obj.attr`: Python attribute (a method) first, then the item. */
export function getAttr(obj: unknown, attr: string | number, path: string): unknown {
  const o = need(obj);
  if (typeof attr === 'string') {
    const m = methodOf(o, attr);
    if (m) return new BoundMethod(o, attr, m);
  }
  return getItemOr(o, attr, () => new Undef(`${path}.${attr}`, `'${describe(path)}' (${typeName(o)}) has no attribute '${attr}'`));
}

/** Jinja2's `obj[key]`: the item first, then a method of that name. */
export function getItem(obj: unknown, keyIn: unknown, path: string): unknown {
  const o = need(obj);
  const key = need(keyIn);
  return getItemOr(o, key, () => {
    const full = `${path}[${pyStr(key)}]`;
    if (typeof key === 'string') {
      const m = methodOf(o, key);
      if (m) return new BoundMethod(o, key, m);
    }
    return new Undef(full, `'${describe(path)}' (${typeName(o)}) has no item ${pyStr(key)}`);
  });
}

function getItemOr(o: unknown, key: unknown, missing: () => unknown): unknown {
  if (isDict(o)) {
    const k = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
    if (k !== undefined && Object.hasOwn(o, k)) {
      const v = o[k];
      return v === undefined ? null : v;
    }
    return missing();
  }
  if ((Array.isArray(o) || typeof o === 'string') && (typeof key === 'number' || typeof key === 'boolean')) {
    const i = toIndex(key);
    const j = i < 0 ? o.length + i : i;
    if (j >= 0 && j < o.length) return o[j] ?? null;
    return missing();
  }
  return missing();
}

export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const o = need(obj);
  if (!Array.isArray(o) && typeof o !== 'string') throw new PyError(`'${typeName(o)}' object is not subscriptable`);
  const items: unknown[] = typeof o === 'string' ? [...o] : o;
  const n = items.length;
  const st = optInt(step, 1);
  if (st === 0) throw new PyError('slice step cannot be zero');
  const norm = (x: unknown, dflt: number, lo: number, hi: number): number => {
    if (x === undefined || x === null) return dflt;
    let v = toIndex(x);
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, n);
    const b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(items[i]);
  } else {
    const a = norm(start, n - 1, -1, n - 1);
    const b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(items[i]);
  }
  return typeof o === 'string' ? out.join('') : out;
}

/** Python iteration: a str gives characters, a dict its keys. */
export function iterate(x: unknown): unknown[] {
  const v = need(x);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  throw new PyError(`'${typeName(v)}' object is not iterable`);
}

export function callValue(fn: unknown, args: unknown[], kwargs: Kwargs, path: string): unknown {
  const f = need(fn);
  if (f instanceof BoundMethod) return f.impl(f.self as never, args.map(need), kwargs);
  if (typeof f === 'function') {
    if (Object.keys(kwargs).length) throw new PyError(`${path}() does not take keyword arguments here`);
    return (f as (...a: unknown[]) => unknown)(...args.map(need));
  }
  throw new PyError(`'${typeName(f)}' object is not callable`);
}

function len(x: unknown): number {
  const v = need(x);
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  throw new PyError(`object of type '${typeName(v)}' has no len()`);
}

function pyRound(value: unknown, precision: number, method: string): unknown {
  const v = need(value);
  const n = numOf(v);
  if (n === undefined) throw new PyError(`type ${typeName(v)} doesn't define __round__ method`);
  if (method === 'common') {
    // Python's round(): half to even, an int stays an int.
    const f = 10 ** precision;
    const x = n * f;
    let r = Math.round(x);
    if (Math.abs(x % 1) === 0.5) r = 2 * Math.round(x / 2);
    const out = r / f;
    return isFloat(v) ? mkFloat(out) : out;
  }
  if (method !== 'ceil' && method !== 'floor') throw new PyError('method must be common, ceil or floor');
  const f = 10 ** precision;
  return mkFloat((method === 'ceil' ? Math.ceil(n * f) : Math.floor(n * f)) / f);
}

function sortKey(a: unknown, b: unknown): number {
  budget.tick();
  if (pyEq(a, b)) return 0;
  return pyCompare(a, b, '<') ? -1 : 1;
}

export type FilterFn = (value: unknown, args: unknown[], kwargs: Kwargs) => unknown;

/** Python's hash equality for the values unique() sees: 1 == 1.0 == True; strings apart. */
function hashKey(x: unknown): string | number | undefined {
  if (typeof x === 'string') return `s${x}`;
  if (x === null || x === undefined) return 'None';
  const n = numOf(x);
  return n === undefined ? undefined : n;
}

/** Jinja2 3.1 built-in filters (the ones that make sense without HTML escaping or loops). */
const FILTER_LIST: Record<string, FilterFn> = {
  abs: (v) => {
    const n = numOf(need(v));
    if (n === undefined) throw new PyError(`bad operand type for abs(): '${typeName(v)}'`);
    return isFloat(v) ? mkFloat(Math.abs(n)) : Math.abs(n);
  },
  capitalize: (v) => pyCapitalize(str(v)),
  lower: (v) => str(v).toLowerCase(),
  upper: (v) => str(v).toUpperCase(),
  title: (v) => pyTitle(str(v)),
  trim: (v, a, kw) => strip(str(v), a[0] ?? kw.chars, true, true),
  string: (v) => str(v),
  replace: (v, a, kw) =>
    replaceN(str(v), str(a[0] ?? kw.old), str(a[1] ?? kw.new), optInt(a[2] ?? kw.count, -1)),
  default: (v, a, kw) => {
    const dflt = a[0] ?? kw.default_value ?? '';
    const boolean = truthy(a[1] ?? kw.boolean ?? false);
    if (v instanceof Undef || (boolean && !truthy(v))) return dflt;
    return v;
  },
  float: (v, a, kw) => {
    const x = need(v);
    try {
      return mkFloat(pyFloat(x));
    } catch (e) {
      if (!(e instanceof PyError)) throw e;
      const d = a[0] ?? kw.default ?? new PyFloat(0);
      return d;
    }
  },
  int: (v, a, kw) => {
    const x = need(v);
    const dflt = a[0] ?? kw.default ?? 0;
    const base = optInt(a[1] ?? kw.base, 10);
    if (typeof x === 'string') {
      if (base === 10) {
        try {
          return pyInt(x);
        } catch {
          try {
            return pyInt(pyFloat(x));
          } catch {
            return dflt;
          }
        }
      }
      const t = x.trim().toLowerCase().replace(/_/g, '');
      const body = t.replace(/^0[xob]/, '');
      const n = parseInt(body, base);
      return Number.isNaN(n) ? dflt : n;
    }
    try {
      return pyInt(x);
    } catch {
      return dflt;
    }
  },
  round: (v, a, kw) => pyRound(v, optInt(a[0] ?? kw.precision, 0), String(need(a[1] ?? kw.method ?? 'common'))),
  length: (v) => len(v),
  count: (v) => len(v),
  first: (v) => {
    const it = iterate(v);
    return it.length ? it[0] : new Undef('first', 'No first item, sequence was empty.');
  },
  last: (v) => {
    const it = iterate(v);
    return it.length ? it[it.length - 1] : new Undef('last', 'No last item, sequence was empty.');
  },
  join: (v, a, kw) => joinText(iterate(v).map(str), str(a[0] ?? kw.d ?? '')),
  list: (v) => [...iterate(v)],
  reverse: (v) => {
    const x = need(v);
    return typeof x === 'string' ? [...x].reverse().join('') : [...iterate(x)].reverse();
  },
  sort: (v, a, kw) => {
    const items = [...iterate(v)];
    const ci = !truthy(a[1] ?? kw.case_sensitive ?? false);
    const key = (x: unknown): unknown => (ci && typeof x === 'string' ? x.toLowerCase() : x);
    items.sort((x, y) => sortKey(key(x), key(y)));
    return truthy(a[0] ?? kw.reverse ?? false) ? items.reverse() : items;
  },
  unique: (v) => {
    // Case-insensitive, as Jinja2's default; hashable values through a Set, the rest compared.
    const out: unknown[] = [];
    const seen = new Set<string | number>();
    const others: unknown[] = [];
    for (const x of iterate(v)) {
      budget.tick();
      const k = typeof x === 'string' ? x.toLowerCase() : x;
      const h = hashKey(k);
      if (h !== undefined) {
        if (seen.has(h)) continue;
        seen.add(h);
      } else {
        budget.tick(others.length);
        if (others.some((y) => pyEq(y, k))) continue;
        others.push(k);
      }
      out.push(x);
    }
    return out;
  },
  min: (v) => {
    const it = iterate(v);
    return it.length ? it.reduce((m, x) => (sortKey(x, m) < 0 ? x : m)) : new Undef('min', 'No aggregated item, sequence was empty.');
  },
  max: (v) => {
    const it = iterate(v);
    return it.length ? it.reduce((m, x) => (sortKey(x, m) > 0 ? x : m)) : new Undef('max', 'No aggregated item, sequence was empty.');
  },
  sum: (v, a, kw) => {
    let acc: unknown = a[1] ?? kw.start ?? 0;
    for (const x of iterate(v)) {
      budget.tick(Array.isArray(acc) ? acc.length + 1 : 1);
      acc = arith('+', acc, x);
    }
    return acc;
  },
  items: (v) => {
    const x = need(v);
    if (!isDict(x)) throw new PyError(`Can only get item pairs from a mapping, not ${typeName(x)}`);
    return Object.entries(x);
  },
  bool: (v) => truthy(need(v)),
};
FILTER_LIST.d = FILTER_LIST.default as FilterFn;
export const FILTERS: Readonly<Record<string, FilterFn>> = table(FILTER_LIST);

export type TestFn = (value: unknown, args: unknown[]) => boolean;

const TEST_LIST: Record<string, TestFn> = {
  defined: (v) => !(v instanceof Undef),
  undefined: (v) => v instanceof Undef,
  none: (v) => need(v) === null,
  boolean: (v) => typeof need(v) === 'boolean',
  true: (v) => need(v) === true,
  false: (v) => need(v) === false,
  integer: (v) => {
    const x = need(v);
    return typeof x === 'number' && Number.isInteger(x);
  },
  float: (v) => isFloat(need(v)),
  number: (v) => numOf(need(v)) !== undefined,
  string: (v) => typeof need(v) === 'string',
  mapping: (v) => isDict(need(v)),
  sequence: (v) => {
    const x = need(v);
    return typeof x === 'string' || Array.isArray(x) || isDict(x);
  },
  iterable: (v) => {
    const x = need(v);
    return typeof x === 'string' || Array.isArray(x) || isDict(x);
  },
  callable: (v) => {
    const x = need(v);
    return typeof x === 'function' || x instanceof BoundMethod;
  },
  lower: (v) => str(v) === str(v).toLowerCase(),
  upper: (v) => str(v) === str(v).toUpperCase(),
  even: (v) => pyInt(need(v)) % 2 === 0,
  odd: (v) => Math.abs(pyInt(need(v)) % 2) === 1,
  divisibleby: (v, a) => pyInt(need(v)) % pyInt(need(a[0])) === 0,
  eq: (v, a) => pyEq(need(v), need(a[0])),
  ne: (v, a) => !pyEq(need(v), need(a[0])),
  lt: (v, a) => pyCompare(need(v), need(a[0]), '<'),
  le: (v, a) => pyCompare(need(v), need(a[0]), '<='),
  gt: (v, a) => pyCompare(need(v), need(a[0]), '>'),
  ge: (v, a) => pyCompare(need(v), need(a[0]), '>='),
  in: (v, a) => pyIn(need(v), need(a[0])),
  sameas: (v, a) => need(v) === need(a[0]),
};
TEST_LIST.equalto = TEST_LIST.eq as TestFn;
TEST_LIST['=='] = TEST_LIST.eq as TestFn;
TEST_LIST.greaterthan = TEST_LIST.gt as TestFn;
TEST_LIST.lessthan = TEST_LIST.lt as TestFn;
export const TESTS: Readonly<Record<string, TestFn>> = table(TEST_LIST);

function numPair(op: string, a: unknown, b: unknown): [number, number, boolean] {
  const x = numOf(a);
  const y = numOf(b);
  if (x === undefined || y === undefined) {
    throw new PyError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }
  return [x, y, isFloat(a) || isFloat(b)];
}

/** Python binary arithmetic (int/float, str and list concatenation and repetition). */
export function arith(op: string, aIn: unknown, bIn: unknown): unknown {
  const a = need(aIn);
  const b = need(bIn);
  if (op === '~') return concat(str(a), str(b));
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return concat(a, b);
    if (Array.isArray(a) && Array.isArray(b)) {
      budget.items(a.length + b.length, 'a list');
      return [...a, ...b];
    }
  }
  if (op === '*') {
    const [seq, times] = typeof b === 'number' || typeof b === 'boolean' ? [a, b] : [b, a];
    if ((typeof seq === 'string' || Array.isArray(seq)) && (typeof times === 'boolean' || Number.isInteger(times))) {
      const n = Math.max(0, Number(times));
      if (typeof seq === 'string') {
        budget.chars(seq.length * n, 'a repeated string');
        return seq.repeat(n);
      }
      budget.items(seq.length * n, 'a repeated list');
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(...seq);
      return out;
    }
  }
  const [x, y, fl] = numPair(op, a, b);
  const wrap = (n: number): unknown => (fl ? mkFloat(n) : n);
  switch (op) {
    case '+':
      return wrap(x + y);
    case '-':
      return wrap(x - y);
    case '*':
      return wrap(x * y);
    case '/':
      if (y === 0) throw new PyError('division by zero');
      return mkFloat(x / y);
    case '//':
      if (y === 0) throw new PyError('integer division or modulo by zero');
      return wrap(Math.floor(x / y));
    case '%': {
      if (y === 0) throw new PyError('integer division or modulo by zero');
      const r = x - y * Math.floor(x / y);
      return wrap(r);
    }
    case '**': {
      const r = x ** y;
      return fl || y < 0 ? mkFloat(r) : r;
    }
    default:
      throw new PyError(`unknown operator ${op}`);
  }
}

export function negate(x: unknown, op: '-' | '+'): unknown {
  const v = need(x);
  const n = numOf(v);
  if (n === undefined) throw new PyError(`bad operand type for unary ${op}: '${typeName(v)}'`);
  const r = op === '-' ? -n : n;
  return isFloat(v) ? mkFloat(r) : r;
}

function concat(a: string, b: string): string {
  budget.chars(a.length + b.length, 'a concatenated string');
  return a + b;
}

/** Builtin globals Jinja2 provides that make sense here. */
export const GLOBALS: Readonly<Record<string, unknown>> = table<unknown>({
  range: (...a: unknown[]) => {
    const [start, stop, step] = a.length === 1 ? [0, pyInt(a[0]), 1] : [pyInt(a[0]), pyInt(a[1]), a.length > 2 ? pyInt(a[2]) : 1];
    if (step === 0) throw new PyError('range() arg 3 must not be zero');
    const length = Math.max(0, Math.ceil((stop - start) / step));
    // Jinja2's sandbox has the same limit; its plain environment would try to build the list.
    if (length > budget.limits.range) {
      throw new TemplateLimitError(`range() of ${length} items is over the limit of ${budget.limits.range}`);
    }
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  },
});

export { floatRepr };
