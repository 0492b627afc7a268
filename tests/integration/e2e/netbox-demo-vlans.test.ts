// The NetBox demo data's 63 VLANs (names and ids repeat per site: 7 name/vid pairs over 19 sites)
// synced with configs/netbox-to-infrahub into configs/schemas: 63 VLANs in Infrahub, each at its
// site, and nothing to do on the next run. With the upstream schema's `InfraVLAN` unique by name,
// they landed on 4 nodes, each run moving them to another site.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, changeLines, failureLines, run, startSides, type Sides } from './helpers.js';

interface DemoVlan {
  id: number;
  vid: number;
  name: string;
  status: string;
  site_id: number;
}
const DEMO = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/netbox-demo/vlans.json'), 'utf8')) as { vlans: DemoVlan[] };

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe('configs/netbox-to-infrahub with the NetBox demo data\'s VLANs', () => {
  it('keeps 63 VLANs whose names repeat per site as 63 nodes, each at its site; the next run has nothing to do', async () => {
    sides = await startSides('netbox', 'tiny', 7);
    const t = sides.source.dataset.tables;
    const template = t['dcim.sites']?.[0];
    if (!template) throw new Error('no site in the dataset');
    // One site per demo site, after the dataset's own.
    const demoSites = [...new Set(DEMO.vlans.map((v) => v.site_id))];
    const siteId = new Map(demoSites.map((s, i) => [s, 9000 + i]));
    for (const [demo, id] of siteId) {
      t['dcim.sites']?.push({ ...template, id, name: `Demo Site ${demo}`, slug: `demo-site-${demo}`, tenant: null, region: null, group: null, tags: [] });
    }
    const own = t['ipam.vlans'] ?? [];
    const vlanTemplate = own[0] ?? {};
    t['ipam.vlans'] = [
      ...own,
      ...DEMO.vlans.map((v) => ({
        ...vlanTemplate,
        id: 9000 + v.id,
        vid: v.vid,
        name: v.name,
        site: siteId.get(v.site_id) ?? null,
        group: null,
        tenant: null,
        role: null,
        description: '',
        tags: [],
      })),
    ];
    sides.source.invalidate();
    const config = join(ROOT, 'configs/netbox-to-infrahub/config.yml');

    const sync = await run(sides, 'sync', config);
    expect(failureLines(sync.report)).toEqual([]);
    expect(sync.code).toBe(0);
    const vlans = sides.infrahub.nodes('InfraVLAN');
    expect(vlans).toHaveLength(own.length + 63);
    const sites = new Map(sides.infrahub.nodes('LocationGeneric').map((l) => [l.id, l.name]));
    const demo = vlans.filter((v) => String(sites.get(v.location)).startsWith('demo-site-'));
    expect(demo).toHaveLength(63);
    expect(new Set(demo.map((v) => `${String(v.name)}|${String(v.vlan_id)}|${String(sites.get(v.location))}`)).size).toBe(63);
    expect(new Set(demo.map((v) => v.name))).toEqual(new Set(['Data', 'Voice', 'Wireless', 'Admin']));

    const again = await run(sides, 'diff', config);
    expect(changeLines(again.diff)).toEqual([]);
  });
});
