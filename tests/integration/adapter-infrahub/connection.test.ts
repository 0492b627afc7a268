import { afterEach, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { AdapterError, ConfigError } from '../../../shared/errors.js';
import { MemoryLogger } from '../../../shared/log.js';
import { Ctx, SCHEMA, TOKEN, create, failed, makeAdapter } from './helpers.js';

const started: InfrahubStandin[] = [];
async function start(opts: { faultRate?: number; faultSeed?: number } = {}): Promise<InfrahubStandin> {
  const s = await startInfrahubStandin({ schema: SCHEMA, token: TOKEN, ...opts });
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe('infrahub adapter: credentials and address', () => {
  it('fails with a clear message on a bad token, never showing the token', async () => {
    const standin = await start();
    const logger = new MemoryLogger();
    const adapter = makeAdapter(standin.url, { token: 'wrong-secret-token-123' }, { logger });
    const err = await adapter.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as Error).message).toBe('infrahub: authentication failed (check INFRAHUB_API_TOKEN)');
    expect(JSON.stringify(logger.entries)).not.toContain('wrong-secret-token-123');
  });

  it('fails with the same message when writing without a token', async () => {
    const standin = await start();
    const adapter = makeAdapter(standin.url, { token: undefined });
    await adapter.open(); // anonymous reads are allowed
    await expect(adapter.apply([create('TestTag', 'x', { name: 'x' })], new Ctx())).rejects.toThrow(
      'infrahub: authentication failed (check INFRAHUB_API_TOKEN)',
    );
  });

  it('takes the address and token from INFRAHUB_ADDRESS / INFRAHUB_API_TOKEN before settings', async () => {
    const standin = await start();
    const adapter = makeAdapter(
      'http://127.0.0.1:1',
      { token: 'not-this-one' },
      { env: { INFRAHUB_ADDRESS: standin.url, INFRAHUB_API_TOKEN: TOKEN } },
    );
    const results = await adapter.apply([create('TestTag', 'x', { name: 'x' })], new Ctx());
    expect(failed(results)).toEqual([]);
    expect(standin.nodes('TestTag').map((n) => n.name)).toEqual(['x']);
  });

  it('throws (rather than failing every change) when the server stops answering', async () => {
    const standin = await start();
    const adapter = makeAdapter(standin.url, { retries: 2 });
    await adapter.open();
    await standin.stop();
    await expect(adapter.apply([create('TestTag', 'x', { name: 'x' })], new Ctx())).rejects.toThrow(/infrahub: unavailable \(1 change\(s\) not applied\): cannot reach/);
  });

  it('refuses a config with no address', () => {
    expect(() => makeAdapter('')).toThrow(ConfigError);
  });
});

describe('infrahub adapter: branches', () => {
  it('names a missing branch in the error', async () => {
    const standin = await start();
    const adapter = makeAdapter(standin.url, { branch: 'sync-2024' });
    await expect(adapter.open()).rejects.toThrow(/branch "sync-2024" does not exist/);
  });

  it('creates the branch with create_branch, and writes there only', async () => {
    const standin = await start();
    const adapter = makeAdapter(standin.url, { create_branch: true }, { branch: 'from-cli' });
    const results = await adapter.apply([create('TestTag', 'x', { name: 'x' })], new Ctx());
    expect(failed(results)).toEqual([]);
    expect(await adapter.branch()).toBe('from-cli');
    expect(standin.nodes('TestTag', 'from-cli').map((n) => n.name)).toEqual(['x']);
    expect(standin.nodes('TestTag')).toEqual([]);
    // A second run finds the branch and does not try to create it again.
    const again = makeAdapter(standin.url, { create_branch: true, branch: 'from-cli' });
    const records = await again.load({ side: 'destination', model: 'TestTag', path: 'TestTag', fields: [{ name: 'name', path: 'name' }] });
    expect(records.map((r) => r.name)).toEqual(['x']);
  });

  it('settings.branch wins over the CLI branch', async () => {
    const standin = await start();
    const adapter = makeAdapter(standin.url, { branch: 'main' }, { branch: 'other' });
    expect(await adapter.branch()).toBe('main');
  });
});

describe('infrahub adapter: transient faults', () => {
  /** The same writes and reads; returns the final state and the records read. */
  async function scenario(standin: InfrahubStandin) {
    const adapter = makeAdapter(standin.url, { batch_size: 10, page_size: 20, retries: 8 });
    const ctx = new Ctx();
    const tags = Array.from({ length: 60 }, (_, i) => create('TestTag', `t${i}`, { name: `t${i}` }));
    const r1 = await adapter.apply(tags, ctx);
    ctx.remember(r1);
    const devices = Array.from({ length: 40 }, (_, i) =>
      create('InfraDevice', `d${i}`, { name: `d${i}` }, { serial: `S${i}`, tags: [`t${i}`, `t${i + 1}`] }),
    );
    const r2 = await adapter.apply(devices, ctx);
    ctx.remember(r2);
    const deletes = Array.from({ length: 10 }, (_, i) => ({
      id: `TestTag/delete/t${50 + i}`,
      action: 'delete' as const,
      model: 'TestTag',
      key: `t${50 + i}`,
      ids: { name: `t${50 + i}` },
      attrs: {},
      destinationId: ctx.ids.get(`TestTag/t${50 + i}`),
    }));
    const r3 = await adapter.apply(deletes, ctx);
    const read = await adapter.load({
      side: 'destination',
      model: 'InfraDevice',
      path: 'InfraDevice',
      fields: [
        { name: 'name', path: 'name' },
        { name: 'tags', path: 'tags.name' },
      ],
    });
    const state = {
      tags: standin.nodes('TestTag').map((n) => n.name).sort(),
      devices: standin
        .nodes('InfraDevice')
        .map((n) => `${n.name}:${n.serial}:${(n.tags as string[]).length}`)
        .sort(),
    };
    const readBack = read.map((r) => `${r.name}:${(r.tags as { name: string }[]).map((t) => t.name).sort().join(',')}`).sort();
    return { state, readBack, statuses: [...r1, ...r2, ...r3].map((r) => r.status) };
  }

  it('ends in the same state under a 10% fault rate as without faults', async () => {
    const clean = await scenario(await start());
    const faulty = await start({ faultRate: 0.1, faultSeed: 7 });
    const noisy = await scenario(faulty);
    expect(faulty.counters.faults).toBeGreaterThan(0);
    expect(noisy.statuses.every((s) => s === 'applied')).toBe(true);
    expect(noisy.state).toEqual(clean.state);
    expect(noisy.readBack).toEqual(clean.readBack);
    expect(clean.state.tags).toHaveLength(50);
    expect(clean.state.devices).toHaveLength(40);
  });
});
