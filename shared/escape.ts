// Text that reaches a terminal or a human-readable file carries source data, and source data is
// not trusted: an ESC sequence in a device description can erase the lines above it, hide the
// rest of a diff (`\x1b[8m`) or retitle the terminal; a carriage return overwrites a line; a
// right-to-left override (U+202E) or a zero-width character makes a value read as something
// else. Everything below makes such characters visible instead, as escapes a reviewer can read.
//
// Escaped: every control character (Unicode Cc: C0, DEL, C1), every format character (Cf: the
// bidirectional embeddings, overrides and isolates, zero-width spaces and joiners, the BOM, soft
// hyphen, tag characters, ...), the line and paragraph separators (Zl, Zp) and lone surrogates.
// C0 characters print as `\n`, `\r`, `\t` or `\xHH` (ESC is `\x1b`); the others as `\uXXXX`
// (UTF-16 units), which is also a JSON escape, so escaping a JSON document keeps it valid JSON
// with the same value.

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_OR_BACKSLASH = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\\]/gu;
const UNSAFE_KEEP_LINES = /[^\n\t\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function escapeChar(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  let out = '';
  for (let i = 0; i < ch.length; i++) {
    const unit = ch.charCodeAt(i);
    out += unit < 0x20 ? `\\x${unit.toString(16).padStart(2, '0')}` : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/**
 * One data value (a key, an attribute value, a name from the source) for a line of text: every
 * unsafe character escaped, line breaks and tabs included, and backslashes doubled so that a
 * value holding the four characters `\x1b` cannot pass for one that held an ESC.
 */
export function escapeValue(value: string): string {
  return value.replace(UNSAFE_OR_BACKSLASH, escapeChar);
}

/**
 * Text this program composed (a message, a diff, a JSON document) that may embed data: unsafe
 * characters escaped, but line breaks and tabs kept and backslashes left alone, so applying it
 * to text whose values were already escaped changes nothing. Values inside such text should
 * still go through escapeValue, or a line break inside one would start a line of its own.
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, escapeChar);
}

/** True when the value holds a character escapeValue would escape (other than a backslash). */
export function hasUnsafeCharacters(value: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(value);
}

/** A template tag: `escaped\`${model} ${key}: ...\`` escapes every interpolated value. */
export function escaped(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += escapeValue(String(values[i])) + (strings[i + 1] ?? '');
  }
  return out;
}
