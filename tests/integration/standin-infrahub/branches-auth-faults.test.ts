import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, startInfrahubStandin } from '../../standins/infrahub/index.js';
import { fixture, startClient, TEST_SCHEMA, type Client } from './helpers.js';

describe('branches', () => {
  let c: Client;
  afterEach(() => c.standin.stop());

  it('creates a branch as a copy of main and keeps the two isolated', async () => {
    c = await startClient();
    await c.ok('mutation { TestPersonCreate(data: {name: {value: "John"}}) { ok } }');
    const created = await c.ok<{ BranchCreate: { ok: boolean; object: { name: string; is_default: boolean; sync_with_git: boolean } } }>(
      'mutation { BranchCreate(data: {name: "feature-a", sync_with_git: false}) { ok object { id name is_default sync_with_git } } }',
    );
    expect(created.BranchCreate).toMatchObject({ ok: true, object: { name: 'feature-a', is_default: false, sync_with_git: false } });
    const list = await c.ok<{ Branch: { name: string; is_default: boolean }[] }>('query { Branch { name is_default } }');
    expect(list.Branch).toEqual([{ name: 'main', is_default: true }, { name: 'feature-a', is_default: false }]);

    await c.ok('mutation { TestPersonCreate(data: {name: {value: "Kim"}}) { ok } }', undefined, 'feature-a');
    await c.ok('mutation { TestPersonUpdate(data: {hfid: ["John"], height: {value: 3}}) { ok } }', undefined, 'feature-a');
    expect(c.standin.nodes('TestPerson', 'feature-a').map((n) => n.name).sort()).toEqual(['John', 'Kim']);
    expect(c.standin.nodes('TestPerson').map((n) => n.name)).toEqual(['John']);
    expect(c.standin.nodes('TestPerson')[0]?.height).toBeNull();
    expect(c.standin.nodes('TestPerson', 'feature-a').find((n) => n.name === 'John')?.height).toBe(3);

    const again = await c.gql('mutation { BranchCreate(data: {name: "feature-a"}) { ok } }');
    expect(String(again.body.errors?.[0]?.message)).toContain('already exist');
  });

  // A real Infrahub 1.11.9 keeps CoreAccount and CoreAccountGroup outside branches (`branch:
  // agnostic` in /api/schema): an account made in main after a branch was created is found from
  // that branch (tests/peers/infrahub/check.ts met this: the sync's lineage account must resolve
  // in the branch it syncs into).
  it('shares accounts and account groups across branches, whenever and wherever they are written', async () => {
    c = await startClient();
    await c.ok('mutation { BranchCreate(data: {name: "early"}) { ok } }');
    await c.ok('mutation { TestPersonCreate(data: {name: {value: "Kim"}}) { ok } }');
    const acct = await c.ok<{ CoreAccountCreate: { object: { id: string } } }>(
      'mutation { CoreAccountCreate(data: {name: {value: "nautobot", is_protected: true}, password: {value: "x-unused"}}) { object { id } } }',
    );
    await c.ok('mutation { CoreAccountGroupCreate(data: {name: {value: "sync-group"}}) { ok } }', undefined, 'early');
    const find = 'query { CoreAccount(name__value: "nautobot") { edges { node { id name { value is_protected } } } } CoreAccountGroup(name__value: "sync-group") { count } }';
    type Found = { CoreAccount: { edges: { node: { id: string; name: { value: string; is_protected: boolean } } }[] }; CoreAccountGroup: { count: number } };
    for (const branch of ['main', 'early']) {
      const found = await c.ok<Found>(find, undefined, branch);
      expect(found.CoreAccount.edges).toEqual([{ node: { id: acct.CoreAccountCreate.object.id, name: { value: 'nautobot', is_protected: true } } }]);
      expect(found.CoreAccountGroup.count).toBe(1);
    }
    // Branch data stays apart; an account's change and deletion reach every branch.
    expect(c.standin.nodes('TestPerson', 'early')).toHaveLength(0);
    await c.ok('mutation { CoreAccountUpdate(data: {hfid: ["nautobot"], description: {value: "the source"}}) { ok } }', undefined, 'early');
    expect(c.standin.nodes('CoreAccount').find((n) => n.name === 'nautobot')?.description).toBe('the source');
    await c.ok('mutation { CoreAccountDelete(data: {hfid: ["nautobot"]}) { ok } }');
    expect((await c.ok<Found>(find, undefined, 'early')).CoreAccount.edges).toEqual([]);
    const schema = (await (await fetch(`${c.standin.url}/api/schema?branch=main`)).json()) as { nodes: { kind: string; branch: string }[] };
    expect(schema.nodes.filter((n) => n.kind.startsWith('CoreAccount')).map((n) => [n.kind, n.branch])).toEqual([
      ['CoreAccount', 'agnostic'],
      ['CoreAccountGroup', 'agnostic'],
    ]);
  });
});

