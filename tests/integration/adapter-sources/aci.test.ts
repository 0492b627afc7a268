// The aci adapter against the APIC stand-in: the aaaLogin session (refresh before the token
// times out, a new login when APIC drops it), every page of a class, and clear refusals.
import { afterEach, describe, expect, it } from 'vitest';
import { AciAdapter } from '../../../shared/adapters/aci/index.js';
import type { LoadRequest } from '../../../shared/adapters/types.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startAciStandin, type AciStandin } from '../../standins/aci/server.js';
import { allLogText, testContext } from './helpers/context.js';

const PASSWORD = 'aci-secret-0123456789';
let apic: AciStandin | undefined;
afterEach(async () => {
  await apic?.stop();
  apic = undefined;
});

const req = (path: string, expressions?: string[]): LoadRequest => ({ side: 'source', model: 'M', path, fields: [], ...(expressions ? { expressions } : {}) });

function adapter(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const ctx = testContext(env);
  return { a: new AciAdapter({ name: 'aci', settings: { username: 'admin', password: PASSWORD, ...settings } }, ctx), ctx };
}

describe('aci adapter', () => {
  it('reads every page of a class the APIC would refuse unpaged, with the DN as id', async () => {
    apic = await startAciStandin({ dataset: generateDataset({ size: 'small', seed: 3 }), token: PASSWORD, maxResultSize: 10 });
    const { a } = adapter({ url: apic.url, page_size: 7 });
    const ports = await a.load(req('class/l1PhysIf.json'));
    const served = apic.dataset.tables.l1PhysIf ?? [];
    expect(served.length).toBeGreaterThan(20);
    expect(ports.map((p) => p.id)).toEqual(served.map((r) => (r.l1PhysIf as { attributes: { dn: string } }).attributes.dn));
    expect(apic.counters.byPath['/api/class/l1PhysIf.json']).toBe(Math.ceil(served.length / 7));
    // An unpaged query of that size is what APIC refuses.
    const login = await fetch(`${apic.url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: 'admin', pwd: PASSWORD } } }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const unpaged = await fetch(`${apic.url}/api/class/l1PhysIf.json`, { headers: { cookie } });
    expect(unpaged.status).toBe(400);
    expect(JSON.stringify(await unpaged.json())).toMatch(/result dataset is too big/);
    await a.close();
  });

  it('refreshes the token before it times out and logs in again when APIC drops the session', async () => {
    let clock = 1_000_000;
    apic = await startAciStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: PASSWORD, refreshTimeoutSeconds: 60, now: () => clock });
    const { a } = adapter({ url: apic.url });
    const realNow = Date.now;
    let offset = 0;
    Date.now = () => realNow() + offset;
    try {
      await a.load(req('class/fvTenant.json'));
      expect(apic.sessions).toMatchObject({ logins: 1, refreshes: 0 });
      // Past half of refreshTimeoutSeconds: the adapter refreshes first; the token is still live.
      offset = 31_000;
      clock += 31_000;
      await a.load(req('class/fvTenant.json'));
      expect(apic.sessions).toMatchObject({ logins: 1, refreshes: 1, expired: 0 });
      // A failover drops every session: a 403, then one new login, and the read succeeds.
      apic.dropSessions();
      const tenants = await a.load(req('class/fvTenant.json'));
      expect(tenants.length).toBeGreaterThan(3);
      expect(apic.sessions).toMatchObject({ logins: 2, expired: 1 });
    } finally {
      Date.now = realNow;
      await a.close();
    }
  });

  it('names node ids for aci_device_name only when a transform uses it', async () => {
    apic = await startAciStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: PASSWORD });
    const { a } = adapter({ url: apic.url });
    expect(await a.templateData('M', [req('class/l1PhysIf.json', ["{{ x }}"])])).toBeUndefined();
    const data = (await a.templateData('M', [req('class/l1PhysIf.json', ["{{ x | aci_device_name }}"])])) as { nodeNames: Record<string, string> };
    expect(data.nodeNames).toMatchObject({ '1': 'apic1', '201': 'spine-201', '101': 'leaf-101' });
    await a.close();
  });

  it('a wrong password is a login refusal naming neither password; CISCO_APIC_* win over settings', async () => {
    apic = await startAciStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), token: PASSWORD });
    const { a, ctx } = adapter({ url: 'http://127.0.0.1:9', password: 'settings-password-xyz' }, { CISCO_APIC_URL: apic.url, CISCO_APIC_PASSWORD: 'wrong-password-123456' });
    const err = await a.open().then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/aci: login refused at 127\.0\.0\.1:\d+ \(HTTP 401\)/);
    expect(`${err?.message} ${allLogText(ctx.logger)}`).not.toMatch(/wrong-password|settings-password|aci-secret/);
    await a.close();
    const ok = adapter({ url: 'http://127.0.0.1:9', verify: 'no' }, { CISCO_APIC_URL: apic.url, CISCO_APIC_VERIFY: 'false' }).a;
    await ok.open();
    await ok.close();
  });
});
