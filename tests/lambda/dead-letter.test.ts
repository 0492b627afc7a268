// Infrahub unavailable for longer than the retries last, on the deployed stack: every write
// answered 503 by Infrahub's proxy. The apply messages are retried by the queue (after its
// visibility timeout) until the redrive policy moves them to the dead-letter queue; the run
// waits there, with no report and no change counted as failed, and no other sync of the config
// may start. Once Infrahub is back, the operator's redrive completes the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/runtime/run/keys.js';
import { CONFIG_NAME, expectPlannedState, mappedModels, startScenario, type Scenario } from './harness/scenario.js';

let s: Scenario;

beforeAll(async () => {
  s = await startScenario();
}, 600_000);
afterAll(async () => {
  await s?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the deployed stack while Infrahub is down', { timeout: 600_000 }, () => {
  it('dead-letters the apply messages after the redrive policy, then completes the run on a redrive', async () => {
    // One retry inside the adapter: the queue's retries are what this is about.
    await s.pushConfig({ retries: 1 });
    s.gate.onMutation = () => ({ status: 503 });
    const before = s.nodeCounts(mappedModels());
    const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
    const ref = { name: CONFIG_NAME, runId: started.runId };

    const q = s.stack.queues.apply;
    const dead = await until(
      'the apply messages to reach the dead-letter queue',
      async () => {
        const c = await s.stack.queueCounts('apply');
        return c.dead > 0 && c.visible === 0 && c.inFlight === 0 ? c.dead : undefined;
      },
      (q.maxReceiveCount + 1) * q.visibilityTimeout * 1000 + 120_000,
    );
    // Each dead-lettered message was received maxReceiveCount times and failed every time.
    expect(s.stack.eventSources.apply.stats.itemFailures).toBeGreaterThanOrEqual(dead * q.maxReceiveCount);
    expect(await s.stack.store.get(keys.report(ref))).toBeUndefined();
    expect(await s.stack.store.get(keys.error(ref))).toBeUndefined();
    expect(s.nodeCounts(mappedModels())).toEqual(before);
    // The run is unfinished: the config's next sync is refused, naming it.
    const refused = await s.stack.functions.trigger.invoke({ name: CONFIG_NAME, mode: 'sync' });
    expect(refused.payload).toMatchObject({ errorType: 'RunInProgressError' });
    expect((refused.payload as { errorMessage: string }).errorMessage).toContain(started.runId);

    // Infrahub is back; the operator redrives the dead-letter queue.
    s.gate.onMutation = undefined;
    expect(await s.stack.redrive('apply')).toBe(dead);
    await expectPlannedState(s, started.runId, before);
    expect((await s.stack.queueCounts('apply')).dead).toBe(0);
  });
});
