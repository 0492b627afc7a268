// The slurpitsync adapter against the Slurp'it stand-in: the key, offset/limit paging, plannings
// by slug with unique results, and the derived resources.
import { afterEach, describe, expect, it } from 'vitest';
import { SlurpitAdapter } from '../../../shared/adapters/slurpit/index.js';
import type { LoadRequest } from '../../../shared/adapters/types.js';
import { generateDataset } from '../../standins/dataset/index.js';
import type { SourceStandin } from '../../standins/rest-common/standin-types.js';
import { startSlurpitStandin } from '../../standins/slurpit/server.js';
import { allLogText, testContext } from './helpers/context.js';

const KEY = 'slurpit-key-0123456789';
let sp: SourceStandin | undefined;
afterEach(async () => {
  await sp?.stop();
  sp = undefined;
});
const req = (path: string): LoadRequest => ({ side: 'source', model: 'M', path, fields: [] });

describe('slurpitsync adapter', () => {
  it('pages lists and planning results, derives vendors, device types, prefixes and addresses', async () => {
    sp = await startSlurpitStandin({ dataset: generateDataset({ size: 'small', seed: 4 }), token: KEY });
    const ctx = testContext();
    const a = new SlurpitAdapter({ name: 'slurpitsync', settings: { url: sp.url, api_key: KEY, page_size: 5, concurrency: 2 } }, ctx);
    const devices = await a.load(req('device.get_devices'));
    expect(devices.map((d) => d.hostname)).toEqual((sp.dataset.tables.devices ?? []).map((d) => d.hostname));
    const vendors = await a.load(req('unique_vendors'));
    expect(vendors.map((v) => v.brand).sort()).toEqual([...new Set(devices.map((d) => d.brand))].sort());
    const hw = await a.load(req('planning_results.hardware-info'));
    expect(hw.length).toBe((sp.dataset.tables['planning-results.hardware-info'] ?? []).length);
    expect(hw.every((r) => typeof r.id === 'string' && typeof r.hostname === 'string')).toBe(true);
    const nets = await a.load(req('filter_networks'));
    expect(nets.some((n) => n.normalized_prefix === '0.0.0.0/0' || String(n.normalized_prefix).endsWith('/32'))).toBe(false);
    const addrs = await a.load(req('filter_interfaces'));
    expect(addrs.length).toBeGreaterThan(0);
    expect(addrs.every((r) => String(r.normalized_address).endsWith('/32') && typeof r.prefix === 'string')).toBe(true);
    await expect(a.load(req('planning_results.nope'))).rejects.toThrow(/no planning found for name: nope/);
    await expect(a.load(req('frobnicate'))).rejects.toThrow(/mapping "frobnicate" is not one this adapter reads/);
    await a.close();
    const wrong = new SlurpitAdapter({ name: 'slurpitsync', settings: { url: sp.url, api_key: 'wrong-key-abcdef123' } }, ctx);
    await expect(wrong.open()).rejects.toThrow(/slurpitsync: authentication failed/);
    expect(allLogText(ctx.logger)).not.toMatch(/wrong-key|slurpit-key/);
    await wrong.close();
  });
});
