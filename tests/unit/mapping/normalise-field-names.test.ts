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

  it('treats a field named __proto__ as an assignment would: no own key, prototype untouched by a string', () => {
    const cfg = config([entry('P', 'p', ['name'], [field('name', { mapping: 'name' }), field('__proto__', { mapping: 'v' }), field('ok', { mapping: 'ok' })])]);
    const r = normaliseModel(cfg, 'P', 'source', [[{ id: 1, name: 'n', v: 'text', ok: 1 }]], noRefs);
    const attrs = r.records[0]!.attrs;
    expect(Object.keys(attrs)).toEqual(['ok']);
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
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
