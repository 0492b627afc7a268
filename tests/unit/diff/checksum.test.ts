import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../../shared/diff/checksum.js';

type J = string | number | boolean | null | undefined | J[] | { [k: string]: J };

// The definition, written the slow obvious way: keys sorted, undefined fields left out,
// undefined in an array as null, no whitespace.
function canonical(v: J): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('canonicalSha256', () => {
  const cases: [string, J][] = [
    ['scalars', ['a', 1, 2.5, -0, true, false, null, '']],
    ['empty containers', { a: {}, b: [], c: [{}], d: { e: [] } }],
    ['undefined fields and elements', { a: undefined, b: [undefined, 1], c: { d: undefined } }],
    ['only undefined fields', { a: undefined }],
    ['key order and odd keys', { b: 1, a: { z: 1, y: [3, { q: 1, p: 2 }] }, '': 0, 'é': 1, '"': 2, '\n': 3, '10': 4, '9': 5 }],
    ['strings needing escapes', ['"quoted"', 'back\\slash', 'line\nbreak', '\u0001', '\u2028', '\ud83d\ude00', '\ud800 lone', 'é']],
  ];
  for (const [name, value] of cases) {
    it(`hashes the canonical JSON text: ${name}`, () => {
      expect(canonicalSha256(value)).toBe(sha(canonical(value)));
    });
  }

  it('hashes a plan-sized value fed in chunks the same as its whole text', () => {
    const changes = Array.from({ length: 20_000 }, (_, i) => ({
      id: `M/update/k${i}`,
      action: 'update',
      key: `k${i}`,
      attrs: { description: `changed ${i}`, tags: [`t${i % 7}`, 't'] },
      previous: { description: `was ${i}`, tags: undefined },
    }));
    const value = [{ index: 0, action: 'upsert', models: ['M'], changes }];
    expect(canonicalSha256(value)).toBe(sha(canonical(value)));
  });

  it('does not depend on insertion order', () => {
    expect(canonicalSha256({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalSha256({ b: { d: 3, c: 2 }, a: 1 }));
  });
});
