// Python `re` patterns, run by a linear-time engine (re2js, a pure-JavaScript port of RE2).
// A backtracking engine (JavaScript's RegExp, Python's re) takes exponential time on patterns
// such as `^(a+)+$`, and the values they run against come from the source system, so one
// record could stall a run for hours. RE2 matches in time linear in the value's length.
//
// The pattern is translated from Python's syntax to RE2's so that what Python accepts means the
// same here (re.match: anchored at the start only):
// - `(?P<name>...)`, `(?:...)`, `(?#...)` comments, global flags `(?aimsux)` at the start, scoped
//   flags `(?i:...)`, `(?-i:...)`, `(?x)` verbose patterns, `{,n}`, `\A`, `\Z`, octal, `\x`,
//   `\u`, `\U` escapes; Python's `$` (end, or before a final newline).
// - `\d`, `\w`, `\s` (and negations) are Unicode-aware as in Python 3 (`\d` is any decimal digit,
//   `\w` any letter, digit or `_`), or ASCII under `(?a)`.
// What RE2 cannot do in linear time is refused with a message saying so, when the config is
// loaded: backreferences (`\1`, `(?P=name)`), lookahead and lookbehind, conditionals,
// atomic groups and possessive quantifiers, repeat counts above 1000.
// Known differences that remain: `\b` and `\B` use ASCII word characters; a non-multiline `$`
// followed by more pattern (`a$\n`) consumes the final newline; `(?L)` and `\N{...}` are refused.
import { RE2JS } from 're2js';

export class RegexTranslateError extends Error {
  override readonly name = 'RegexTranslateError';
}

export interface PythonRegex {
  /** Python's `re.match(pattern, value) is not None`. */
  match(value: string): boolean;
  readonly pattern: string;
}

interface Mode {
  ascii: boolean;
  multiline: boolean;
  verbose: boolean;
}

const MAX_REPEAT = 1000;

// Python 3's Unicode classes (str patterns). `\d` is Unicode category Nd; `\w` is what
// str.isalnum() accepts, plus `_`; `\s` is what str.isspace() accepts.
const UNI = { d: '\\p{Nd}', w: '\\p{L}\\p{N}_', s: '\\t\\n\\v\\f\\r\\x{1c}-\\x{1f} \\x{85}\\p{Z}' };
const ASC = { d: '0-9', w: '0-9A-Za-z_', s: '\\t\\n\\v\\f\\r ' };

const SIMPLE_ESCAPES = new Map([
  ['a', '\\x{7}'],
  ['f', '\\f'],
  ['n', '\\n'],
  ['r', '\\r'],
  ['t', '\\t'],
  ['v', '\\v'],
]);

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

/** One character as RE2 reads it literally, inside or outside a class. */
function literal(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  if (/[A-Za-z0-9_]/.test(ch)) return ch;
  if (cp < 0x80) return /[ -~]/.test(ch) ? `\\${ch}` : hex(cp);
  return ch;
}

class NegatedInClass extends Error {
  constructor(readonly cls: string) {
    super(cls);
  }
}

class Translator {
  private i = 0;
  private out = '';
  private readonly modes: Mode[] = [{ ascii: false, multiline: false, verbose: false }];
  /** One per open group: whether it pushed a mode. */
  private readonly groups: boolean[] = [];
  flags = 0;

  constructor(private readonly src: string) {}

  private get mode(): Mode {
    return this.modes[this.modes.length - 1] as Mode;
  }

  private fail(why: string, at = this.i): never {
    throw new RegexTranslateError(`${why} at position ${at}`);
  }

  translate(): string {
    this.globalFlags();
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (this.mode.verbose && /\s/.test(c)) {
        this.i++;
        continue;
      }
      if (this.mode.verbose && c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      switch (c) {
        case '\\':
          this.out += this.escape(false);
          break;
        case '[':
          this.out += this.charClass();
          break;
        case '(':
          this.group();
          break;
        case ')':
          if (this.groups.length === 0) this.fail('unbalanced parenthesis');
          if (this.groups.pop()) this.modes.pop();
          this.out += ')';
          this.i++;
          break;
        case '$':
          // Python: the end, or just before a newline that ends the string.
          this.out += this.mode.multiline ? '$' : '(?:\\n?\\z)';
          this.i++;
          break;
        case '{':
          this.brace();
          break;
        case '*':
        case '+':
        case '?':
          this.out += c;
          this.i++;
          this.quantifierSuffix();
          break;
        default: {
          const ch = String.fromCodePoint(s.codePointAt(this.i) as number);
          this.out += ch === '.' || ch === '^' || ch === '|' ? ch : literal(ch);
          this.i += ch.length;
        }
      }
    }
    if (this.groups.length > 0) this.fail('missing ), unterminated subpattern');
    return this.out;
  }

