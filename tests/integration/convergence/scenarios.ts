// The convergence suite's configs and checks. Configs: infrahub-sync's own examples whose source
// adapters this tool has (tests/fixtures/config/examples, copied from opsmill/infrahub-sync with
// their licence, see LICENSE-NOTE.md there), and the project's configs/*. Each runs from the
// NetBox or Nautobot stand-in (a generated network) into the Infrahub stand-in loaded with
// configs/schemas, through the CLI, as a user runs it.
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseConfig } from '../../../shared/config/index.js';
import type { InfrahubStandin } from '../../standins/infrahub/index.js';
import { EXAMPLES, ROOT, changeLines, failureLines, placeConfig, run, startSides, type RunResult, type Sides } from '../e2e/helpers.js';
import { readFile } from 'node:fs/promises';

export interface Scenario {
  name: string;
  system: 'nautobot' | 'netbox';
  file: string;
  /** Text edits to the config (each must match exactly once). */
  edits?: [string, string][];
  /** The example keys prefixes and addresses by VRF but maps no namespace: the same prefix in two
   *  VRFs is two nodes in Infrahub's default namespace, which its IPAM cannot tell apart. Allowed
   *  only where the sync said so when it planned (`expectNoSharedIdentity`). */
  ipamSharedByDesign?: boolean;
}

/** The nautobot-v2 example's `order` comments out devices, interfaces and IP addresses. */
export const UNCOMMENT: [string, string][] = [
  ['  # "InfraDevice",', '  "InfraDevice",'],
  ['  # "InfraInterfaceL2L3",', '  "InfraInterfaceL2L3",'],
  ['  # "InfraIPAddress",', '  "InfraIPAddress",'],
];

/** Un-commented, its addresses are keyed by the computed ip_prefix and refused; this is the fix
 *  the refusal names: address and namespace. */
export const ADDRESS_BY_NAMESPACE: [string, string][] = [
  ['    identifiers: ["address", "ip_prefix"]', '    identifiers: ["address", "ip_namespace"]'],
  [
    '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n',
    '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n' +
      '      - name: ip_namespace\n        mapping: parent.namespace\n        reference: NautobotNamespace\n',
  ],
];

export const SCENARIOS: Scenario[] = [
  { name: 'example netbox_to_infrahub', system: 'netbox', file: join(EXAMPLES, 'netbox_to_infrahub/config.yml'), ipamSharedByDesign: true },
  { name: 'example nautobot-v2_to_infrahub', system: 'nautobot', file: join(EXAMPLES, 'nautobot-v2_to_infrahub/config.yml') },
  {
    name: 'example nautobot-v2_to_infrahub, every model un-commented',
    system: 'nautobot',
    file: join(EXAMPLES, 'nautobot-v2_to_infrahub/config.yml'),
    edits: [...UNCOMMENT, ...ADDRESS_BY_NAMESPACE],
  },
  { name: 'configs/netbox-to-infrahub', system: 'netbox', file: join(ROOT, 'configs/netbox-to-infrahub/config.yml') },
  { name: 'configs/nautobot-to-infrahub', system: 'nautobot', file: join(ROOT, 'configs/nautobot-to-infrahub/config.yml') },
];

/** The models a config syncs (its `order`, else every mapped model). */
export async function syncedModels(file: string, edits: [string, string][] = []): Promise<string[]> {
  let text = await readFile(file, 'utf8');
  for (const [a, b] of edits) text = text.replace(a, b);
  const { config } = parseConfig(text, file);
  const mapped = new Set(config.schema_mapping.map((e) => e.name));
  return config.order.length > 0 ? [...new Set(config.order.filter((m) => mapped.has(m)))] : [...mapped];
}

export async function prepare(s: Scenario, seed: number, infrahub: Parameters<typeof startSides>[3] = {}): Promise<{ sides: Sides; config: string }> {
  const sides = await startSides(s.system, 'tiny', seed, infrahub);
  return { sides, config: await placeConfig(sides, s.file, s.edits) };
}

/** No two nodes of the synced kinds share an hfid, a uniqueness constraint's values, or an IPAM
 *  identity; with `warnings` (a scenario whose config maps no namespace), IPAM identities may be
 *  shared where the sync's plan warned that they would be. */
export function expectNoSharedIdentity(infrahub: InfrahubStandin, models: string[], warnings?: unknown[]): void {
  const shared = models.flatMap((m) => infrahub.duplicates(m));
  const said = (kind: string) => (warnings ?? []).some((w) => typeof w === 'string' && w.startsWith(`${kind}: `) && w.includes('which the destination\'s IPAM cannot tell apart'));
  const unexpected = shared.filter((d) => !(warnings && d.identity === 'ipam' && said(d.kind)));
  expect(unexpected, 'destination nodes sharing an identity').toEqual([]);
}

/** After a sync: nothing left to do, and the destination holds exactly the mapped source records
 *  (no change in the diff, and no destination record the source lacks: `skip` counts those). */
export async function expectConverged(sides: Sides, config: string, sync: RunResult): Promise<RunResult> {
  expect(failureLines(sync.report)).toEqual([]);
  expect(sync.report?.skippedChanges ?? []).toEqual([]);
  expect(sync.report?.verify).toMatchObject({ converged: true, notConverged: [] });
  const diff = await run(sides, 'diff', config);
  expect(diff.code).toBe(0);
  expect(changeLines(diff.diff)).toEqual([]);
  expect(diff.diff.summary).toMatchObject({ create: 0, update: 0, delete: 0, skip: 0 });
  return diff;
}

/**
 * The destination's nodes of the synced kinds, with node ids replaced by names that do not depend
 * on the order writes happened in (a peer named by its kind and hfid, else its display label and
 * its one-relationship peers' names), as sorted JSON lines per kind: two destinations that hold the
 * same thing give the same dump.
 */
export function stateDump(infrahub: InfrahubStandin, models: string[]): Record<string, string[]> {
  const all = infrahub.nodes('CoreNode');
  const byId = new Map(all.map((n) => [String(n.id), n]));
  const base = (n: Record<string, unknown>): string => {
    const hfid = Array.isArray(n.hfid) && n.hfid.length > 0 ? n.hfid.join('/') : undefined;
    return `${String(n.kind)}:${hfid ?? String(n.display_label)}`;
  };
  const name = (id: unknown): string => {
    const n = byId.get(String(id));
    if (!n) return `?${String(id)}`;
    if (Array.isArray(n.hfid) && n.hfid.length > 0) return base(n);
    // No hfid (an interface, an address): its display label and what it hangs off.
    const ones = Object.entries(n)
      .filter(([k, v]) => typeof v === 'string' && byId.has(v) && k !== 'id')
      .map(([k, v]) => `${k}=${base(byId.get(v as string) as Record<string, unknown>)}`)
      .sort();
    return `${base(n)}[${ones.join(',')}]`;
  };
  const out: Record<string, string[]> = {};
  for (const model of models) {
    out[model] = infrahub
      .nodes(model)
      .map((n) => {
        const rec: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(n)) {
          if (k === 'id') continue;
          if (typeof v === 'string' && byId.has(v)) rec[k] = name(v);
          else if (Array.isArray(v) && v.every((x) => typeof x === 'string' && byId.has(x))) rec[k] = v.map(name).sort();
          else rec[k] = v;
        }
        return JSON.stringify(rec, Object.keys(rec).sort());
      })
      .sort();
  }
  return out;
}
