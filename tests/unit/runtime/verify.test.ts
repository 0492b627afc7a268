// The check after every sync's apply, in the run state machine the Lambdas run (over the local
// ports): the records written are read back and diffed again; what did not stick is reported per
// record and field, and the run ends partial. --no-verify (verify: false) skips it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isWritable, type Adapter, type WritableAdapter } from '../../../shared/adapters/types.js';
import type { Change } from '../../../shared/diff/types.js';
import { silentLogger } from '../../../shared/log.js';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { runLocal, startLocalRuntime, type LocalRuntime } from '../../../shared/runtime/local/index.js';
import { getJson } from '../../../shared/runtime/ports.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import { startRun } from '../../../shared/runtime/run/start.js';
import type { AdapterSource, RunEvent } from '../../../shared/runtime/run/types.js';
import type { RunReport } from '../../../shared/runtime/steps/index.js';
import { fileDemo } from '../../helpers/file-demo.js';

let rt: LocalRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

/** A destination that writes every change but keeps no serial number of `device`: the write
 *  "succeeds" and the value is not there, as a field the destination silently ignores. */
function forgetting(inner: WritableAdapter, device: string): WritableAdapter {
  return {
    system: inner.system,
    load: (req) => inner.load(req),
    describeModel: inner.describeModel?.bind(inner),
    async apply(changes: Change[], ctx) {
      const altered = changes.map((c) =>
        c.model === 'InfraDevice' && c.key === device && 'serial' in c.attrs ? { ...c, attrs: { ...c.attrs, serial: 'forgotten' } } : c,
      );
      return inner.apply(altered, ctx);
    },
  };
}

async function runWith(adapters: (real: AdapterSource) => AdapterSource, verify?: boolean): Promise<RunReport> {
  const demo = await fileDemo();
  const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'verify-')));
  rt = startLocalRuntime({ store, env: demo.env, logger: silentLogger });
  rt.deps.adapters = adapters(rt.deps.adapters);
  const done = new Promise<RunEvent>((resolve) => {
    const prev = rt?.deps.onEvent;
    if (rt) rt.deps.onEvent = (e) => {
      prev?.(e);
      if (e.type === 'finished') resolve(e);
    };
  });
  const run = await startRun(rt.deps, { loaded: demo.loaded, mode: 'sync', force: true, trigger: { kind: 'cli' }, verify });
  const end = await done;
  expect(end).toMatchObject({ type: 'finished' });
  const report = await getJson<RunReport>(store, keys.report(run));
  if (!report) throw new Error('no report');
  return report;
}

describe('verify after a sync', () => {
  it('reads back what was written and reports converged', async () => {
    const demo = await fileDemo();
    const { report } = await runLocal({ loaded: demo.loaded, mode: 'sync', force: true, env: demo.env, store: await mkdtemp(join(tmpdir(), 'verify-')) });
    expect(report.status).toBe('succeeded');
    expect(report.verify).toMatchObject({ converged: true, notConverged: [] });
    expect(report.verify?.checked).toBe(report.applied.create);
    expect(report.timings?.verifyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a change that did not stick per record and field, and ends the run partial', async () => {
    const report = await runWith((real) => ({
      async get(run, side, loaded) {
        const a: Adapter = await real.get(run, side, loaded);
        return side === 'destination' && isWritable(a) ? forgetting(a, 'par-edge1') : a;
      },
    }));
    expect(report.failed).toBe(0);
    expect(report.status).toBe('partial');
    expect(report.verify?.converged).toBe(false);
    expect(report.verify?.notConverged).toEqual([
      {
        model: 'InfraDevice',
        key: 'par-edge1',
        action: 'update',
        message: 'the destination holds other values than those written',
        fields: [{ name: 'serial', expected: 'abc123x', actual: 'forgotten' }],
      },
    ]);
  });

  it('is skipped with verify: false (--no-verify)', async () => {
    const report = await runWith((real) => real, false);
    expect(report.verify).toBeUndefined();
    expect(report.status).toBe('succeeded');
  });

  it('says so, not converged, when what was written cannot be read back', async () => {
    const report = await runWith((real) => {
      let loads = 0;
      return {
        async get(run, side, loaded) {
          const a = await real.get(run, side, loaded);
          if (side !== 'destination' || !isWritable(a)) return a;
          return {
            ...forgetting(a, 'none'),
            // The run's own loads pass; the read-back after the apply finds the destination gone.
            load: (req) => (++loads > 4 ? Promise.reject(new Error('connection refused')) : a.load(req)),
          };
        },
      };
    });
    expect(report.status).toBe('partial');
    expect(report.verify).toMatchObject({ converged: false, error: 'could not check what was written: connection refused' });
  });
});


describe('neededModels: what the verify plans again', () => {
  it('the models written and, transitively, those they reference; nothing else', async () => {
    const { neededModels } = await import('../../../shared/runtime/steps/verify.js');
    const change = (id: string, model: string): Change => ({ id, action: 'update', model, key: 'k', ids: {}, attrs: {}, destinationId: `n-${id}` }) as Change;
    const plan = { runId: 'r', stages: [{ index: 0, action: 'upsert', models: ['Interface'], changes: [change('c1', 'Interface'), change('c2', 'Address')] }] } as never;
    const results = [
      { changeId: 'c1', action: 'update', model: 'Interface', key: 'k', status: 'applied' },
      // A failed change wrote nothing: its model is not read back for it.
      { changeId: 'c2', action: 'update', model: 'Address', key: 'k', status: 'failed', message: 'no' },
    ] as never;
    const specs = {
      Interface: { model: 'Interface', identifiers: ['device', 'name'], references: { device: 'Device', vlan: 'Vlan' } },
      Device: { model: 'Device', identifiers: ['name'], references: { location: 'Location' } },
      Location: { model: 'Location', identifiers: ['name'], references: {} },
      Vlan: { model: 'Vlan', identifiers: ['vid'], references: {} },
      Address: { model: 'Address', identifiers: ['address'], references: { interface: 'Interface' } },
      Tag: { model: 'Tag', identifiers: ['name'], references: {} },
    };
    expect([...neededModels(plan, results, specs)].sort()).toEqual(['Device', 'Interface', 'Location', 'Vlan']);
  });
});
