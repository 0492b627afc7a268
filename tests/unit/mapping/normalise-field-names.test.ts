// normaliseModel builds attrs and ids from an object literal compiled per entry; any field name
// must come out as exactly that own key, and the odd ones must behave as plain assignment does.
import { describe, expect, it } from 'vitest';
import { normaliseModel, type ReferenceIndex } from '../../../shared/mapping/index.js';
import { config, entry, field } from './helpers.js';

const noRefs: ReferenceIndex = new Map();
const odd = ['a"b', 'back\\slash', 'line\nbreak', '\u2028sep', '${x}', '`tick`', '0', '10', 'constructor', 'toString', 'ü-ñ', ''];

describe('normaliseModel field names', () => {
  it('keys attrs and ids by the field names exactly, whatever characters they hold', () => {
    const cfg = config([
      entry(
        'Odd',
        'odd',
        ['name', 'a"b'],
        [field('name', { mapping: 'name' }), ...odd.map((n, i) => (n === 'a"b' ? field(n, { mapping: 'x' }) : field(n, { static: i })))],
      ),
    ]);
    const r = normaliseModel(cfg, 'Odd', 'source', [[{ id: 1, name: 'n1', x: 'q' }]], noRefs);
    const rec = r.records[0]!;
    expect(rec.ids).toEqual({ name: 'n1', 'a"b': 'q' });
    expect(rec.key).toBe('n1__q');
    const attrNames = odd.filter((n) => n !== 'a"b');
    expect(Object.keys(rec.attrs).sort()).toEqual([...attrNames].sort());
    for (const n of attrNames) {
      expect(Object.hasOwn(rec.attrs, n)).toBe(true);
      expect(rec.attrs[n]).toBe(odd.indexOf(n));
    }
    expect(Object.getPrototypeOf(rec.attrs)).toBe(Object.prototype);
  });

  it('keeps a field named __proto__ as a field, in attrs and in ids, with the prototype untouched', () => {
    // Assigned as `o.__proto__ = v`, the field would vanish (a string) or replace the prototype.
    const cfg = config([
      entry('P', 'p', ['__proto__'], [field('__proto__', { mapping: 'v' }), field('constructor', { mapping: 'c' }), field('ok', { mapping: 'ok' })]),
    ]);
    const r = normaliseModel(cfg, 'P', 'source', [[{ id: 1, v: 'text', c: { deep: true }, ok: 1 }]], noRefs);
    const rec = r.records[0]!;
    expect(rec.key).toBe('text');
    expect(Object.hasOwn(rec.ids, '__proto__')).toBe(true);
    expect(rec.ids['__proto__']).toBe('text');
    expect(Object.keys(rec.attrs)).toEqual(['constructor', 'ok']);
    expect(rec.attrs.constructor).toEqual({ deep: true });
    expect(Object.getPrototypeOf(rec.ids)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(rec.attrs)).toBe(Object.prototype);

    const withObject = normaliseModel(cfg, 'P', 'source', [[{ id: 1, v: 'k', c: 1, ok: { polluted: true } }]], noRefs);
    const asAttr = config([entry('Q', 'q', ['name'], [field('name', { mapping: 'name' }), field('__proto__', { mapping: 'o' })])]);
    const q = normaliseModel(asAttr, 'Q', 'source', [[{ id: 1, name: 'n', o: { polluted: true } }]], noRefs).records[0]!;
    expect(Object.keys(q.attrs)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(q.attrs)).toBe(Object.prototype);
    expect((q.attrs as Record<string, unknown>).polluted).toBeUndefined();
    expect(withObject.records[0]!.attrs.ok).toEqual({ polluted: true });
  });

  it('gives every record its own attrs and ids objects', () => {
    const cfg = config([entry('S', 's', ['name'], [field('name', { mapping: 'name' }), field('v', { mapping: 'v' })])]);
    const r = normaliseModel(cfg, 'S', 'source', [[{ id: 1, name: 'a', v: 1 }, { id: 2, name: 'b', v: 2 }]], noRefs);
    const [a, b] = r.records;
    expect(a!.attrs).not.toBe(b!.attrs);
    expect(a!.ids).not.toBe(b!.ids);
    expect([a!.attrs, b!.attrs, a!.ids, b!.ids]).toEqual([{ v: 1 }, { v: 2 }, { name: 'a' }, { name: 'b' }]);
  });
});
