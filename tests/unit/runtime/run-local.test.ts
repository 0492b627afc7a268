import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuardrailError } from '../../../shared/errors.js';
import { listRuns, runLocal, showRun } from '../../../shared/runtime/local/index.js';
import type { RunEvent } from '../../../shared/runtime/run/types.js';
import type { ProgressEvent } from '../../../shared/runtime/steps/index.js';
import { destinationState, fileDemo, writeDestination } from '../../helpers/file-demo.js';

const storeDir = () => mkdtemp(join(tmpdir(), 'runs-'));

/** Stage k's batches all finish before stage k+1 starts, and stages go in plan order. */
function assertStagesSequential(events: RunEvent[]): void {
  let current = -1;
  for (const e of events) {
    if (e.type === 'stage-started') {
      expect(e.stage).toBe(current + 1);
      current = e.stage;
    }
    if (e.type === 'batch-applied') expect(e.stage).toBe(current);
  }
}

describe('runLocal over the file adapter', () => {
  it('syncs, then a second run finds nothing to do; runs list / show read the history', async () => {
    const demo = await fileDemo();
    const store = await storeDir();
    const progress: ProgressEvent[] = [];
    const events: RunEvent[] = [];
    const first = await runLocal({
      loaded: demo.loaded,
      mode: 'sync',
      store,
      env: demo.env,
      workers: 2,
      batchSize: 2,
      onProgress: (e) => progress.push(e),
      onEvent: (e) => events.push(e),
    });
    expect(first.report.status).toBe('succeeded');
    expect(first.report.applied).toEqual({ create: 13, update: 0, delete: 0 });
    const state = await destinationState(demo.destination);
    expect(state.InfraDevice?.map((d) => d.name)).toEqual(['ber-edge1', 'par-core1', 'par-edge1']);
    expect(state.InfraInterfaceL2L3).toContainEqual({ name: 'eth0', device: 'par-edge1', description: 'uplink', enabled: true, mtu: 9000 });
    assertStagesSequential(events);
    const order = events.filter((e) => e.type === 'stage-started').map((e) => (e.type === 'stage-started' ? e.models.join() : ''));
    expect(order.indexOf('InfraDevice')).toBeLessThan(order.indexOf('InfraInterfaceL2L3'));
    expect(progress.filter((p) => p.phase === 'load')).toHaveLength(8);
    expect(progress.at(-1)).toMatchObject({ phase: 'apply', applied: 13, total: 13 });

    const second = await runLocal({ loaded: demo.loaded, mode: 'sync', store, env: demo.env });
    expect(second.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 13 });
    expect(second.report.status).toBe('succeeded');

    const runs = await listRuns(store);
    expect(runs.map((r) => r.runId)).toEqual([second.runId, first.runId]);
    expect(runs[1]).toMatchObject({ name: 'file-demo', mode: 'sync', status: 'succeeded', planned: { create: 13 } });
    const shown = await showRun(store, first.runId.slice(0, 22));
    expect(shown?.run.runId).toBe(first.runId);
    expect(shown?.diffText).toContain('InfraDevice: par-edge1 MISSING in destination');
    expect(shown?.report?.applied.create).toBe(13);
    expect(await showRun(store, 'no-such-run')).toBeUndefined();
  });

  it('diff mode writes plan and diff.txt and leaves the destination alone', async () => {
    const demo = await fileDemo();
    const store = await storeDir();
    const r = await runLocal({ loaded: demo.loaded, mode: 'diff', store, env: demo.env });
    expect(r.report.status).toBe('planned');
    expect(r.plan.summary.create).toBe(13);
    expect(await destinationState(demo.destination)).toEqual({});
    expect((await showRun(store, r.runId))?.diffText).toContain('LocationGeneric: paris MISSING in destination');
  });

  it('deletes go after upserts, interfaces before their device', async () => {
    const demo = await fileDemo();
    await writeDestination(demo.destination, 'InfraDevice', [
      { id: 'd1', name: 'old-dev1', serial: '', location: null, tags: [], managed: false },
    ]);
    await writeDestination(demo.destination, 'InfraInterfaceL2L3', [
      { id: 'i1', name: 'eth0', device: 'old-dev1', description: null, enabled: true, mtu: 1500 },
      { id: 'i2', name: 'eth1', device: 'old-dev1', description: null, enabled: true, mtu: 1500 },
    ]);
    const events: RunEvent[] = [];
    const r = await runLocal({ loaded: demo.loaded, mode: 'sync', store: await storeDir(), env: demo.env, force: true, onEvent: (e) => events.push(e) });
    expect(r.report.applied).toEqual({ create: 13, update: 0, delete: 3 });
    assertStagesSequential(events);
    const stages = events.flatMap((e) => (e.type === 'stage-started' ? [`${e.action}:${e.models.join()}`] : []));
    expect(stages.indexOf('delete:InfraInterfaceL2L3')).toBeLessThan(stages.indexOf('delete:InfraDevice'));
    expect(stages.indexOf('upsert:InfraInterfaceL2L3')).toBeLessThan(stages.indexOf('delete:InfraInterfaceL2L3'));
    const state = await destinationState(demo.destination);
    expect(state.InfraDevice?.map((d) => d.name)).toEqual(['ber-edge1', 'par-core1', 'par-edge1']);
    expect(state.InfraInterfaceL2L3?.some((i) => i.device === 'old-dev1')).toBe(false);
  });

  it('rejects with the GuardrailError and records the run as an error', async () => {
    const demo = await fileDemo();
    await writeDestination(
      demo.destination,
      'BuiltinTag',
      ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ id: name, name, description: '' })),
    );
    const store = await storeDir();
    await expect(runLocal({ loaded: demo.loaded, mode: 'sync', store, env: demo.env })).rejects.toBeInstanceOf(GuardrailError);
    const [run] = await listRuns(store);
    expect(run?.status).toBe('error');
    expect(run?.error).toMatch(/^diff: /);
    expect(await destinationState(demo.destination)).toEqual({ BuiltinTag: expect.any(Array) });
    // The refused plan is kept, with its verdict, for `runs show`.
    const refused = await showRun(store, run?.runId as string);
    expect(refused?.plan?.guardrail).toMatchObject({ refused: true, forced: false });
    expect(refused?.diffText).toMatch(/^!! GUARDRAIL: a sync of this plan would be REFUSED/);
  });

  it('a diff-mode run of a plan the guardrails refuse records the verdict and finishes (planned)', async () => {
    const demo = await fileDemo();
    const tags = ['a', 'b', 'c', 'd', 'e', 'f'];
    await writeDestination(demo.destination, 'BuiltinTag', tags.map((name) => ({ id: name, name, description: '' })));
    const store = await storeDir();
    const events: RunEvent[] = [];
    const r = await runLocal({ loaded: demo.loaded, mode: 'diff', store, env: demo.env, onEvent: (e) => events.push(e) });
    expect(r.report.status).toBe('planned');
    expect(r.plan.summary.delete).toBe(6);
    expect(r.plan.guardrail).toEqual({
      refused: true,
      forced: false,
      max_delete_percent: 50,
      allow_empty_source: false,
      models: [
        { model: 'BuiltinTag', refused: true, rules: ['max_delete_percent'], delete: 6, source: 3, destination: 6, percent: 100, keys: tags },
      ],
    });
    const planned = events.find((e) => e.type === 'planned');
    expect(planned?.type === 'planned' && planned.warnings.some((w) => /^guardrail: a sync of this plan would be refused/.test(w))).toBe(true);
    const [run] = await listRuns(store);
    expect(run).toMatchObject({ status: 'planned', mode: 'diff' });
    expect(run?.error).toBeUndefined();
    // --force on the sync of the same data: the verdict says forced, the plan is applied.
    const forced = await runLocal({ loaded: demo.loaded, mode: 'sync', store, env: demo.env, force: true });
    expect(forced.plan.guardrail).toMatchObject({ refused: false, forced: true });
    expect(forced.report.applied.delete).toBe(6);
  });

  it('without CONTINUE_ON_FAILURE stops after the failed stage; with it, the rest goes on', async () => {
    for (const flags of ['["NONE"]', '["NONE", "CONTINUE_ON_FAILURE"]']) {
      const demo = await fileDemo((t) => t.replace('diffsync_flags: ["NONE"]', `diffsync_flags: ${flags}`));
      // paris exists with another type: the plan updates it. The file vanishes once the plan is
      // made, and the file adapter fails an update of a record it cannot find.
      await writeDestination(demo.destination, 'LocationGeneric', [{ id: 'ghost', name: 'paris', type: 'Old', parent: 'europe' }]);
      const r = await runLocal({
        loaded: demo.loaded,
        mode: 'sync',
        store: await storeDir(),
        env: demo.env,
        onEvent: (e) => {
          if (e.type === 'planned') rmSync(join(demo.destination, 'LocationGeneric.json'));
        },
      });
      expect(r.plan.summary).toMatchObject({ create: 12, update: 1 });
      expect(r.report.failures).toEqual([expect.objectContaining({ model: 'LocationGeneric', key: 'paris', action: 'update' })]);
      if (flags.includes('CONTINUE')) {
        expect(r.report.status).toBe('partial');
        expect(r.report.applied.create).toBe(12);
        expect(r.report.skipped).toBe(0);
      } else {
        // Stage 0 (tags) and stage 1 (locations) ran; devices and interfaces were not attempted.
        expect(r.report.applied.create).toBe(3 + 2);
        expect(r.report.skipped).toBe(7);
        expect(r.report.skippedChanges.every((x) => x.message.startsWith('not attempted: stage 1'))).toBe(true);
      }
    }
  });
});
