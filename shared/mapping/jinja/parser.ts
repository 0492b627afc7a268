// Lexer and parser for the Jinja2 subset used by transforms: text, `{{ expr }}`, `{# #}`,
// `{% if/elif/else/endif %}`, `{% for %}`, `{% set %}`, whitespace control (`-`, `+`), with the
// environment options infrahub-sync uses (trim_blocks, lstrip_blocks). Expressions follow
// Jinja2's grammar and precedence: inline if/else, or, and, not, comparisons (chained),
// + -, ~, * / // %, **, unary - +, filters and tests, then . [] () postfixes.
import type { CompareOp, Expr, Node } from './ast.js';
import { mkFloat } from '../python.js';

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    message: string,
    /** Offset in the template source where the problem is, when known. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** A filter or test the engine does not have (an upstream adapter may define its own). */
export class UnknownNameError extends TemplateSyntaxError {
  constructor(
    readonly kind: 'filter' | 'test',
    readonly unknown: string,
    offset: number,
  ) {
    super(`no ${kind} named '${unknown}'`, offset);
  }
}

/** `p`: offset of the token in the template source. */
type Tok = { k: 'name' | 'num' | 'str' | 'op'; v: string | number | boolean; float?: boolean; p: number };

const OPS = ['//', '**', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '<', '>', '|', '.', ',', ':', '(', ')', '[', ']', '{', '}', '='];
const ESC: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
const NUM = /^(\d(?:_?\d)*)(\.\d(?:_?\d)*)?([eE][+-]?\d(?:_?\d)*)?/;

