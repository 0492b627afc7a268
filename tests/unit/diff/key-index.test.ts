import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../../shared/diff/key-index.js';

const recs = (keys: string[]) => keys.map((key) => ({ key }));

describe('KeyIndex', () => {
  it('finds every key at its position after growing from the smallest table', () => {
    const records = recs(Array.from({ length: 5_000 }, (_, i) => `dev-${i % 7}-${i}`));
    const index = new KeyIndex(records);
    records.forEach((r, i) => expect(index.add(r.key, i)).toBe(-1));
    expect(index.size).toBe(5_000);
    records.forEach((r, i) => expect(index.get(r.key)).toBe(i));
    expect(index.get('dev-0-5000')).toBe(-1);
    expect(index.get('')).toBe(-1);
  });

  it('keeps the first position of a key added twice and reports it', () => {
    const records = recs(['a', 'b', 'a', 'c', 'a']);
    const seen: [number, number][] = [];
    const index = KeyIndex.of(records, (first, again) => seen.push([first, again]));
    expect(seen).toEqual([
      [0, 2],
      [0, 4],
    ]);
    expect(index.size).toBe(3);
    expect(index.get('a')).toBe(0);
    expect(index.get('c')).toBe(3);
  });

  it('tells apart keys that differ only by case, unicode or an empty string', () => {
    const records = recs(['', 'A', 'a', 'é', 'e\u0301', 'a__b', 'a_b_']);
    const index = KeyIndex.of(records, () => {
      throw new Error('no duplicates here');
    });
    records.forEach((r, i) => expect(index.get(r.key)).toBe(i));
  });

  it('indexes records pushed after it was made (positions point into the live array)', () => {
    const records: { key: string }[] = [];
    const index = new KeyIndex(records, 1);
    for (const key of ['x', 'y', 'z', 'w']) {
      expect(index.add(key, records.length)).toBe(-1);
      records.push({ key });
    }
    expect(index.add('y', records.length)).toBe(1);
    expect(index.get('w')).toBe(3);
  });
});
