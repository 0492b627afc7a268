import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../../shared/config/suggest.js';

describe('suggestions', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('Ogranization', 'Organization')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only plausible typos, ignoring case', () => {
    expect(closestMatch('dyffsync_flags', ['name', 'order', 'diffsync_flags'])).toBe('diffsync_flags');
    expect(closestMatch('skip_unmatched_dst', ['SKIP_UNMATCHED_DST', 'SKIP_UNMATCHED_SRC'])).toBe('SKIP_UNMATCHED_DST');
    expect(closestMatch('equals', ['==', '!=', 'in', 'contains'])).toBeUndefined();
    expect(didYouMean('feilds', ['fields', 'filters'])).toBe(' (did you mean `fields`?)');
    expect(didYouMean('zzz', ['fields'])).toBe('');
    expect(closestMatch('mapp', ['name', 'mapping', 'static'], { prefixes: true })).toBe('mapping');
    expect(closestMatch('mapp', ['name', 'mapping', 'static'])).toBeUndefined();
    expect(closestMatch('identifier', ['identifiers', 'fields'], { prefixes: true })).toBe('identifiers');
    expect(closestMatch('ma', ['mapping'], { prefixes: true })).toBeUndefined();
    expect(closestMatch('InfraPlatform', ['InfraPlatformType'])).toBe('InfraPlatformType');
    expect(closestMatch('InfraPlatform', ['InfraPlatformType'], { maxDistance: 2 })).toBeUndefined();
  });
});