/** Tokenises one tag body starting at `pos`; stops at `end` (`}}` or `%}`) outside brackets. */
function lexTag(src: string, pos: number, end: string): { toks: Tok[]; next: number; stripAfter: boolean; endAt: number } {
  const toks: Tok[] = [];
  let depth = 0;
  let i = pos;
  for (;;) {
    while (i < src.length && /\s/.test(src[i] as string)) i++;
    if (i >= src.length) throw new TemplateSyntaxError(`unexpected end of template, expected '${end}'`, pos);
    if (depth === 0) {
      if (src.startsWith(`-${end}`, i)) return { toks, next: i + 1 + end.length, stripAfter: true, endAt: i };
      if (src.startsWith(`+${end}`, i)) return { toks, next: i + 1 + end.length, stripAfter: false, endAt: i };
      if (src.startsWith(end, i)) return { toks, next: i + end.length, stripAfter: false, endAt: i };
    }
    const c = src[i] as string;
    const p = i;
    if (c === "'" || c === '"') {
      let s = '';
      let j = i + 1;
      for (;;) {
        const ch = src[j];
        if (ch === undefined) throw new TemplateSyntaxError('unterminated string literal', p);
        if (ch === c) break;
        if (ch === '\\') {
          const n = src[j + 1] ?? '';
          if (ESC[n] !== undefined) {
            s += ESC[n];
            j += 2;
          } else if (n === 'x' || n === 'u') {
            const len = n === 'x' ? 2 : 4;
            s += String.fromCodePoint(parseInt(src.slice(j + 2, j + 2 + len), 16));
            j += 2 + len;
          } else {
            s += `\\${n}`;
            j += 2;
          }
          continue;
        }
        s += ch;
        j++;
      }
      toks.push({ k: 'str', v: s, p });
      i = j + 1;
      continue;
    }
    const num = /\d/.test(c) ? NUM.exec(src.slice(i)) : null;
    if (num && src[i - 1] !== '.') {
      const text = num[0].replace(/_/g, '');
      const float = num[2] !== undefined || num[3] !== undefined;
      toks.push({ k: 'num', v: Number(text), float, p });
      i += num[0].length;
      continue;
    }
    if (num) {
      // `foo.0`: an integer attribute, never a float.
      const m = /^\d+/.exec(src.slice(i)) as RegExpExecArray;
      toks.push({ k: 'num', v: Number(m[0]), p });
      i += m[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      toks.push({ k: 'name', v: name[0], p });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new TemplateSyntaxError(`unexpected character '${c}'`, p);
    if (op === '(' || op === '[' || op === '{') depth++;
    if (op === ')' || op === ']' || op === '}') depth--;
    toks.push({ k: 'op', v: op, p });
    i += op.length;
  }
}

type Tag = { kind: 'text'; s: string } | { kind: 'var' | 'block'; toks: Tok[]; at: number; endAt: number };

function lexTemplate(source: string): Tag[] {
  // keep_trailing_newline=False: one trailing newline is dropped.
  const src = source.replace(/\r?\n$/, '');
  const tags: Tag[] = [];
  let pos = 0;
  let stripNext = false;
  let trimNewline = false;
  const pushText = (s: string): void => {
    let t = s;
    if (stripNext) t = t.replace(/^\s+/, '');
    else if (trimNewline) t = t.replace(/^\r?\n/, '');
    stripNext = false;
    trimNewline = false;
    if (t) tags.push({ kind: 'text', s: t });
  };
  for (;;) {
    const m = /\{[{%#]/.exec(src.slice(pos));
    if (!m) {
      pushText(src.slice(pos));
      return tags;
    }
    const at = pos + m.index;
    const kind = m[0][1] as '{' | '%' | '#';
    let text = src.slice(pos, at);
    const mod = src[at + 2];
    if (mod === '-') text = text.replace(/\s+$/, '');
    else if (kind !== '{' && mod !== '+') {
      // lstrip_blocks: a block tag alone at the start of its line takes the indentation with it.
      const lineStart = pos === 0 || src[pos - 1] === '\n';
      text = text.replace(lineStart ? /(^|\n)[ \t]+$/ : /(\n)[ \t]+$/, '$1');
    }
    pushText(text);
    const bodyStart = at + 2 + (mod === '-' || mod === '+' ? 1 : 0);
    if (kind === '#') {
      const close = src.indexOf('#}', bodyStart);
      if (close < 0) throw new TemplateSyntaxError('missing end of comment tag', at);
      stripNext = src[close - 1] === '-';
      trimNewline = !stripNext;
      pos = close + 2;
      continue;
    }
    const { toks, next, stripAfter, endAt } = lexTag(src, bodyStart, kind === '{' ? '}}' : '%}');
    tags.push({ kind: kind === '{' ? 'var' : 'block', toks, at, endAt });
    stripNext = stripAfter;
    trimNewline = kind === '%' && !stripAfter;
    pos = next;
  }
}

class ExprParser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    /** Offset of the closing `}}` / `%}`, for errors at the end of the tag. */
    private readonly endAt: number,
  ) {}

  /** Offset of the current token (the end of the tag when there is none left). */
  here(): number {
    return this.peek()?.p ?? this.endAt;
  }
  fail(message: string): never {
    throw new TemplateSyntaxError(message, this.here());
  }

  done(): boolean {
    return this.i >= this.toks.length;
  }
  private peek(off = 0): Tok | undefined {
    return this.toks[this.i + off];
  }
  private isOp(v: string, off = 0): boolean {
    const t = this.peek(off);
    return t?.k === 'op' && t.v === v;
  }
  private isName(v: string, off = 0): boolean {
    const t = this.peek(off);
    return t?.k === 'name' && t.v === v;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`expected '${v}'${this.where()}`);
    this.i++;
  }
  expectName(v?: string): string {
    const t = this.peek();
    if (t?.k !== 'name' || (v !== undefined && t.v !== v)) {
      this.fail(`expected ${v ? `'${v}'` : 'a name'}${this.where()}`);
    }
    this.i++;
    return t.v as string;
  }
  where(): string {
    const t = this.peek();
    return t ? `, got '${String(t.v)}'` : ', got end of tag';
  }
  nameIf(v: string): boolean {
    if (this.isName(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  opIf(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }

  /** A full expression, with a bare tuple (`a, b`) allowed when `tuple`. */
  parseTuple(): Expr {
    const first = this.parseExpr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.opIf(',')) {
      if (this.done() || this.isOp(')')) break;
      items.push(this.parseExpr());
    }
    return { t: 'tuple', items };
  }

  parseExpr(): Expr {
    const e = this.parseOr();
    if (this.nameIf('if')) {
      const test = this.parseOr();
      const otherwise = this.nameIf('else') ? this.parseExpr() : undefined;
      return { t: 'cond', test, then: e, else: otherwise };
    }
    return e;
  }
  private parseOr(): Expr {
    let a = this.parseAnd();
    while (this.nameIf('or')) a = { t: 'or', a, b: this.parseAnd() };
    return a;
  }
  private parseAnd(): Expr {
    let a = this.parseNot();
    while (this.nameIf('and')) a = { t: 'and', a, b: this.parseNot() };
    return a;
  }
  private parseNot(): Expr {
    if (this.isName('not') && !this.isName('in', 1)) {
      this.i++;
      return { t: 'unary', op: 'not', x: this.parseNot() };
    }
    return this.parseCompare();
  }
  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: [CompareOp, Expr][] = [];
    for (;;) {
      const t = this.peek();
      if (t?.k === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v as string)) {
        this.i++;
        ops.push([t.v as CompareOp, this.parseMath1()]);
      } else if (this.isName('in')) {
        this.i++;
        ops.push(['in', this.parseMath1()]);
      } else if (this.isName('not') && this.isName('in', 1)) {
        this.i += 2;
        ops.push(['not in', this.parseMath1()]);
      } else break;
    }
    return ops.length ? { t: 'compare', first, ops } : first;
  }
  private parseMath1(): Expr {
    let a = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as Tok).v as '+' | '-';
      this.i++;
      a = { t: 'bin', op, a, b: this.parseConcat() };
    }
    return a;
  }
  private parseConcat(): Expr {
    let a = this.parseMath2();
    while (this.opIf('~')) a = { t: 'bin', op: '~', a, b: this.parseMath2() };
    return a;
  }
  private parseMath2(): Expr {
    let a = this.parsePow();
    for (;;) {
      const t = this.peek();
      if (t?.k === 'op' && ['*', '/', '//', '%'].includes(t.v as string)) {
        this.i++;
        a = { t: 'bin', op: t.v as '*', a, b: this.parsePow() };
      } else return a;
    }
  }
  private parsePow(): Expr {
    let a = this.parseUnary(true);
    while (this.opIf('**')) a = { t: 'bin', op: '**', a, b: this.parseUnary(true) };
    return a;
  }
  private parseUnary(withFilter: boolean): Expr {
    let e: Expr;
    if (this.opIf('-')) e = { t: 'unary', op: '-', x: this.parseUnary(false) };
    else if (this.opIf('+')) e = { t: 'unary', op: '+', x: this.parseUnary(false) };
    else e = this.parsePostfix(this.parsePrimary());
    return withFilter ? this.parseFilterExpr(e) : e;
  }
  private parsePrimary(): Expr {
    const t = this.peek();
    if (!t) this.fail('unexpected end of expression');
    this.i++;
    if (t.k === 'name') {
      switch (t.v) {
        case 'true':
        case 'True':
          return { t: 'lit', v: true };
        case 'false':
        case 'False':
          return { t: 'lit', v: false };
        case 'none':
        case 'None':
          return { t: 'lit', v: null };
        default:
          return { t: 'name', name: t.v as string };
      }
    }
    if (t.k === 'str') {
      let s = t.v as string;
      while (this.peek()?.k === 'str') s += (this.toks[this.i++] as Tok).v as string;
      return { t: 'lit', v: s };
    }
    if (t.k === 'num') return { t: 'lit', v: t.float ? mkFloat(t.v as number) : t.v };
    if (t.v === '(') {
      if (this.opIf(')')) return { t: 'tuple', items: [] };
      const e = this.parseTuple();
      this.expectOp(')');
      return e;
    }
    if (t.v === '[') {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.parseExpr());
        if (!this.opIf(',')) break;
      }
      this.expectOp(']');
      return { t: 'list', items };
    }
    if (t.v === '{') {
      const pairs: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        const k = this.parseExpr();
        this.expectOp(':');
        pairs.push([k, this.parseExpr()]);
        if (!this.opIf(',')) break;
      }
      this.expectOp('}');
      return { t: 'dict', pairs };
    }
    throw new TemplateSyntaxError(`unexpected '${String(t.v)}'`, t.p);
  }
  private parsePostfix(e0: Expr): Expr {
    let e = e0;
    for (;;) {
      if (this.opIf('.')) {
        const t = this.peek();
        if (t?.k === 'name' || (t?.k === 'num' && !t.float)) {
          this.i++;
          e = { t: 'getattr', obj: e, attr: t.v as string | number };
        } else this.fail(`expected an attribute name after '.'${this.where()}`);
      } else if (this.opIf('[')) {
        e = this.parseSubscript(e);
      } else if (this.isOp('(')) {
        this.i++;
        const { args, kwargs } = this.parseArgs();
        e = { t: 'call', fn: e, args, kwargs };
      } else return e;
    }
  }
  private parseSubscript(obj: Expr): Expr {
    const part = (): Expr | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.parseExpr());
    const start = part();
    if (!this.isOp(':')) {
      this.expectOp(']');
      if (!start) this.fail('empty subscript');
      return { t: 'getitem', obj, key: start };
    }
    this.i++;
    const stop = part();
    let step: Expr | undefined;
    if (this.opIf(':')) step = part();
    this.expectOp(']');
    return { t: 'slice', obj, start, stop, step };
  }
  /** After '(' : positional and keyword arguments up to ')'. */
  private parseArgs(): { args: Expr[]; kwargs: [string, Expr][] } {
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!this.isOp(')')) {
      if (this.peek()?.k === 'name' && this.isOp('=', 1)) {
        const k = this.expectName();
        this.i++;
        kwargs.push([k, this.parseExpr()]);
      } else args.push(this.parseExpr());
      if (!this.opIf(',')) break;
    }
    this.expectOp(')');
    return { args, kwargs };
  }
  private parseFilterExpr(e0: Expr): Expr {
    let e = e0;
    for (;;) {
      if (this.opIf('|')) {
        const at = this.here();
        const name = this.dottedName();
        let args: Expr[] = [];
        let kwargs: [string, Expr][] = [];
        if (this.opIf('(')) ({ args, kwargs } = this.parseArgs());
        e = this.parsePostfix({ t: 'filter', name, arg: e, args, kwargs, at });
      } else if (this.isName('is')) {
        this.i++;
        const negate = this.nameIf('not');
        const at = this.here();
        const name = this.dottedName();
        let args: Expr[] = [];
        if (this.opIf('(')) args = this.parseArgs().args;
        else {
          const t = this.peek();
          // `x is divisibleby 3`: one bare argument, as Jinja2 allows.
          const startsArg =
            t && (t.k === 'num' || t.k === 'str' || (t.k === 'name' && !['else', 'or', 'and', 'if', 'is', 'in', 'not'].includes(t.v as string)));
          if (startsArg) args = [this.parsePostfix(this.parsePrimary())];
        }
        e = { t: 'test', name, arg: e, args, negate, at };
      } else return e;
    }
  }
  private dottedName(): string {
    let n = this.expectName();
    while (this.isOp('.') && this.peek(1)?.k === 'name') {
      this.i++;
      n += `.${this.expectName()}`;
    }
    return n;
  }
}

