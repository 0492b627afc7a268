// The regex filter against Python's own re.match, case by case (regex-corpus.json is generated
// by the .gen.py beside it), and its linear running time on patterns that make backtracking
// engines take exponential time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RegexTranslateError, pythonRegex } from '../../../shared/mapping/regex.js';

interface Corpus {
  values: string[];
  cases: ({ pattern: string; error: string } | { pattern: string; matches: Record<string, boolean> })[];
}
const corpus = JSON.parse(readFileSync(new URL('./regex-corpus.json', import.meta.url), 'utf8')) as Corpus;

// Python accepts these; a linear-time engine cannot run them, so they are refused with a reason.
const REFUSED: Record<string, RegExp> = {
  '(a)\\1': /backreferences/,
  '(?P<s>a)(?P=s)': /backreferences/,
  'a(?=b)': /lookahead and lookbehind/,
  'a(?!b)': /lookahead and lookbehind/,
  '(?<=a)b': /lookahead and lookbehind/,
  '(?<!a)b': /lookahead and lookbehind/,
  '(a)?(?(1)b|c)': /conditional groups/,
  '(?>a)': /atomic groups/,
  'a*+': /possessive quantifiers/,
  'a{1001}': /repeat counts above 1000/,
  '[^\\W]': /negated set/,
  '\\N{LATIN SMALL LETTER A}': /\\N\{\.\.\.\}/,
};

describe('Python regex on a linear-time engine', () => {
  it('covers every case of the corpus', () => {
    expect(corpus.cases.length).toBeGreaterThan(80);
    const refusedSeen = corpus.cases.filter((c) => c.pattern in REFUSED).length;
    expect(refusedSeen).toBe(Object.keys(REFUSED).length);
  });

  for (const c of corpus.cases) {
    if ('error' in c) {
      it(`refuses ${JSON.stringify(c.pattern)} as Python does (${c.error})`, () => {
        expect(() => pythonRegex(c.pattern)).toThrow(RegexTranslateError);
      });
      continue;
    }
    const refused = REFUSED[c.pattern];
    if (refused) {
      it(`refuses ${JSON.stringify(c.pattern)}, which needs backtracking, with the reason`, () => {
        expect(() => pythonRegex(c.pattern)).toThrow(refused);
      });
      continue;
    }
    it(`matches ${JSON.stringify(c.pattern)} as re.match does`, () => {
      const re = pythonRegex(c.pattern);
      const got = Object.fromEntries(Object.keys(c.matches).map((v) => [v, re.match(v)]));
      expect(got).toEqual(c.matches);
    });
  }

  it('runs ^(a+)+$ over hostile values in linear time', () => {
    // Python's re (and JavaScript's RegExp) take over 120 s on the 41-character value alone.
    const re = pythonRegex('^(a+)+$');
    const started = performance.now();
    expect(re.match(`${'a'.repeat(40)}!`)).toBe(false);
    expect(re.match(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(re.match('a'.repeat(100_000))).toBe(true);
    expect(pythonRegex('^(a|a)*$').match(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(pythonRegex('(x+x+)+y').match('x'.repeat(50_000))).toBe(false);
    // A loose bound, far above the milliseconds this takes, far below what backtracking takes.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
