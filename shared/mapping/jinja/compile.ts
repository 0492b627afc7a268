// Turns the syntax tree into closures once, so rendering a record is plain function calls.
// Rendering follows Jinja2's NativeEnvironment (what infrahub-sync uses): one output chunk
// that is not text is returned as is; otherwise the chunks are joined with str() and the text
// is read back as a Python literal when it is one ("42" -> 42, "True" -> True).
// Names resolve to a loop or `set` variable, the record's own fields, the caller's globals,
// then the built-in ones, and nothing else: never to a member of a JavaScript prototype.
// Every rendering runs under the limits of ./limits.ts.
import type { Expr, Node } from './ast.js';
import { UnknownNameError, parseTemplate } from './parser.js';
import { DEFAULT_LIMITS, budget, type TemplateLimits } from './limits.js';
import { NOT_LITERAL, literalEval } from '../literal.js';
import { own, setOwn } from '../../own.js';
import { PyError, pyCompare, pyEq, pyIn, pyStr, truthy } from '../python.js';
import {
  BoundMethod,
  FILTERS,
  GLOBALS,
  TESTS,
  Undef,
  arith,
  callValue,
  getAttr,
  getItem,
  iterate,
  methodOf,
  need,
  negate,
  slice,
  str,
  type FilterFn,
  type Kwargs,
  type TestFn,
} from './runtime.js';

/** Variables of a loop body or `{% set %}`; a loop's own shadow the enclosing ones. */
class Vars {
  readonly map = new Map<string, unknown>();
  constructor(readonly parent: Vars | null) {}
  find(name: string): { v: unknown } | undefined {
    if (this.map.has(name)) return { v: this.map.get(name) };
    return this.parent?.find(name);
  }
}

interface Scope {
  rec: Record<string, unknown>;
  locals: Vars | null;
  globals: Record<string, unknown>;
}

type Ev = (s: Scope) => unknown;

const NO_ARGS: unknown[] = [];
const NO_KWARGS: Kwargs = Object.freeze(Object.create(null)) as Kwargs;
type Run = (s: Scope, out: Out) => void;

/** Output chunks, with their text length counted against the character limit. */
interface Out {
  chunks: unknown[];
  chars: number;
}

export interface CompileOptions {
  /** Extra filters (an adapter's own, such as ACI's `aci_device_name`). */
  filters?: Record<string, (value: unknown, ...args: unknown[]) => unknown>;
  /** Extra global names (functions or values), looked up after the record's own keys. */
  globals?: Record<string, unknown>;
  /** Limits of one rendering (./limits.ts); the defaults when left out. */
  limits?: Partial<TemplateLimits>;
}

export interface CompiledTemplate {
  /** The value NativeEnvironment would return; `null` means "no value" (Python None). */
  render(rec: Record<string, unknown>): unknown;
  /** Top-level names the template reads, with the dotted attribute chains seen after them. */
  readonly inputs: string[];
  /** Names used as functions (`lookup(...)`): not data fields. */
  readonly calledNames: string[];
}

function pathOf(e: Expr): string {
  switch (e.t) {
    case 'name':
      return e.name;
    case 'getattr':
      return `${pathOf(e.obj)}.${e.attr}`;
    case 'getitem':
      return e.key.t === 'lit' ? `${pathOf(e.obj)}[${pyStr(e.key.v)}]` : `${pathOf(e.obj)}[...]`;
    case 'call':
      return `${pathOf(e.fn)}()`;
    case 'filter':
      return `${pathOf(e.arg)}|${e.name}`;
    default:
      return '(expression)';
  }
}

class Compiler {
  constructor(private readonly opts: CompileOptions) {}

