// Convergence under faults: the Infrahub stand-in refuses 20% of requests before processing them
// (500, or the connection dropped) and, of the mutation requests it processes, loses 30% of the
// responses (written, then the connection drops). Syncs are repeated until one succeeds and its
// read-back finds everything written; the destination then holds exactly what a sync without
// faults leaves (node for node, ids aside), with no two nodes sharing an identity.
import { afterEach, describe, expect, it } from 'vitest';
import { run, type RunResult, type Sides } from '../e2e/helpers.js';
import { SCENARIOS, expectConverged, expectNoSharedIdentity, prepare, stateDump, syncedModels } from './scenarios.js';

const SEED = 3;
const MAX_SYNCS = 8;
const FAULTS = { faultRate: 0.2, faultKinds: ['server-error', 'dropped'] as ('server-error' | 'dropped')[], lostResponseRate: 0.3, faultSeed: 5 };

let open: Sides[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.stop()));
  open = [];
});

describe.each(SCENARIOS)('convergence under faults: $name', (scenario) => {
  it('repeated syncs end in the state of a sync without faults, with no duplicate', async () => {
    const models = await syncedModels(scenario.file, scenario.edits);
    const clean = await prepare(scenario, SEED);
    open.push(clean.sides);
    const cleanSync = await run(clean.sides, 'sync', clean.config);
    expect(cleanSync.report?.status).toBe('succeeded');
    const expected = stateDump(clean.sides.infrahub, models);

    const faulty = await prepare(scenario, SEED, FAULTS);
    open.push(faulty.sides);
    let last: RunResult | undefined;
    const outcomes: string[] = [];
    for (let i = 0; i < MAX_SYNCS; i++) {
      try {
        last = await run(faulty.sides, 'sync', faulty.config);
        outcomes.push(`${last.report?.status} failed=${last.report?.failed} verify=${String(last.report?.verify?.converged)}`);
        if (last.report?.status === 'succeeded' && last.report.verify?.converged) break;
      } catch (err) {
        // A load that failed through every retry ends the run before anything is written.
        outcomes.push(`error: ${(err as Error).message.split('\n')[0]?.slice(0, 200)}`);
        last = undefined;
      }
    }
    expect(last?.report?.status, outcomes.join('\n')).toBe('succeeded');
    if (!last) return;
    // The faults did happen: requests refused, responses lost after the write.
    expect(faulty.sides.infrahub.counters.faults).toBeGreaterThan(0);
    expect(faulty.sides.infrahub.counters.lostResponses).toBeGreaterThan(0);

    await expectConverged(faulty.sides, faulty.config, last);
    expectNoSharedIdentity(faulty.sides.infrahub, models, scenario.ipamSharedByDesign ? last.diff.warnings : undefined);
    expect(stateDump(faulty.sides.infrahub, models)).toEqual(expected);
  }, 300_000);
});
