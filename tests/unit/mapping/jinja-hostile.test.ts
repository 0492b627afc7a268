// Templates as an attacker (or a careless edit) would write them: the engine resolves only its
// own names, filters, tests and Python methods, never a JavaScript prototype member, and every
// rendering runs under hard limits that fail the record with a message naming the limit.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { MappingError, compileTransforms } from '../../../shared/mapping/index.js';
import { compileTemplate } from '../../../shared/mapping/jinja/compile.js';
import { TemplateLimitError } from '../../../shared/mapping/jinja/limits.js';
import { TemplateSyntaxError, UnknownNameError } from '../../../shared/mapping/jinja/parser.js';

const ctx = { model: 'InfraDevice', entryIndex: 2 };
const render = (expression: string, rec: Record<string, unknown> = { name: 'ams1-edge' }): unknown =>
  compileTemplate(expression).render(rec);
const failure = (expression: string, rec: Record<string, unknown> = { id: 7, name: 'ams1-edge' }): MappingError => {
  const t = compileTransforms([{ field: 'serial', expression }], ctx);
  try {
    t.apply(rec);
  } catch (e) {
    expect(e).toBeInstanceOf(MappingError);
    return e as MappingError;
  }
  throw new Error(`${expression} rendered without an error`);
};

afterEach(() => {
  // Nothing a template did may leave a trace on the shared prototypes.
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('templates reach nothing but their own names', () => {
  it.each([
    '{{ name.__proto__ }}',
    '{{ name.constructor }}',
    '{{ name.constructor.name }}',
    '{{ name.toString() }}',
    '{{ name.valueOf() }}',
    '{{ name.__defineGetter__ }}',
    '{{ name.hasOwnProperty("length") }}',
    '{{ name.length }}',
    '{{ {}.constructor }}',
    '{{ [].constructor }}',
    '{{ [].__proto__ }}',
    "{{ {'a': 1}.toString }}",
    '{{ constructor }}',
    '{{ toString }}',
    '{{ __proto__ }}',
    '{{ hasOwnProperty }}',
    '{{ range.constructor }}',
    '{% for x in [1] %}{{ loop.constructor }}{% endfor %}',
    '{% for x in [1] %}{{ loop.__proto__ }}{% endfor %}',
  ])('%s fails the record as undefined, writing nothing', (expression) => {
    const e = failure(expression);
    expect(e.message).toMatch(/is undefined|has no attribute|has no item|not callable/);
    expect(e.message).toContain('InfraDevice: transform of \'serial\' failed on record 7');
    expect(e.details.path).toBe('schema_mapping[2].transforms[0].expression');
  });

  it.each([
    ['{{ name | constructor }}', 'filter', 'constructor'],
    ['{{ name | __proto__ }}', 'filter', '__proto__'],
    ['{{ name | toString }}', 'filter', 'toString'],
    ['{{ name | valueOf }}', 'filter', 'valueOf'],
    ['{{ name is constructor }}', 'test', 'constructor'],
    ['{{ name is toString }}', 'test', 'toString'],
    ['{{ name is hasOwnProperty }}', 'test', 'hasOwnProperty'],
    ['{{ name is not __proto__ }}', 'test', '__proto__'],
  ])('%s is not a %s (refused when compiled, with its position)', (expression, kind, unknown) => {
    let err: unknown;
    try {
      compileTemplate(expression);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownNameError);
    const u = err as UnknownNameError;
    expect([u.kind, u.unknown]).toEqual([kind, unknown]);
    expect(expression.slice(u.offset)).toMatch(new RegExp(`^${unknown}`));
    let config: unknown;
    try {
      compileTransforms([{ field: 'serial', expression }], ctx);
    } catch (e) {
      config = e;
    }
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).location.path).toBe('schema_mapping[2].transforms[0].expression');
  });

  it('treats a record field or variable named like a prototype member as data', () => {
    const rec = JSON.parse('{"__proto__": "p-value", "constructor": "c-value", "obj": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>;
    expect(render('{{ __proto__ }}', rec)).toBe('p-value');
    expect(render('{{ constructor }}', rec)).toBe('c-value');
    expect(render('{{ obj.__proto__ }}', rec)).toEqual({ polluted: 1 });
    expect(render("{{ obj['__proto__'].polluted }}", rec)).toBe(1);
    expect(render('{% set __proto__ = 5 %}{{ __proto__ + 1 }}', {})).toBe(6);
    expect(render('{% for constructor in [1, 2] %}{{ constructor }}{% endfor %}', {})).toBe(12);
  });

  it("builds a dict literal's __proto__ key as a key, not a prototype", () => {
    const d = render("{{ {'__proto__': {'polluted': 1}, 'b': 2} }}") as Record<string, unknown>;
    expect(Object.keys(d)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(d.polluted).toBeUndefined();
    expect(render("{{ {'__proto__': {'polluted': 1}}.polluted is defined }}")).toBe(false);
    // Python's literal reading of rendered text keeps such a key too.
    const text = render("{{ \"{'__proto__': 1}\" }}") as Record<string, unknown>;
    expect(Object.hasOwn(text, '__proto__')).toBe(true);
  });

  it('refuses a method or function as the result instead of writing an engine object', () => {
    expect(failure('{{ name.lower }}').message).toMatch(/the result is the method lower\(\) itself, not a value/);
    // In text, it reads as Python prints a method.
    expect(render('x{{ name.lower }}')).toBe('x<built-in method lower of str object>');
  });

  it('keeps the Python methods and filters it implements', () => {
    expect(render("{{ name.upper().replace('-', '_') | lower }}")).toBe('ams1_edge');
    expect(render('{{ name is string }}')).toBe(true);
    expect(render("{{ {'a': 1}.get('a') }}")).toBe(1);
    expect(render("{{ {'a': 1}.get('constructor', 'none') }}")).toBe('none');
  });
});

describe('template limits', () => {
  it('refuses a range over 100,000 items instead of exhausting the heap', () => {
    // This expression killed the process with a V8 fatal error (exit 133, 2.2 GB).
    const e = failure('{{ range(1000000000) | list | length }}');
    expect(e.message).toMatch(/range\(\) of 1000000000 items is over the limit of 100000/);
    expect(e.cause).toBeInstanceOf(TemplateLimitError);
    expect(render('{{ range(100000) | length }}')).toBe(100000);
    expect(render('{{ range(10, 0, -3) | list }}')).toEqual([10, 7, 4, 1]);
  });

  it.each([
    ["{{ 'x' * 10000000000 }}", /a repeated string would be 10000000000 characters long, over the limit of 1000000/],
    ['{{ [0] * 10000000000 }}', /a repeated list would hold 10000000000 items, over the limit of 1000000/],
    ['{{ 10000000000 * [0, 1] }}', /a repeated list would hold 20000000000 items/],
    ["{{ ('x' * 1000000) ~ 'y' }}", /a concatenated string would be 1000001 characters long/],
    ["{{ ('x' * 600000) + ('y' * 600000) }}", /a concatenated string would be 1200000 characters long/],
    ["{{ ([('x' * 1000000)] * 1000000) | string }}", /the text of a value would be \d+ characters long/],
    ["{{ ([('x' * 1000000)] * 1000000) | join(',') }}", /the joined text would be \d+ characters long/],
    ["{{ name.ljust(100000000) }}", /the result of ljust\(\) would be 100000000 characters long/],
    ["{{ name.zfill(100000000) }}", /the result of zfill\(\) would be 100000000 characters long/],
    ["{{ ('x' * 1000000).replace('x', 'yy') }}", /the result of replace\(\) would be 2000000 characters long/],
    ["{{ ('x' * 1000000).replace('', '-') }}", /the result of replace\(\) would be 2000001 characters long/],
    ["{% for a in range(100000) %}{{ 'xxxxxxxxxxxxxxxxxxxx' }}{% endfor %}", /the output would be 1000020 characters long/],
    ['{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}', /the template ran more than 1000000 loop iterations/],
  ])('%s fails the record: %s', (expression, message) => {
    const started = performance.now();
    const e = failure(expression);
    expect(e.message).toMatch(message);
    expect(e.cause).toBeInstanceOf(TemplateLimitError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('stops a rendering that runs past its time limit', () => {
    const tpl = compileTemplate('{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}', {
      limits: { ms: 20, iterations: Number.MAX_SAFE_INTEGER },
    });
    const started = performance.now();
    expect(() => tpl.render({})).toThrow(/the template took longer than 20 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
    // The next rendering has its own budget.
    expect(compileTemplate('{{ 1 + 1 }}', { limits: { ms: 20 } }).render({})).toBe(2);
  });

  it('reaches the clock check when each iteration works over a long value', () => {
    // 100,000 iterations of a search through 1,000,000 characters would take minutes.
    const rec = { big: 'a'.repeat(1_000_000), items: Array.from({ length: 100_000 }, (_, i) => i) };
    for (const body of ["{% if 'z' in big %}{% endif %}", "{{ big.count('z') }}", '{{ big | length }}', '{% if -1 in items %}{% endif %}']) {
      const tpl = compileTemplate(`{% for i in range(100000) %}${body}{% endfor %}`, { limits: { ms: 50 } });
      const started = performance.now();
      expect(() => tpl.render(rec)).toThrow(/the template took longer than 50 ms/);
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });

  it('keeps string methods linear on long values', () => {
    // Each render runs under the engine's time budget (1 s): a quadratic method fails it with a
    // limit error, so no wall-clock assertion here (timings belong to the bench suite).
    expect(render("{{ ('a ' * 400000).rsplit(None, 400000) | length }}")).toBe(400000);
    expect(render("{{ ('a ' * 400000).split(None, 399999) | length }}")).toBe(400000);
    expect(render("{{ ('ab' * 400000).replace('a', 'c', 399999).count('c') }}")).toBe(399999);
    expect(render("{{ (range(100000) | list + range(100000) | list) | unique | length }}")).toBe(100000);
    // Python's results on the edges.
    expect(render("{{ '  a  b  '.rsplit(None, 1) }}")).toEqual(['  a', 'b']);
    expect(render("{{ '  a  b  '.split(None, 1) }}")).toEqual(['a', 'b  ']);
    expect(render("{{ ' a b c '.rsplit(None, 5) }}")).toEqual(['a', 'b', 'c']);
    expect(render("{{ 'a,b,c'.replace(',', ';', 1) }}")).toBe('a;b,c');
    expect(render("{{ 'ab'.replace('', '-', 2) }}")).toBe('-a-b');
    expect(render("{{ 'ab'.replace('', '-') }}")).toBe('-a-b-');
    expect(render("{{ [1, 'A', 'a', 1.0, True] | unique }}")).toEqual([1, 'A']);
  });

  it('refuses templates nested too deeply to parse, without overflowing the stack', () => {
    const deep = `{{ ${'('.repeat(20_000)}1${')'.repeat(20_000)} }}`;
    expect(() => compileTemplate(deep)).toThrow(TemplateSyntaxError);
    expect(() => compileTemplate(deep)).toThrow(/nested too deeply/);
    // Rendered text nested deeper than Python's parser allows stays text, as in Jinja2.
    expect(render("{{ '[' * 300 ~ ']' * 300 }}")).toBe(`${'['.repeat(300)}${']'.repeat(300)}`);
    expect(render("{{ '[' * 3 ~ ']' * 3 }}")).toEqual([[[]]]);
  });
});
