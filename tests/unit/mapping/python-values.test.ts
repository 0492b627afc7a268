// Python semantics the engine relies on; expected values were taken from CPython 3.11.
import { describe, expect, it } from 'vitest';
import { NOT_LITERAL, literalEval } from '../../../shared/mapping/literal.js';
import { PyFloat, floatRepr, pyStr } from '../../../shared/mapping/python.js';

const plain = (v: unknown): unknown => (v instanceof PyFloat ? v.v : v);

describe('literalEval (ast.literal_eval of rendered text)', () => {
  it.each([
    ['5 ', 5],
    ['5\n', 5],
    ['\n5', 5],
    ['5 # c', 5],
    ['1_000', 1000],
    ['0', 0],
    ['-5', -5],
    ['- 5', -5],
    ['1e5', 100000],
    ['.5', 0.5],
    ['5.', 5],
    ['0x1f', 31],
    ['True', true],
    ['None', null],
    ["'a' 'b'", 'ab'],
    ['(1)', 1],
    ['(1,)', [1]],
    ['[1,]', [1]],
    ['1,2', [1, 2]],
    ['{}', {}],
    ["{'a':[1,{'b':None}]}", { a: [1, { b: null }] }],
    ["'\\x41'", 'A'],
    ['"a\\nb"', 'a\nb'],
    ['"""x"""', 'x'],
    ["u'x'", 'x'],
    ["r'\\n'", '\\n'],
  ])('%j -> %j', (text, want) => {
    expect(plain(literalEval(text))).toEqual(want);
  });

  it.each([' 5', '\t5', '007', '--5', 'none', 'abc', '10.0.0.1', '1/24', '00:11:22:33:44:55', '5j', '1+2j', "b'x'", 'set()', '{1, 2}', "f'x'", '1 2'])(
    '%j is not a literal',
    (text) => {
      expect(literalEval(text)).toBe(NOT_LITERAL);
    },
  );

  it('marks integral floats so they print as Python floats', () => {
    expect(literalEval('2.0')).toBeInstanceOf(PyFloat);
    expect(pyStr(literalEval('2.0'))).toBe('2.0');
  });
});

describe('floatRepr / pyStr', () => {
  it.each([
    [2, '2.0'],
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e300, '1.5e+300'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
  ])('%d -> %s', (n, s) => {
    expect(floatRepr(n)).toBe(s);
  });

  it('renders values like str()', () => {
    expect(pyStr([1, 'a', null, true, { k: "v'" }])).toBe(`[1, 'a', None, True, {'k': "v'"}]`);
    expect(pyStr(new PyFloat(3))).toBe('3.0');
    expect(pyStr(2.5)).toBe('2.5');
  });
});
