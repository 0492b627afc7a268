// Python's ast.literal_eval(ast.parse(text, mode="eval")), which Jinja2's NativeEnvironment
// applies to every rendered string: "42" becomes 42, "True" becomes True, "1,2" becomes a tuple.
// Values JSON cannot hold are reported as "not a literal" so the caller keeps the text:
// complex numbers, bytes, sets (upstream would keep them as Python objects; we keep the text).
import { setOwn } from '../own.js';
import { PyFloat } from './python.js';

const NOT_LITERAL: unique symbol = Symbol('not-literal');
type Lit = unknown;

class Fail extends Error {}

/** Cheap first-character screen: anything else is a name or a syntax error in Python. */
const MAY_START = /^[\s#]*[-+0-9.'"([{TFNrRuUbBfF\\]/;

/** The Python literal for `text`, or NOT_LITERAL. */
export function literalEval(text: string): Lit | typeof NOT_LITERAL {
  if (!MAY_START.test(text)) return NOT_LITERAL;
  try {
    return new LiteralParser(text).parseTop();
  } catch (e) {
    if (e instanceof Fail) return NOT_LITERAL;
    throw e;
  }
}
export { NOT_LITERAL };

const ESC: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)?)([jJ])?/;

class LiteralParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  /** Python's parser refuses more than 200 nested brackets ("too many nested parentheses"). */
  private nest(): void {
    if (++this.depth > 200) throw new Fail();
  }

  parseTop(): Lit {
    this.skipLeading();
    const first = this.parseExprOrTuple(true);
    this.ws();
    if (this.i < this.s.length) throw new Fail();
    return first;
  }

  /** Blank and comment-only lines may precede; indentation of the first line is an error. */
  private skipLeading(): void {
    for (;;) {
      const nl = this.s.indexOf('\n', this.i);
      const line = this.s.slice(this.i, nl < 0 ? undefined : nl);
      if (nl >= 0 && /^[ \t\f]*(#.*)?\r?$/.test(line)) {
        this.i = nl + 1;
        continue;
      }
      break;
    }
    if (/[ \t]/.test(this.s[this.i] ?? '')) throw new Fail();
  }

  /** Skip spaces, comments, line continuations; newlines only inside brackets or at the end. */
  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\r') this.i++;
      else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '\\' && s[this.i + 1] === '\n') this.i += 2;
      else if (c === '\n') {
        if (this.depth > 0) this.i++;
        else {
          // At top level a newline ends the expression: only blank/comment lines may follow.
          if (!/^[\s]*(#[^\n]*\s*)*$/.test(s.slice(this.i))) throw new Fail();
          this.i = s.length;
        }
      } else break;
    }
  }

  private parseExprOrTuple(top: boolean): Lit {
    const first = this.parseValue();
    this.ws();
    if (this.s[this.i] !== ',') return first;
    const items = [first];
    while (this.s[this.i] === ',') {
      this.i++;
      this.ws();
      if (this.i >= this.s.length || (!top && this.s[this.i] === ')')) break;
      items.push(this.parseValue());
      this.ws();
    }
    return items;
  }

  private parseValue(): Lit {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) throw new Fail();
    if (c === '-' || c === '+') {
      this.i++;
      this.ws();
      const v = this.parseAtomNumberOnly();
      if (c === '+') return v;
      return v instanceof PyFloat ? new PyFloat(-v.v) : -(v as number);
    }
    if (c === '[') {
      this.i++;
      this.nest();
      const items: Lit[] = [];
      this.ws();
      while (s[this.i] !== ']') {
        items.push(this.parseValue());
        this.ws();
        if (s[this.i] === ',') {
          this.i++;
          this.ws();
        } else if (s[this.i] !== ']') throw new Fail();
      }
      this.i++;
      this.depth--;
      return items;
    }
    if (c === '(') {
      this.i++;
      this.nest();
      this.ws();
      if (s[this.i] === ')') {
        this.i++;
        this.depth--;
        return [];
      }
      const first = this.parseValue();
      this.ws();
      let v: Lit = first;
      if (s[this.i] === ',') {
        const items = [first];
        while (s[this.i] === ',') {
          this.i++;
          this.ws();
          if (s[this.i] === ')') break;
          items.push(this.parseValue());
          this.ws();
        }
        v = items;
      }
      if (s[this.i] !== ')') throw new Fail();
      this.i++;
      this.depth--;
      return v;
    }
    if (c === '{') {
      this.i++;
      this.nest();
      const out: Record<string, Lit> = {};
      this.ws();
      while (s[this.i] !== '}') {
        const k = this.parseValue();
        this.ws();
        // A set literal ({1, 2}) has no JSON form.
        if (s[this.i] !== ':') throw new Fail();
        this.i++;
        const v = this.parseValue();
        if (typeof k === 'object' && k !== null && !(k instanceof PyFloat)) throw new Fail();
        setOwn(out, String(k instanceof PyFloat ? k.v : k), v);
        this.ws();
        if (s[this.i] === ',') {
          this.i++;
          this.ws();
        } else if (s[this.i] !== '}') throw new Fail();
      }
      this.i++;
      this.depth--;
      return out;
    }
    if (c === "'" || c === '"' || /[rRuUbBfF]/.test(c)) {
      const str = this.tryStrings();
      if (str !== undefined) return str;
    }
    if (/[0-9.]/.test(c)) return this.parseNumber();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      if (m[0] === 'True') return true;
      if (m[0] === 'False') return false;
      if (m[0] === 'None') return null;
    }
    throw new Fail();
  }

  private parseAtomNumberOnly(): number | PyFloat {
    const c = this.s[this.i];
    if (c !== undefined && /[0-9.]/.test(c)) return this.parseNumber();
    const m = /^(True|False)(?![A-Za-z0-9_])/.exec(this.s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return m[0] === 'True' ? 1 : 0;
    }
    throw new Fail();
  }

  private parseNumber(): number | PyFloat {
    const rest = this.s.slice(this.i);
    const m = NUMBER.exec(rest);
    if (!m || m[0].length === 0 || m[0] === '.') throw new Fail();
    if (m[1]) throw new Fail(); // complex
    const text = m[0];
    if (/[A-Za-z0-9_.]/.test(rest[text.length] ?? '')) throw new Fail();
    this.i += text.length;
    const clean = text.replace(/_/g, '');
    if (/^0[xXoObB]/.test(clean)) {
      const base = /^0[xX]/.test(clean) ? 16 : /^0[oO]/.test(clean) ? 8 : 2;
      return parseInt(clean.slice(2), base);
    }
    if (/[.eE]/.test(clean)) {
      const n = Number(clean);
      return Number.isInteger(n) ? new PyFloat(n) : n;
    }
    if (/^0+\d/.test(clean)) throw new Fail(); // leading zeros are a SyntaxError
    return Number(clean);
  }

  /** One or more adjacent string literals; undefined when not at a string. */
  private tryStrings(): string | undefined {
    let out: string | undefined;
    for (;;) {
      const m = /^([rRuUbBfF]{0,2})(['"])/.exec(this.s.slice(this.i));
      if (!m) break;
      const prefix = (m[1] ?? '').toLowerCase();
      if (prefix && !['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf'].includes(prefix)) break;
      if (prefix.includes('b') || prefix.includes('f')) throw new Fail();
      this.i += prefix.length;
      out = (out ?? '') + this.readString(prefix.includes('r'));
      this.ws();
    }
    return out;
  }

  private readString(raw: boolean): string {
    const s = this.s;
    const q = s[this.i] as string;
    const triple = s.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    for (;;) {
      if (this.i >= s.length) throw new Fail();
      if (s.startsWith(close, this.i)) {
        this.i += close.length;
        return out;
      }
      const c = s[this.i] as string;
      if (c === '\n' && !triple) throw new Fail();
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const n = s[this.i + 1];
      if (n === undefined) throw new Fail();
      if (raw) {
        out += c + n;
        this.i += 2;
        continue;
      }
      this.i += 2;
      if (n === '\n') continue;
      const simple = ESC[n];
      if (simple !== undefined) out += simple;
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(this.i - 1)) as RegExpExecArray;
        out += String.fromCodePoint(parseInt(m[0], 8));
        this.i += m[0].length - 1;
      } else if (n === 'x' || n === 'u' || n === 'U') {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        const hex = s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Fail();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.i += len;
      } else if (n === 'N') throw new Fail();
      else out += `\\${n}`;
    }
  }
}