  expr(e: Expr): Ev {
    switch (e.t) {
      case 'lit': {
        const v = e.v;
        return () => v;
      }
      case 'name': {
        const name = e.name;
        const userGlobal = this.opts.globals !== undefined && Object.hasOwn(this.opts.globals, name);
        const builtin = own(GLOBALS, name);
        const missing = new Undef(name, `'${name}' is undefined`);
        return (s) => {
          if (s.locals !== null) {
            const found = s.locals.find(name);
            if (found) return found.v;
          }
          if (Object.hasOwn(s.rec, name)) {
            const v = s.rec[name];
            return v === undefined ? null : v;
          }
          if (userGlobal) return s.globals[name];
          if (builtin !== undefined) return builtin;
          return missing;
        };
      }
      case 'getattr': {
        const obj = this.expr(e.obj);
        const attr = e.attr;
        const p = pathOf(e.obj);
        return (s) => getAttr(obj(s), attr, p);
      }
      case 'getitem': {
        const obj = this.expr(e.obj);
        const key = this.expr(e.key);
        const p = pathOf(e.obj);
        return (s) => getItem(obj(s), key(s), p);
      }
      case 'slice': {
        const obj = this.expr(e.obj);
        const [a, b, c] = [e.start, e.stop, e.step].map((x) => (x ? this.expr(x) : undefined));
        return (s) => slice(obj(s), a?.(s), b?.(s), c?.(s));
      }
      case 'call':
        return this.call(e);
      case 'filter':
        return this.filter(e);
      case 'test': {
        const fn: TestFn | undefined = own(TESTS, e.name);
        if (!fn) throw new UnknownNameError('test', e.name, e.at);
        const arg = this.expr(e.arg);
        const args = e.args.map((a) => this.expr(a));
        const neg = e.negate;
        return (s) => {
          budget.tick();
          return fn(arg(s), args.map((a) => a(s))) !== neg;
        };
      }
      case 'list':
      case 'tuple': {
        const items = e.items.map((x) => this.expr(x));
        return (s) => items.map((x) => need(x(s)));
      }
      case 'dict': {
        const pairs = e.pairs.map(([k, v]) => [this.expr(k), this.expr(v)] as const);
        return (s) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of pairs) setOwn(o, str(k(s)), need(v(s)));
          return o;
        };
      }
      case 'unary': {
        const x = this.expr(e.x);
        if (e.op === 'not') return (s) => !truthy(need(x(s)));
        const op = e.op;
        return (s) => negate(x(s), op);
      }
      case 'bin': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        const op = e.op;
        return (s) => arith(op, a(s), b(s));
      }
      case 'and': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (s) => {
          const x = need(a(s));
          return truthy(x) ? b(s) : x;
        };
      }
      case 'or': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (s) => {
          const x = need(a(s));
          return truthy(x) ? x : b(s);
        };
      }
      case 'compare': {
        const first = this.expr(e.first);
        const ops = e.ops.map(([op, x]) => [op, this.expr(x)] as const);
        return (s) => {
          let left = need(first(s));
          for (const [op, rightEv] of ops) {
            const right = need(rightEv(s));
            if (op === 'in' || op === 'not in') budget.tick(cost(right));
            let ok: boolean;
            switch (op) {
              case '==':
                ok = pyEq(left, right);
                break;
              case '!=':
                ok = !pyEq(left, right);
                break;
              case 'in':
                ok = pyIn(left, right);
                break;
              case 'not in':
                ok = !pyIn(left, right);
                break;
              default:
                ok = pyCompare(left, right, op);
            }
            if (!ok) return false;
            left = right;
          }
          return true;
        };
      }
      case 'cond': {
        const test = this.expr(e.test);
        const then = this.expr(e.then);
        const otherwise = e.else
          ? this.expr(e.else)
          : () => new Undef('', 'the inline if-expression evaluated to false and no else section was defined');
        return (s) => (truthy(need(test(s))) ? then(s) : otherwise(s));
      }
    }
  }

  private call(e: Expr & { t: 'call' }): Ev {
    const args = e.args.map((a) => this.expr(a));
    const kwNames = e.kwargs.map(([k]) => k);
    const kwEvs = e.kwargs.map(([, v]) => this.expr(v));
    // Most calls are `name.lower()`: no argument or keyword arrays to build per record.
    const argv = (s: Scope): unknown[] => (args.length === 0 ? NO_ARGS : args.map((a) => need(a(s))));
    const kw = (s: Scope): Kwargs => {
      if (kwNames.length === 0) return NO_KWARGS;
      const o = Object.create(null) as Kwargs;
      kwNames.forEach((k, i) => (o[k] = need((kwEvs[i] as Ev)(s))));
      return o;
    };
    const fnExpr = e.fn;
    if (fnExpr.t === 'getattr' && typeof fnExpr.attr === 'string') {
      const obj = this.expr(fnExpr.obj);
      const attr = fnExpr.attr;
      const p = pathOf(fnExpr);
      const objPath = pathOf(fnExpr.obj);
      return (s) => {
        const o = need(obj(s));
        budget.tick(cost(o));
        const m = methodOf(o, attr);
        if (m) return m(o as never, argv(s), kw(s));
        return callValue(getAttr(o, attr, objPath), argv(s), kw(s), p);
      };
    }
    const fn = this.expr(fnExpr);
    const p = pathOf(fnExpr);
    return (s) => {
      budget.tick();
      return callValue(fn(s), argv(s), kw(s), p);
    };
  }

  private filter(e: Expr & { t: 'filter' }): Ev {
    const custom = own(this.opts.filters, e.name);
    let fn: FilterFn | undefined;
    if (custom) fn = (v, a) => custom(need(v), ...a.map(need));
    else fn = own(FILTERS, e.name);
    if (!fn) throw new UnknownNameError('filter', e.name, e.at);
    const f = fn;
    const arg = this.expr(e.arg);
    const args = e.args.map((a) => this.expr(a));
    const kwNames = e.kwargs.map(([k]) => k);
    const kwEvs = e.kwargs.map(([, v]) => this.expr(v));
    if (args.length === 0 && kwNames.length === 0) {
      return (s) => {
        const v = arg(s);
        budget.tick(cost(v));
        return f(v, [], NO_KWARGS);
      };
    }
    return (s) => {
      const v = arg(s);
      budget.tick(cost(v));
      const kw = Object.create(null) as Kwargs;
      kwNames.forEach((k, i) => (kw[k] = (kwEvs[i] as Ev)(s)));
      return f(v, args.map((a) => a(s)), kw);
    };
  }

  nodes(ns: Node[]): Run {
    const runs = ns.map((n) => this.node(n));
    if (runs.length === 1) return runs[0] as Run;
    return (s, out) => {
      for (const r of runs) r(s, out);
    };
  }

  private node(n: Node): Run {
    switch (n.t) {
      case 'text': {
        const text = n.s;
        return (_s, out) => emit(out, text);
      }
      case 'out': {
        const ev = this.expr(n.e);
        return (s, out) => emit(out, need(ev(s)));
      }
      case 'if': {
        const branches = n.branches.map(([t, body]) => [this.expr(t), this.nodes(body)] as const);
        const els = n.else ? this.nodes(n.else) : undefined;
        return (s, out) => {
          for (const [t, body] of branches) {
            if (truthy(need(t(s)))) return body(s, out);
          }
          els?.(s, out);
        };
      }
      case 'for': {
        const iter = this.expr(n.iter);
        const targets = n.targets;
        const body = this.nodes(n.body);
        const els = n.else ? this.nodes(n.else) : undefined;
        return (s, out) => {
          const items = iterate(iter(s));
          if (items.length === 0) return els?.(s, out);
          const locals = new Vars(s.locals);
          const inner: Scope = { rec: s.rec, locals, globals: s.globals };
          items.forEach((item, i) => {
            budget.iterate();
            if (targets.length === 1) locals.map.set(targets[0] as string, item);
            else {
              const parts = iterate(item);
              if (parts.length !== targets.length) throw new Error(`cannot unpack ${parts.length} values into ${targets.length}`);
              targets.forEach((t, j) => locals.map.set(t, parts[j]));
            }
            locals.map.set('loop', {
              index: i + 1,
              index0: i,
              revindex: items.length - i,
              revindex0: items.length - i - 1,
              first: i === 0,
              last: i === items.length - 1,
              length: items.length,
            });
            body(inner, out);
          });
        };
      }
      case 'set': {
        const ev = this.expr(n.e);
        const target = n.target;
        return (s) => {
          if (s.locals === null) s.locals = new Vars(null);
          s.locals.map.set(target, need(ev(s)));
        };
      }
    }
  }
}

