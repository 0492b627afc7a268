// Convergence without faults: for each config and three dataset seeds, one sync does everything
// (no failed or skipped change, its own read-back finds it all), a diff then has nothing to do,
// the destination holds exactly the mapped source records, and no two destination nodes share an
// identity. configs/file-demo (file to file) checks the same without a server.
import { afterEach, describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from '../cli/cli-harness.js';
import { run, type Sides } from '../e2e/helpers.js';
import { SCENARIOS, expectConverged, expectNoSharedIdentity, prepare, syncedModels } from './scenarios.js';

const SEEDS = [3, 7, 11];

let sides: Sides | undefined;
afterEach(async () => {
  await sides?.stop();
  sides = undefined;
});

describe.each(SCENARIOS)('convergence: $name', (scenario) => {
  it.each(SEEDS)('seed %i: one sync, then nothing to do, exactly the source, no shared identity', async (seed) => {
    const prepared = await prepare(scenario, seed);
    sides = prepared.sides;
    const sync = await run(sides, 'sync', prepared.config);
    expect(sync.code).toBe(0);
    expect(sync.report?.status).toBe('succeeded');
    expect(sync.report?.applied.create).toBeGreaterThan(0);
    const diff = await expectConverged(sides, prepared.config, sync);
    expect(diff.diff.summary['no-change']).toBe(sync.report?.applied.create);
    expectNoSharedIdentity(sides.infrahub, await syncedModels(scenario.file, scenario.edits), scenario.ipamSharedByDesign ? sync.diff.warnings : undefined);
  }, 120_000);
});

describe('convergence: configs/file-demo', () => {
  it('one sync, then nothing to do, exactly the source', async () => {
    const dir = await fileDemoCopy();
    const sync = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json', '--no-show-progress'], { cwd: dir });
    expect(sync.code).toBe(0);
    const doc = JSON.parse(sync.stdout);
    expect(doc.report).toMatchObject({ status: 'succeeded', failed: 0, skipped: 0 });
    expect(doc.verify).toEqual({ converged: true, notConverged: [] });
    const diff = JSON.parse((await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir })).stdout);
    expect(diff.changes).toEqual([]);
    expect(diff.summary).toMatchObject({ create: 0, update: 0, delete: 0, skip: 0, 'no-change': doc.report.applied.create });
  });
});
