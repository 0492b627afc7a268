import { describe, expect, it } from 'vitest';
import { compilePath, getPath, setPathCopy } from '../../../shared/mapping/index.js';

const rec = {
  id: 1,
  name: 'sw1',
  zero: 0,
  no: false,
  empty: '',
  nothing: null,
  site: { id: 7, name: 'AMS', region: { slug: 'eu', parent: null, code: 0 } },
  tags: [{ name: 'a' }, { name: 'b' }],
  blank: {},
  str: 'text',
};

describe('getPath', () => {
  it('reads top-level and nested keys', () => {
    expect(getPath(rec, 'name')).toBe('sw1');
    expect(getPath(rec, 'site.name')).toBe('AMS');
    expect(getPath(rec, 'site.region.slug')).toBe('eu');
  });

  it('keeps "", 0 and false at the leaf', () => {
    expect(getPath(rec, 'zero')).toBe(0);
    expect(getPath(rec, 'no')).toBe(false);
    expect(getPath(rec, 'empty')).toBe('');
    expect(getPath(rec, 'site.region.code')).toBe(0);
  });

  it('gives null for a missing key or a null, missing or non-object hop', () => {
    expect(getPath(rec, 'missing')).toBeNull();
    expect(getPath(rec, 'nothing')).toBeNull();
    expect(getPath(rec, 'nothing.name')).toBeNull();
    expect(getPath(rec, 'missing.name')).toBeNull();
    expect(getPath(rec, 'site.region.parent.name')).toBeNull();
    expect(getPath(rec, 'zero.x')).toBeNull();
    expect(getPath(rec, 'str.length')).toBeNull();
    expect(getPath(rec, 'blank.x')).toBeNull();
    expect(getPath(rec, 'site.missing.deeper.still')).toBeNull();
  });

  it('does not index arrays with numeric segments, like upstream get_value', () => {
    expect(getPath(rec, 'tags.0.name')).toBeNull();
    expect(getPath(rec, 'tags')).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('does not read inherited properties', () => {
    expect(getPath(rec, 'constructor')).toBeNull();
    expect(getPath(rec, 'site.toString')).toBeNull();
  });

  it('compiles 1-, 2-, 3- and 4-level paths to the same answers', () => {
    const deep = { a: { b: { c: { d: 4 } } } };
    expect(compilePath('a.b.c.d')(deep)).toBe(4);
    expect(compilePath('a.b.x.d')(deep)).toBeNull();
    expect(compilePath('a.b.c')(deep)).toEqual({ d: 4 });
    expect(compilePath('a')(null)).toBeNull();
  });
});

describe('setPathCopy', () => {
  it('writes nested values without touching the original objects', () => {
    const original = { id: 1, site: { name: 'AMS' } };
    const copy: Record<string, unknown> = { ...original };
    setPathCopy(copy, ['site', 'slug'], 'ams');
    setPathCopy(copy, ['new', 'deep', 'x'], 1);
    expect(copy).toEqual({ id: 1, site: { name: 'AMS', slug: 'ams' }, new: { deep: { x: 1 } } });
    expect(original).toEqual({ id: 1, site: { name: 'AMS' } });
  });
});