/** Work units of handling `v` whole (a method on a string, a filter on a list): about one per
 *  256 characters or 16 items, so a loop over long values still reaches the clock check. */
function cost(v: unknown): number {
  if (typeof v === 'string') return 1 + (v.length >>> 8);
  if (Array.isArray(v)) return 1 + (v.length >>> 4);
  return 1;
}

function emit(out: Out, chunk: unknown): void {
  if (typeof chunk === 'string') out.chars += chunk.length;
  // A lone non-text chunk is the result as it is; only its text counts once there are several.
  else if (out.chunks.length > 0) out.chars += str(chunk).length;
  budget.chars(out.chars, 'the output');
  out.chunks.push(chunk);
}

function nativeConcat(chunks: unknown[]): unknown {
  if (chunks.length === 0) return null;
  if (chunks.length === 1 && typeof chunks[0] !== 'string') return data(chunks[0]);
  const text = chunks.length === 1 ? (chunks[0] as string) : chunks.map((c) => str(c)).join('');
  return fromText(text);
}

/** The result must be data: a method or function (`{{ name.lower }}` without the call) is not. */
function data(v: unknown): unknown {
  if (v instanceof BoundMethod) {
    throw new PyError(`the result is the method ${v.name}() itself, not a value (call it: ${v.name}())`);
  }
  if (typeof v === 'function') throw new PyError('the result is a function, not a value (call it)');
  return v;
}

function fromText(text: string): unknown {
  const v = literalEval(text);
  return v === NOT_LITERAL ? text : v;
}

