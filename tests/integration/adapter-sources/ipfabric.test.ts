// The ipfabricsync adapter against the IP Fabric stand-in: API version and paths, the token,
// snapshot selection, paging, upstream's table filters.
import { afterEach, describe, expect, it } from 'vitest';
import { IpfabricAdapter } from '../../../shared/adapters/ipfabric/index.js';
import type { LoadRequest } from '../../../shared/adapters/types.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { SNAPSHOTS, startIpfabricStandin } from '../../standins/ipfabric/server.js';
import type { SourceStandin } from '../../standins/rest-common/standin-types.js';
import { allLogText, testContext } from './helpers/context.js';

const TOKEN = 'ipf-token-0123456789abcdef';
let ipf: SourceStandin | undefined;
afterEach(async () => {
  await ipf?.stop();
  ipf = undefined;
});

const req = (path: string, fields: string[] = ['hostname']): LoadRequest => ({ side: 'source', model: 'M', path, fields: fields.map((f) => ({ name: f, path: f })) });
const make = (settings: Record<string, unknown>, env: Record<string, string> = {}) => {
  const ctx = testContext(env);
  return { a: new IpfabricAdapter({ name: 'ipfabricsync', settings }, ctx), ctx };
};

describe('ipfabricsync adapter', () => {
  it('reads every page of a table from the latest loaded snapshot, or the one snapshot_id names', async () => {
    ipf = await startIpfabricStandin({ dataset: generateDataset({ size: 'small', seed: 2 }), token: TOKEN });
    const devices = ipf.dataset.tables['inventory.devices'] ?? [];
    const last = make({ base_url: ipf.url, auth: TOKEN, page_size: 4 }).a;
    expect((await last.snapshot()).id).toBe(SNAPSHOTS.last);
    const rows = await last.load(req('tables/inventory/devices'));
    expect(rows.map((r) => r.hostname)).toEqual(devices.map((d) => d.hostname));
    expect(ipf.counters.byPath['/api/v7.2/tables/inventory/devices']).toBe(Math.ceil(devices.length / 4));
    await last.close();
    // $prev (and the same snapshot by name) is the day before, without the newest device.
    for (const snapshot_id of ['$prev', 'Baseline', '$lastLocked']) {
      const prev = make({ base_url: ipf.url, auth: TOKEN, snapshot_id }).a;
      expect((await prev.snapshot()).id).toBe(SNAPSHOTS.prev);
      expect((await prev.load(req('tables/inventory/devices'))).map((r) => r.hostname)).toEqual(devices.slice(0, -1).map((d) => d.hostname));
      await prev.close();
    }
    const archived = make({ base_url: ipf.url, auth: TOKEN, snapshot_id: 'Archive' }).a;
    await expect(archived.open()).rejects.toThrow(/snapshot Archive is not loaded \(status unloaded\)/);
    await archived.close();
  });

  it('speaks /api/ from IP Fabric 7.5 on, applies upstream\'s table filters, and reads IPF_URL / IPF_TOKEN when the settings leave them out', async () => {
    ipf = await startIpfabricStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: TOKEN, apiVersion: 'v7.5' });
    ipf.dataset.tables['inventory.summary.platforms']?.push({ id: 'x', vendor: 'cisco', family: '', platform: '', modelsCount: 0, devicesCount: 0 });
    const { a } = make({}, { IPF_URL: ipf.url, IPF_TOKEN: TOKEN });
    const platforms = await a.load(req('tables/inventory/summary/platforms', ['platform']));
    expect(platforms.length).toBeGreaterThan(0);
    expect(platforms.every((p) => p.platform !== '')).toBe(true);
    expect(Object.keys(ipf.counters.byPath).filter((p) => p.startsWith('/api/tables/'))).toContain('/api/tables/inventory/summary/platforms');
    await a.close();
  });

  it('a wrong token fails at open without the token in the message or the log', async () => {
    ipf = await startIpfabricStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: TOKEN });
    const { a, ctx } = make({ base_url: ipf.url, auth: 'wrong-token-abcdef123456' });
    await expect(a.open()).rejects.toThrow(/ipfabricsync: authentication failed at 127\.0\.0\.1:\d+ \(HTTP 401[:)]/);
    expect(allLogText(ctx.logger)).not.toMatch(/wrong-token/);
    await a.close();
    expect(() => make({ base_url: ipf?.url })).toThrow(/both base_url and auth must be set/);
  });
});
