// resolveOrder on infrahub-sync's own example configs (copies in tests/fixtures/config/examples).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SyncConfig } from '../../../shared/config/types.js';
import { modelReferences, resolveOrder } from '../../../shared/diff/order.js';
import { config } from './factories.js';

const EXAMPLES = join(import.meta.dirname, '../../fixtures/config/examples');

interface RawField {
  name: string;
  mapping?: string;
  reference?: string;
}
interface RawEntry {
  name: string;
  mapping: string;
  identifiers?: string[];
  fields?: RawField[];
}

/** Just the parts of a config the order needs; the real loader lives in shared/config. */
function load(dir: string): SyncConfig {
  const raw = parse(readFileSync(join(EXAMPLES, dir, 'config.yml'), 'utf8')) as {
    name: string;
    order?: string[];
    schema_mapping: RawEntry[];
  };
  return config({
    name: raw.name,
    order: raw.order ?? [],
    schema_mapping: raw.schema_mapping.map((e) => ({
      name: e.name,
      mapping: e.mapping,
      identifiers: e.identifiers ?? [],
      filters: [],
      transforms: [],
      fields: (e.fields ?? []).map((f) => ({ name: f.name, mapping: f.mapping, reference: f.reference, hasStatic: false })),
    })),
  });
}

const dirs = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'config.yml')));

describe('resolveOrder on infrahub-sync examples', () => {
  it.each(dirs)('%s: derived tiers put every referenced model in an earlier tier', (dir) => {
    const c = load(dir);
    const tiers = resolveOrder({ ...c, order: [] });
    const tierOf = new Map(tiers.flatMap((t, i) => t.map((m) => [m, i] as const)));
    expect(tierOf.size).toBe(new Set(c.schema_mapping.map((e) => e.name)).size);
    for (const [model, targets] of modelReferences(c)) {
      for (const target of targets) expect(tierOf.get(target)).toBeLessThan(tierOf.get(model) as number);
    }
  });

  it('nautobot-v2: follows order and warns about the mapped models it leaves out', () => {
    const warnings: string[] = [];
    const tiers = resolveOrder(load('nautobot-v2_to_infrahub'), (w) => warnings.push(w));
    expect(tiers[0]).toEqual(['BuiltinTag', 'RoleGeneric', 'StatusGeneric', 'CoreStandardGroup']);
    expect(tiers.flat()).not.toContain('InfraDevice');
    expect(warnings).toEqual([
      'mapped model(s) not in order are not synced (as in infrahub-sync): InfraDevice, InfraAutonomousSystem, InfraIPAddress, InfraInterfaceL2L3',
    ]);
  });
});