/** Compiles a template once; throws TemplateSyntaxError for syntax or unknown filters/tests. */
export function compileTemplate(source: string, opts: CompileOptions = {}): CompiledTemplate {
  const tree = parseTemplate(source);
  const c = new Compiler(opts);
  const globals = opts.globals ?? {};
  const limits: TemplateLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  let render: (rec: Record<string, unknown>) => unknown;
  const only = tree.length === 1 ? tree[0] : undefined;
  if (only?.t === 'out') {
    // The common case `{{ expr }}`: no chunk list.
    const ev = c.expr(only.e);
    // Rendering is synchronous and never re-enters the same template: one scope object serves.
    const scope: Scope = { rec: {}, locals: null, globals };
    render = (rec) => {
      budget.start(limits);
      scope.rec = rec;
      scope.locals = null;
      const v = need(ev(scope));
      if (typeof v !== 'string') return data(v);
      budget.chars(v.length, 'the output');
      return fromText(v);
    };
  } else {
    const run = c.nodes(tree);
    render = (rec) => {
      budget.start(limits);
      const out: Out = { chunks: [], chars: 0 };
      run({ rec, locals: null, globals }, out);
      return nativeConcat(out.chunks);
    };
  }
  const { inputs, calledNames } = collectInputs(tree);
  return { render, inputs, calledNames };
}

/** Data paths a template reads: dotted chains from a top-level name, method names left off. */
function collectInputs(tree: Node[]): { inputs: string[]; calledNames: string[] } {
  const locals = new Set<string>(['loop']);
  const inputs = new Set<string>();
  const called = new Set<string>();
  const chainOf = (e: Expr): string[] | undefined => {
    if (e.t === 'name') return [e.name];
    if (e.t === 'getattr') {
      const base = chainOf(e.obj);
      return base ? [...base, String(e.attr)] : undefined;
    }
    return undefined;
  };
  const visit = (e: Expr | undefined, isCallee = false): void => {
    if (!e) return;
    if (e.t === 'name' || e.t === 'getattr') {
      const chain = chainOf(e);
      if (chain) {
        const data = isCallee ? chain.slice(0, -1) : chain;
        if (isCallee && chain.length === 1) called.add(chain[0] as string);
        if (data.length) inputs.add(data.join('.'));
        return;
      }
      if (e.t === 'getattr') visit(e.obj);
      return;
    }
    switch (e.t) {
      case 'getitem':
        visit(e.obj);
        visit(e.key);
        return;
      case 'slice':
        [e.obj, e.start, e.stop, e.step].forEach((x) => visit(x));
        return;
      case 'call':
        visit(e.fn, true);
        e.args.forEach((a) => visit(a));
        e.kwargs.forEach(([, a]) => visit(a));
        return;
      case 'filter':
        visit(e.arg);
        e.args.forEach((a) => visit(a));
        e.kwargs.forEach(([, a]) => visit(a));
        return;
      case 'test':
        visit(e.arg);
        e.args.forEach((a) => visit(a));
        return;
      case 'list':
      case 'tuple':
        e.items.forEach((a) => visit(a));
        return;
      case 'dict':
        e.pairs.forEach(([k, v]) => (visit(k), visit(v)));
        return;
      case 'unary':
        visit(e.x);
        return;
      case 'bin':
      case 'and':
      case 'or':
        visit(e.a);
        visit(e.b);
        return;
      case 'compare':
        visit(e.first);
        e.ops.forEach(([, x]) => visit(x));
        return;
      case 'cond':
        visit(e.test);
        visit(e.then);
        visit(e.else);
        return;
      default:
        return;
    }
  };
  const walk = (ns: Node[]): void => {
    for (const n of ns) {
      if (n.t === 'out') visit(n.e);
      else if (n.t === 'if') {
        n.branches.forEach(([t, body]) => (visit(t), walk(body)));
        if (n.else) walk(n.else);
      } else if (n.t === 'for') {
        visit(n.iter);
        n.targets.forEach((t) => locals.add(t));
        walk(n.body);
        if (n.else) walk(n.else);
      } else if (n.t === 'set') {
        visit(n.e);
        locals.add(n.target);
      }
    }
  };
  walk(tree);
  const isData = (p: string): boolean => {
    const root = p.split('.')[0] as string;
    return !locals.has(root) && !called.has(p) && !Object.hasOwn(GLOBALS, root);
  };
  return { inputs: [...inputs].filter(isData), calledNames: [...called] };
}

/** Data paths a template reads, without compiling it (unknown filters do not matter here). */
export function templateInputs(source: string): string[] {
  return collectInputs(parseTemplate(source)).inputs;
}
