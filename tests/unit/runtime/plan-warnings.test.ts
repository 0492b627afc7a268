// Harmless mapping warnings said once; a long run of one kind cut short; the details kept as notes.
import { describe, expect, it } from 'vitest';
import type { MappingWarning } from '../../../shared/mapping/index.js';
import { sharedIdsWarning, summariseMappingWarnings } from '../../../shared/runtime/steps/plan-warnings.js';

const collision = (id: string): MappingWarning => ({
  code: 'local-id-collision',
  model: 'OrganizationGeneric',
  localId: id,
  key: `tenant-${id}`,
  message: `OrganizationGeneric: id ${id} belongs to two records (maker-${id} and tenant-${id}) from two source endpoints; ...`,
});
const missing = (key: string, field = 'platform'): MappingWarning => ({
  code: 'reference-missing',
  model: 'InfraDevice',
  key,
  field,
  missing: ['9'],
  message: `InfraDevice ${key}: ${field} points at InfraPlatform id(s) 9 which were not loaded`,
});

describe('summariseMappingWarnings', () => {
  it('turns ids shared across endpoints into a count (and notes), never a warning each', () => {
    const out = summariseMappingWarnings('source', 'OrganizationGeneric', ['1', '2', '3'].map(collision));
    expect(out.warnings).toEqual([]);
    expect(out.sharedIds).toBe(3);
    expect(out.notes).toHaveLength(3);
    expect(out.notes[0]).toMatch(/^source: OrganizationGeneric: id 1 belongs to two records/);
    const line = sharedIdsWarning(new Map([['OrganizationGeneric', 3], ['LocationGeneric', 2]]));
    expect(line).toMatch(/^source: 5 source id\(s\) belong to two records of different endpoints \(OrganizationGeneric 3, LocationGeneric 2\); harmless/);
    expect(sharedIdsWarning(new Map())).toBeUndefined();
  });

  it('keeps a few warnings of one kind, counts the rest, and keeps every one as a note', () => {
    const out = summariseMappingWarnings('source', 'InfraDevice', [
      ...Array.from({ length: 10 }, (_, i) => missing(`dev${i}`)),
      missing('dev0', 'location'),
    ]);
    expect(out.warnings).toEqual([
      'source: InfraDevice dev0: platform points at InfraPlatform id(s) 9 which were not loaded',
      'source: InfraDevice dev1: platform points at InfraPlatform id(s) 9 which were not loaded',
      'source: InfraDevice dev2: platform points at InfraPlatform id(s) 9 which were not loaded',
      'source: ... and 7 more reference-missing on InfraDevice.platform warning(s) like these; --verbose lists them',
      'source: InfraDevice dev0: location points at InfraPlatform id(s) 9 which were not loaded',
    ]);
    expect(out.notes).toHaveLength(7);
    expect(out.notes[0]).toMatch(/dev3: platform/);
  });

  it('says four of one kind in full (a count line would be no shorter)', () => {
    const out = summariseMappingWarnings('destination', 'InfraDevice', ['a', 'b', 'c', 'd'].map((k) => missing(k)));
    expect(out.warnings).toHaveLength(4);
    expect(out.notes).toEqual([]);
  });
});