describe('authentication', () => {
  let c: Client;
  afterEach(() => c.standin.stop());

  it('answers a mutation without a key with 401 and the recorded envelope, and changes nothing', async () => {
    c = await startClient();
    const r = await c.gql('mutation {\n  TestPersonCreate(data: {name: {value: "John"}}) { ok } }', undefined, { key: null });
    expect(r.status).toBe(401);
    const recorded = fixture<{ errors: Record<string, unknown>[] }>('error_authentication_required.json');
    expect(r.body).toEqual(recorded);
    expect(c.standin.nodes('TestPerson')).toHaveLength(0);
  });

  it('uses the configured token', async () => {
    c = await startClient({ token: 'other-secret' });
    expect((await c.gql('mutation { TestPersonCreate(data: {name: {value: "x"}}) { ok } }')).status).toBe(401);
    const r = await c.gql('mutation { TestPersonCreate(data: {name: {value: "x"}}) { ok } }', undefined, { key: 'other-secret' });
    expect(r.status).toBe(200);
    expect(c.standin.nodes('TestPerson')).toHaveLength(1);
  });
});

describe('faults and counters', () => {
  let c: Client;
  afterEach(() => c.standin.stop());

  async function outcomes(seed: number, n: number): Promise<string[]> {
    c = await startClient({ faultRate: 0.3, faultSeed: seed });
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      try {
        const res = await fetch(`${c.standin.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query { TestPerson { count } }' }) });
        out.push(res.status === 429 ? `429:${res.headers.get('retry-after')}` : String(res.status));
        await res.arrayBuffer();
      } catch {
        out.push('dropped');
      }
    }
    return out;
  }

  it('injects 500, 429 with Retry-After: 1 and dropped connections at the given rate, the same way for the same seed', async () => {
    const first = await outcomes(42, 300);
    const counters = { ...c.standin.counters };
    await c.standin.stop();
    const second = await outcomes(42, 300);
    expect(second).toEqual(first);
    const faults = first.filter((o) => o !== '200');
    expect(faults.length).toBe(counters.faults);
    expect(faults.length / first.length).toBeGreaterThan(0.2);
    expect(faults.length / first.length).toBeLessThan(0.4);
    expect(new Set(faults)).toEqual(new Set(['500', '429:1', 'dropped']));
    expect(counters.requests).toBe(300);
  });

  it('counts requests, queries, mutations and operations, and resets', async () => {
    c = await startClient();
    await c.ok('mutation { a: TestPersonCreate(data: {name: {value: "x"}}) { ok } b: TestPersonCreate(data: {name: {value: "y"}}) { ok } }');
    await c.ok('query { TestPerson { count } }');
    await fetch(`${c.standin.url}/api/schema`);
    expect(c.standin.counters).toMatchObject({ requests: 3, graphql: 2, queries: 1, mutations: 1, faults: 0 });
    expect(c.standin.counters.byOperation).toMatchObject({ TestPersonCreate: 2, TestPerson: 1, 'GET /api/schema': 1 });
    c.standin.resetCounters();
    expect(c.standin.counters.requests).toBe(0);
  });
});

describe('state file and CLI', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'infrahub-standin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves state on stop and loads it on start', async () => {
    const statePath = join(dir, 'state.json');
    const a = await startInfrahubStandin({ schema: TEST_SCHEMA, statePath });
    const post = (url: string, query: string) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN }, body: JSON.stringify({ query }) });
    await post(a.url, 'mutation { p: TestPersonCreate(data: {name: {value: "John"}}) { ok } d: TestDogCreate(data: {name: {value: "Rex"}, owner: {hfid: ["John"]}}) { ok } }');
    await post(a.url, 'mutation { BranchCreate(data: {name: "b1"}) { ok } }');
    await a.stop();
    const b = await startInfrahubStandin({ schema: TEST_SCHEMA, statePath });
    try {
      const john = b.nodes('TestPerson')[0];
      expect(john?.name).toBe('John');
      expect(b.nodes('TestDog')[0]?.owner).toBe(john?.id);
      expect(b.nodes('TestPerson', 'b1')).toHaveLength(1);
      const dup = await (await post(b.url, 'mutation { TestPersonCreate(data: {name: {value: "John"}}) { ok } }')).json();
      expect((dup as { errors: { message: string }[] }).errors[0]?.message).toBe("Violates uniqueness constraint 'name'");
    } finally {
      await b.stop();
    }
  });

  it('CLI prints the listening line, serves, and saves state on SIGTERM', async () => {
    const statePath = join(dir, 'cli-state.json');
    // Started the way `npm run standin:infrahub` starts it: the tsx CLI relays SIGTERM to the script
    // (with `node --import tsx` tsx's own signal hook exits before the script's handler runs).
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/standins/infrahub/cli.ts', '--port', '0', '--schema', TEST_SCHEMA, '--state', statePath], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0] as string);
        });
        child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
      });
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.replace('listening on ', '');
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-infrahub-key': DEFAULT_TOKEN },
        body: JSON.stringify({ query: 'mutation { TestPersonCreate(data: {name: {value: "Cli"}}) { ok } }' }),
      });
      expect(res.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
      const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { branches: { nodes: { attrs: { name?: string } }[] }[] };
      expect(saved.branches[0]?.nodes.some((n) => n.attrs.name === 'Cli')).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