  /** `(?aimsux)` at the very start; Python 3.11 refuses global flags anywhere else. */
  private globalFlags(): void {
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.src.slice(this.i));
      if (!m) return;
      for (const f of m[1] as string) this.setFlag(f, this.mode, true);
      this.i += m[0].length;
      if (this.mode.verbose) this.skipVerbose();
    }
  }

  private skipVerbose(): void {
    const s = this.src;
    while (this.i < s.length) {
      if (/\s/.test(s[this.i] as string)) this.i++;
      else if (s[this.i] === '#') while (this.i < s.length && s[this.i] !== '\n') this.i++;
      else return;
    }
  }

  /** Applies flag `f` to `mode`; returns the RE2 inline flag to write for a scoped group. */
  private setFlag(f: string, mode: Mode, global: boolean): string {
    switch (f) {
      case 'a':
        mode.ascii = true;
        return '';
      case 'u':
        mode.ascii = false;
        return '';
      case 'x':
        mode.verbose = true;
        return '';
      case 'm':
        mode.multiline = true;
        if (global) this.flags |= RE2JS.MULTILINE;
        return 'm';
      case 'i':
        if (global) this.flags |= RE2JS.CASE_INSENSITIVE;
        return 'i';
      case 's':
        if (global) this.flags |= RE2JS.DOTALL;
        return 's';
      default:
        this.fail(`flag (?${f}) is not supported`);
    }
  }

  private group(): void {
    const s = this.src;
    const rest = s.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.groups.push(false);
      this.out += '(';
      this.i++;
      return;
    }
    const named = /^\(\?P<([^>]*)>/.exec(rest);
    if (named) {
      const name = named[1] as string;
      if (!/^[A-Za-z_]\w*$/.test(name)) this.fail(`bad character in group name '${name}'`);
      this.groups.push(false);
      this.out += `(?P<${name}>`;
      this.i += named[0].length;
      return;
    }
    if (rest.startsWith('(?:')) {
      this.groups.push(false);
      this.out += '(?:';
      this.i += 3;
      return;
    }
    if (rest.startsWith('(?#')) {
      const close = s.indexOf(')', this.i);
      if (close < 0) this.fail('missing ), unterminated comment');
      this.i = close + 1;
      return;
    }
    if (rest.startsWith('(?P=')) this.fail('backreferences such as (?P=name) cannot be matched in linear time and are not supported');
    if (/^\(\?<?[=!]/.test(rest)) this.fail('lookahead and lookbehind assertions are not supported (linear-time engine)');
    if (rest.startsWith('(?(')) this.fail('conditional groups (?(...)...) are not supported (linear-time engine)');
    if (rest.startsWith('(?>')) this.fail('atomic groups (?>...) are not supported (linear-time engine)');
    const scoped = /^\(\?([aimsux]*)(?:-([imsx]+))?:/.exec(rest);
    if (scoped && (scoped[1] || scoped[2])) {
      const mode = { ...this.mode };
      let on = '';
      let off = '';
      for (const f of scoped[1] as string) on += this.setFlag(f, mode, false);
      for (const f of scoped[2] ?? '') {
        if (f === 'x') mode.verbose = false;
        else {
          if (f === 'm') mode.multiline = false;
          off += f;
        }
      }
      this.modes.push(mode);
      this.groups.push(true);
      this.out += on || off ? `(?${on}${off ? `-${off}` : ''}:` : '(?:';
      this.i += scoped[0].length;
      return;
    }
    if (/^\(\?[aiLmsux]+\)/.test(rest)) this.fail('global flags not at the start of the expression');
    this.fail(`unknown extension ${rest.slice(1, 3)}`);
  }

  /** `{m,n}` as Python reads it: a quantifier when well formed, literal text otherwise. */
  private brace(): void {
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
    if (!m || (m[1] === '' && m[2] === undefined)) {
      this.out += '\\{';
      this.i++;
      return;
    }
    const lo = m[1] === '' ? 0 : Number(m[1]);
    const hi = m[2] === undefined ? lo : m[3] === '' ? undefined : Number(m[3]);
    if (lo > MAX_REPEAT || (hi !== undefined && hi > MAX_REPEAT)) {
      this.fail(`repeat counts above ${MAX_REPEAT} are not supported`);
    }
    if (hi !== undefined && hi < lo) this.fail('min repeat greater than max repeat');
    this.out += m[2] === undefined ? `{${lo}}` : `{${lo},${hi ?? ''}}`;
    this.i += m[0].length;
    this.quantifierSuffix();
  }

  private quantifierSuffix(): void {
    const n = this.src[this.i];
    if (n === '?') {
      this.out += '?';
      this.i++;
    } else if (n === '+') {
      this.fail('possessive quantifiers are not supported (linear-time engine)');
    }
  }

  private classOf(kind: 'd' | 'w' | 's'): string {
    return (this.mode.ascii ? ASC : UNI)[kind];
  }

  /** An escape at `this.i` (the backslash). Outside a class: a full RE2 atom; inside: class items. */
  private escape(inClass: boolean): string {
    const s = this.src;
    const n = s[this.i + 1];
    if (n === undefined) this.fail('bad escape (end of pattern)');
    const at = this.i;
    this.i += 2;
    const lower = n.toLowerCase();
    if (lower === 'd' || lower === 'w' || lower === 's') {
      const body = this.classOf(lower);
      const negated = n !== lower;
      if (!inClass) return negated ? `[^${body}]` : `[${body}]`;
      if (!negated) return body;
      // A negated class cannot be a member of another class in RE2; the caller handles it.
      throw new NegatedInClass(`[^${body}]`);
    }
    if (!inClass && (n === 'A' || n === 'b' || n === 'B')) return `\\${n}`;
    if (!inClass && n === 'Z') return '\\z';
    if (inClass && n === 'b') return '\\x{8}';
    const simple = SIMPLE_ESCAPES.get(n);
    if (simple !== undefined) return simple;
    if (n === 'x') return this.hexEscape(2, at);
    if (n === 'u') return this.hexEscape(4, at);
    if (n === 'U') return this.hexEscape(8, at);
    if (n === 'N') this.fail('named Unicode escapes \\N{...} are not supported', at);
    if (n === '0') {
      const m = /^[0-7]{0,2}/.exec(s.slice(this.i)) as RegExpExecArray;
      this.i += m[0].length;
      return hex(parseInt(`0${m[0]}`, 8));
    }
    if (inClass && /[1-7]/.test(n)) {
      // In a set, Python reads a digit escape as octal (up to three digits), never a group.
      const m = /^[0-7]{0,2}/.exec(s.slice(this.i)) as RegExpExecArray;
      const cp = parseInt(n + m[0], 8);
      if (cp > 0o377) this.fail(`octal escape value \\${n}${m[0]} outside of range 0-0o377`, at);
      this.i += m[0].length;
      return hex(cp);
    }
    if (/[1-9]/.test(n)) {
      const m = /^[0-7]{2}/.exec(s.slice(this.i));
      if (/[0-7]/.test(n) && m) {
        const cp = parseInt(n + m[0], 8);
        if (cp > 0o377) this.fail(`octal escape value \\${n}${m[0]} outside of range 0-0o377`, at);
        this.i += 2;
        return hex(cp);
      }
      if (inClass) this.fail(`bad escape \\${n}`, at);
      this.fail('backreferences such as \\1 cannot be matched in linear time and are not supported', at);
    }
    if (/[A-Za-z]/.test(n)) this.fail(`bad escape \\${n}`, at);
    const cp = s.codePointAt(at + 1) as number;
    if (cp > 0xffff) this.i++;
    return literal(String.fromCodePoint(cp));
  }

  private hexEscape(len: number, at: number): string {
    const digits = this.src.slice(this.i, this.i + len);
    if (digits.length !== len || !/^[0-9a-fA-F]+$/.test(digits)) {
      this.fail(`incomplete escape \\${this.src[at + 1] ?? ''}${digits}`, at);
    }
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) this.fail(`bad escape \\${this.src[at + 1] ?? ''}${digits}`, at);
    this.i += len;
    return hex(cp);
  }

  /** `[...]` at `this.i`. */
  private charClass(): string {
    const s = this.src;
    const start = this.i;
    this.i++;
    let negate = false;
    if (s[this.i] === '^') {
      negate = true;
      this.i++;
    }
    let body = '';
    const extra: string[] = [];
    let first = true;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) this.fail('unterminated character set', start);
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '\\') {
        try {
          body += this.escape(true);
        } catch (e) {
          if (!(e instanceof NegatedInClass)) throw e;
          if (negate) this.fail('\\W, \\S or \\D inside a negated set [^...] is not supported; rewrite the set', start);
          extra.push(e.cls);
        }
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(this.i) as number);
      this.i += ch.length;
      // `-` between two items is a range, as in Python; `[` is escaped so RE2 never reads `[:alpha:]`.
      body += ch === '-' ? '-' : literal(ch);
    }
    const set = body === '' ? '' : `[${negate ? '^' : ''}${body}]`;
    if (extra.length === 0) return set;
    return `(?:${[set, ...extra].filter((x) => x !== '').join('|')})`;
  }
}

/**
 * The RE2 pattern and flags for a Python pattern. re.match is "the pattern matches a prefix":
 * the pattern followed by anything, matched against the whole value, which re2js checks with
 * its DFA alone (four times faster than an anchored search).
 */
export function translatePythonRegex(pattern: string): { source: string; flags: number } {
  const t = new Translator(pattern);
  const body = t.translate();
  return { source: `(?:${body})(?s:.*)`, flags: t.flags };
}

/** Compiles a Python pattern; throws RegexTranslateError for what Python or RE2 would refuse. */
export function pythonRegex(pattern: string): PythonRegex {
  const { source, flags } = translatePythonRegex(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, flags);
  } catch (e) {
    throw new RegexTranslateError((e as Error).message.replace(/^error parsing regexp: /, ''));
  }
  return { pattern, match: (value) => re.testExact(value) };
}
