import { describe, expect, it } from 'vitest';
import { escaped, escapeText, escapeValue } from '../../../shared/escape.js';

/** What must never reach a terminal raw: controls, format characters, separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_BUT_LINES = /[^\n\t\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const hostile = [
  ['erase line and move up', 'a\u001b[2K\u001b[1Ab', 'a\\x1b[2K\\x1b[1Ab'],
  ['conceal the rest', '\u001b[8mhidden', '\\x1b[8mhidden'],
  ['terminal title (OSC)', '\u001b]0;owned\u0007', '\\x1b]0;owned\\x07'],
  ['carriage return', 'real\rfake', 'real\\rfake'],
  ['line feed', 'one\ntwo', 'one\\ntwo'],
  ['tab', 'a\tb', 'a\\tb'],
  ['NUL and DEL', 'a\u0000b\u007f', 'a\\x00b\\u007f'],
  ['C1 CSI', 'a\u009b2Kb', 'a\\u009b2Kb'],
  ['right-to-left override', 'invoice\u202efdp.exe', 'invoice\\u202efdp.exe'],
  ['isolates and marks', '\u2066a\u2069\u200e\u200f\u061c', '\\u2066a\\u2069\\u200e\\u200f\\u061c'],
  ['zero-width characters and BOM', 'ad\u200bmin\u200c\u200d\u2060\ufeff', 'ad\\u200bmin\\u200c\\u200d\\u2060\\ufeff'],
  ['soft hyphen', 'ad\u00admin', 'ad\\u00admin'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
  ['tag characters (astral)', 'x\u{E0041}\u{E007F}', 'x\\udb40\\udc41\\udb40\\udc7f'],
  ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ['a backslash, so an escape cannot be faked', 'C:\\x1b', 'C:\\\\x1b'],
] as const;

describe('escapeValue', () => {
  it.each(hostile)('%s', (_name, raw, shown) => {
    expect(escapeValue(raw)).toBe(shown);
    expect(escapeValue(raw)).not.toMatch(UNSAFE);
  });

  it('leaves ordinary text alone, non-Latin scripts and emoji included', () => {
    for (const s of ['atl1-edge1', 'Zürich', '東京-core', 'مرحبا', 'router 🚀', 'a "quoted" {json}']) expect(escapeValue(s)).toBe(s);
  });

  it('tags interpolated values only', () => {
    const key = 'x\ny';
    expect(escaped`model M ${key}: done\n`).toBe('model M x\\ny: done\n');
  });
});

describe('escapeText', () => {
  it('keeps line breaks, tabs and backslashes but escapes everything else', () => {
    expect(escapeText('line 1\n\tline 2 \\d+\r\u001b[2K\u202e')).toBe('line 1\n\tline 2 \\d+\\r\\x1b[2K\\u202e');
  });

  it('is idempotent on escaped text', () => {
    for (const [, raw] of hostile) expect(escapeText(escapeValue(raw))).toBe(escapeValue(raw));
  });

  it('keeps a JSON document valid and its values unchanged', () => {
    const value = hostile.map(([, raw]) => raw).join('|');
    const json = JSON.stringify({ changes: [{ key: value, attrs: { description: value } }] }, null, 2);
    const safe = escapeText(json);
    expect(safe).not.toMatch(UNSAFE_BUT_LINES);
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });
});
