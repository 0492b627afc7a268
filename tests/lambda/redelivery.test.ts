// At-least-once delivery and a killed invocation, on the deployed stack: every message of every
// queue delivered twice at once (two execution environments running the same records), then an
// apply invocation killed at the function's timeout in the middle of its batch (some writes done,
// one in flight that lands after the kill, the rest never sent), redelivered after the queue's
// visibility timeout. Each run ends in the planned state with one report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_NAME, expectPlannedState, mappedModels, startScenario, type Scenario } from './harness/scenario.js';

let s: Scenario;

beforeAll(async () => {
  s = await startScenario();
}, 600_000);
afterAll(async () => {
  await s?.stop();
});

type Row = Record<string, unknown> & { id: string; name: string };

describe('the deployed stack under redelivery', { timeout: 400_000 }, () => {
  it('every message delivered twice: the planned state, one plan, one report, nothing created twice', async () => {
    for (const source of Object.values(s.stack.eventSources)) source.duplicateDeliveries = true;
    const before = s.nodeCounts(mappedModels());
    const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
    await expectPlannedState(s, started.runId, before);
    for (const [queue, source] of Object.entries(s.stack.eventSources)) {
      // Every batch went to two invocations.
      expect({ queue, even: source.stats.batches % 2, some: source.stats.batches > 0 }).toEqual({ queue, even: 0, some: true });
    }
    for (const source of Object.values(s.stack.eventSources)) source.duplicateDeliveries = false;
  });

  it('an apply invocation killed by its timeout mid-batch: redelivered after the visibility timeout, completed once', async () => {
    const interfaces = s.nautobot.dataset.tables['dcim.interfaces'] as unknown as Row[];
    for (const i of interfaces) i.description = `uplink ${i.name} (changed)`;
    // Five writes per request, one request at a time: the batch of 20 updates takes four requests.
    await s.pushConfig({ batch_size: 5, concurrency: 1 });
    const base = s.gate.mutations;
    const timeout = s.stack.functions.apply.cfg.timeoutSeconds;
    // The third request of the batch is held past the function's timeout, then still delivered.
    s.gate.onMutation = (n) => (n === base + 3 ? { holdMs: (timeout + 4) * 1000 } : 'pass');
    const timeoutsBefore = s.stack.functions.apply.stats.timeouts;
    const before = s.nodeCounts(mappedModels());

    const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
    const report = await expectPlannedState(s, started.runId, before);
    s.gate.onMutation = undefined;

    expect(report.applied).toEqual({ create: 0, update: interfaces.length, delete: 0 });
    expect(s.stack.functions.apply.stats.timeouts).toBe(timeoutsBefore + 1);
    // Killed after sending three of four requests; the redelivery sent all four again (and the
    // diff run that checks the end state writes nothing).
    expect(s.gate.mutations - base).toBe(3 + 4);
    const stored = new Map(s.infrahub.nodes('InfraInterfaceL2L3').map((n) => [`${n.name}`, n.description]));
    for (const i of interfaces) expect(stored.get(i.name)).toBe(i.description);
  });
});