/** The parser recurses once per nesting level: thousands of brackets overflow the stack. */
function guardDepth<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) throw new TemplateSyntaxError('the expression is nested too deeply');
    throw e;
  }
}

/** Parses a whole template. */
export function parseTemplate(source: string): Node[] {
  return guardDepth(() => parseTemplateBody(source));
}

function parseTemplateBody(source: string): Node[] {
  const tags = lexTemplate(source);
  let i = 0;

  const parseBody = (ends: string[], opened?: number): { body: Node[]; end: string; p?: ExprParser } => {
    const body: Node[] = [];
    while (i < tags.length) {
      const tag = tags[i++] as Tag;
      if (tag.kind === 'text') {
        body.push({ t: 'text', s: tag.s });
        continue;
      }
      const p = new ExprParser(tag.toks, tag.endAt);
      if (tag.kind === 'var') {
        const e = p.parseTuple();
        if (!p.done()) p.fail(`unexpected token in expression${p.where()}`);
        body.push({ t: 'out', e });
        continue;
      }
      const kw = p.expectName();
      if (ends.includes(kw)) {
        if (kw !== 'elif' && !p.done()) p.fail(`unexpected token in tag${p.where()}`);
        return { body, end: kw, p };
      }
      switch (kw) {
        case 'if': {
          const branches: [Expr, Node[]][] = [];
          let test = p.parseTuple();
          let els: Node[] | undefined;
          for (;;) {
            const r = parseBody(['elif', 'else', 'endif'], tag.at);
            branches.push([test, r.body]);
            if (r.end === 'elif') {
              const ep = r.p as ExprParser;
              test = ep.parseTuple();
              if (!ep.done()) ep.fail(`unexpected token in tag${ep.where()}`);
              continue;
            }
            if (r.end === 'else') els = parseBody(['endif'], tag.at).body;
            break;
          }
          body.push({ t: 'if', branches, else: els });
          break;
        }
        case 'for': {
          const targets = [p.expectName()];
          while (p.opIf(',')) targets.push(p.expectName());
          p.expectName('in');
          const iter = p.parseTuple();
          const r = parseBody(['else', 'endfor'], tag.at);
          const els = r.end === 'else' ? parseBody(['endfor'], tag.at).body : undefined;
          body.push({ t: 'for', targets, iter, body: r.body, else: els });
          break;
        }
        case 'set': {
          const target = p.expectName();
          p.expectOp('=');
          body.push({ t: 'set', target, e: p.parseTuple() });
          break;
        }
        default:
          throw new TemplateSyntaxError(`unsupported tag '${kw}'`, tag.at);
      }
      if (!p.done()) p.fail(`unexpected token in tag${p.where()}`);
    }
    if (ends.length) throw new TemplateSyntaxError(`missing '${ends[ends.length - 1] ?? ''}'`, opened);
    return { body, end: '' };
  };
  return parseBody([]).body;
}

/** Parses one expression on its own (used by tests and by load-request field discovery). */
export function parseExpression(text: string): Expr {
  const { toks, endAt } = lexTag(`${text} }}`, 0, '}}');
  const p = new ExprParser(toks, endAt);
  const e = guardDepth(() => p.parseTuple());
  if (!p.done()) p.fail(`unexpected token in expression${p.where()}`);
  return e;
}
