// The deployed stack, end to end, on Lambda's runtime: the bundles `cdk synth` wrote, each
// function in its own execution environments with the template's environment, memory and
// timeout, driven by the template's SQS event source mappings, function URL and schedule,
// against moto and the Nautobot and Infrahub stand-ins (Infrahub behind a proxy that can refuse
// or hold writes). Four scenarios, each on its own deployment, run at once (their waits are the
// queues' visibility timeouts); each ends in the planned state with one report, nothing lost,
// nothing duplicated (expectPlannedState).
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { getJson } from '../../shared/runtime/ports.js';
import { keys } from '../../shared/runtime/run/keys.js';
import type { RunRecord } from '../../shared/runtime/run/types.js';
import {
  CONFIG_NAME,
  expectPlannedState,
  mappedModels,
  nautobotDelivery,
  runFiles,
  startScenario,
  type Scenario,
} from './harness/scenario.js';

type Row = Record<string, unknown> & { id: string; name: string };
const rows = (s: Scenario, table: string) => s.nautobot.dataset.tables[table] as unknown as Row[];

async function withScenario(body: (s: Scenario) => Promise<void>): Promise<void> {
  const s = await startScenario();
  try {
    await body(s);
  } finally {
    await s.stop();
  }
}

/** Names the step in the failure, since each test walks through several. */
async function step(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof Error) err.message = `[${name}] ${err.message}`;
    throw err;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Generous: many functions cold-start at once in Lambda's runtime on a two-core machine.
describe.concurrent('the deployed stack on Lambda runtime', { timeout: 900_000 }, () => {
  it('syncs from a trigger invocation; runs the schedule; takes a webhook POST; refuses a second sync started at once', async () => {
    await withScenario(async (s) => {
      await step('the template reaches the functions', () => {
        for (const fn of Object.values(s.stack.functions)) {
          const props = s.stack.template.Resources[fn.cfg.logicalId]?.Properties as Record<string, unknown>;
          const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
          expect(Object.keys(fn.cfg.environment).sort()).toEqual(Object.keys(env).sort());
          expect(fn.cfg.memoryMb).toBe(props.MemorySize);
          expect(fn.cfg.timeoutSeconds).toBe(props.Timeout);
          expect(fn.cfg.runtime).toBe('nodejs22.x');
        }
        expect(s.stack.functions.trigger.cfg.environment.BUCKET_NAME).toBe(s.stack.bucket);
        expect(s.stack.functions.loader.cfg.environment.DIFF_QUEUE_URL).toBe(s.stack.queues.diff.url);
        expect(s.stack.functions.apply.cfg.environment.INFRAHUB_API_TOKEN_SECRET_ARN).toMatch(/^arn:aws:secretsmanager:/);
        expect(s.stack.queues.apply.visibilityTimeout).toBe(6 * s.stack.functions.apply.cfg.timeoutSeconds);
      });

      await step('a sync from a trigger invocation', async () => {
        const before = s.nodeCounts(mappedModels());
        const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
        expect(started.loads).toBe(2 * mappedModels().length);
        const report = await expectPlannedState(s, started.runId, before);
        expect(report.applied.create).toBeGreaterThan(100);
        expect(s.infrahub.nodes('InfraDevice').map((d) => d.name).sort()).toEqual(rows(s, 'dcim.devices').map((d) => d.name).sort());
        for (const [name, fn] of Object.entries(s.stack.functions)) {
          expect({ name, crashes: fn.stats.crashes, errors: fn.stats.errors }).toEqual({ name, crashes: 0, errors: 0 });
        }
      });

      await step('the schedule, read back through the Scheduler API', async () => {
        const [summary] = (await s.stack.clients.scheduler.send(new ListSchedulesCommand({}))).Schedules ?? [];
        const schedule = await s.stack.clients.scheduler.send(new GetScheduleCommand({ Name: summary?.Name, GroupName: summary?.GroupName }));
        expect(schedule.ScheduleExpression).toBe('rate(1 hour)');
        expect(schedule.Target?.Arn).toBe(s.stack.functions.trigger.cfg.arn);
        expect(JSON.parse(schedule.Target?.Input ?? '{}')).toMatchObject({ kind: 'schedule', name: CONFIG_NAME, mode: 'sync' });
        const out = (await s.stack.fireSchedule()) as { runId: string };
        const report = await s.waitForReport(out.runId);
        expect(report.planned).toMatchObject({ create: 0, update: 0, delete: 0 });
        const run = await getJson<RunRecord>(s.stack.store, keys.run({ name: CONFIG_NAME, runId: out.runId }));
        expect(run?.trigger.kind).toBe('schedule');
      });

      await step('a Nautobot webhook POSTed to the function URL', async () => {
        const secret = (await s.stack.clients.secrets.send(new GetSecretValueCommand({ SecretId: s.stack.secretArn('WEBHOOK') }))).SecretString ?? '';
        expect(secret.length).toBeGreaterThan(20);
        const device = rows(s, 'dcim.devices')[0] as Row;
        device.serial = 'WEBHOOK-SERIAL-1';
        const url = `${s.stack.webhookUrl}webhooks/${CONFIG_NAME}`;
        const delivery = nautobotDelivery(s.nautobot.url, device, secret);
        const forged = await fetch(url, { method: 'POST', headers: { ...delivery.headers, 'x-hook-signature': 'ab'.repeat(64) }, body: delivery.body });
        expect(forged.status).toBe(401);
        // The deployment's secret itself is not a config's key: each config's is derived from it.
        const withSecret = createHmac('sha512', secret).update(delivery.body).digest('hex');
        const raw = await fetch(url, { method: 'POST', headers: { ...delivery.headers, 'x-hook-signature': withSecret }, body: delivery.body });
        expect(raw.status).toBe(401);
        const before = (await runFiles(s.stack)).runs.length;
        const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
        expect(res.status).toBe(202);
        const { runId } = (await res.json()) as { runId: string };
        expect((await runFiles(s.stack)).runs.length).toBe(before + 1);
        const report = await s.waitForReport(runId);
        expect(report.applied).toEqual({ create: 0, update: 1, delete: 0 });
        expect(s.infrahub.nodes('InfraDevice').find((d) => d.name === device.name)?.serial_number).toBe('WEBHOOK-SERIAL-1');
        const run = await getJson<RunRecord>(s.stack.store, keys.run({ name: CONFIG_NAME, runId }));
        expect(run?.scope).toMatchObject({ models: ['InfraDevice'], ids: [device.id] });
      });

      await step('two syncs of one config started at once', async () => {
        const devices = rows(s, 'dcim.devices');
        for (const d of devices) d.serial = `CONCURRENT-${d.name}`;
        const before = await runFiles(s.stack);
        const counts = s.nodeCounts(mappedModels());
        const mutationsBefore = s.gate.mutations;
        const [a, b] = await Promise.all([
          s.stack.functions.trigger.invoke({ name: CONFIG_NAME, mode: 'sync' }),
          s.stack.functions.trigger.invoke({ name: CONFIG_NAME, mode: 'sync' }),
        ]);
        const ok = [a, b].filter((r) => r.status === 'ok');
        const refused = [a, b].filter((r) => r.status === 'error');
        expect(ok).toHaveLength(1);
        expect(refused).toHaveLength(1);
        const { runId } = ok[0]?.payload as { runId: string };
        expect(refused[0]?.payload).toMatchObject({ errorType: 'RunInProgressError' });
        expect((refused[0]?.payload as { errorMessage: string }).errorMessage).toContain(`run ${runId}`);
        // While it runs, the schedule fires: skipped, not an error.
        expect(await s.stack.fireSchedule()).toMatchObject({ skipped: true, activeRunId: runId });
        const report = await s.waitForReport(runId);
        expect(report.applied).toEqual({ create: 0, update: devices.length, delete: 0 });
        const after = await runFiles(s.stack);
        expect(after.runs.filter((r) => !before.runs.includes(r))).toEqual([runId]);
        expect(s.nodeCounts(mappedModels())).toEqual(counts);
        // One request for the changed devices, as one run's batch sends it: the refused run wrote nothing.
        expect(s.gate.mutations - mutationsBefore).toBe(1);
        for (const d of devices) expect(s.infrahub.nodes('InfraDevice').find((n) => n.name === d.name)?.serial_number).toBe(`CONCURRENT-${d.name}`);
      });
    });
  });

  it('every message delivered twice, at once: the planned state, one plan, one report, nothing created twice', async () => {
    await withScenario(async (s) => {
      for (const source of Object.values(s.stack.eventSources)) source.duplicateDeliveries = true;
      const before = s.nodeCounts(mappedModels());
      const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
      await expectPlannedState(s, started.runId, before);
      for (const [queue, source] of Object.entries(s.stack.eventSources)) {
        // Every batch went to two invocations.
        expect({ queue, even: source.stats.batches % 2, some: source.stats.batches > 0 }).toEqual({ queue, even: 0, some: true });
      }
    });
  });

  it('an apply invocation killed by its timeout mid-batch: redelivered after the visibility timeout, completed once', async () => {
    await withScenario(async (s) => {
      // Five writes per request, one request at a time: the 20 interfaces take four requests.
      await s.pushConfig({ batch_size: 5, concurrency: 1 });
      const timeout = s.stack.functions.apply.cfg.timeoutSeconds;
      let interfaceRequests = 0;
      // The third interface request is held past the function's timeout, then still delivered.
      s.gate.onMutation = (_n, query) => {
        if (!query.includes('InfraInterfaceL2L3')) return 'pass';
        return ++interfaceRequests === 3 ? { holdMs: (timeout + 4) * 1000 } : 'pass';
      };
      const before = s.nodeCounts(mappedModels());
      const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
      await expectPlannedState(s, started.runId, before);
      expect(s.stack.functions.apply.stats.timeouts).toBe(1);
      // Killed after sending three of its four requests; the redelivery sent the batch again (its
      // creates looked up first, so what the killed invocation wrote goes as updates or not at all).
      expect(interfaceRequests).toBeGreaterThan(3);
      expect(interfaceRequests).toBeLessThanOrEqual(3 + 4);
      expect(s.infrahub.nodes('InfraInterfaceL2L3')).toHaveLength(rows(s, 'dcim.interfaces').length);
    });
  });

  it('Infrahub answering 503: the apply messages are dead-lettered, the run waits; a redrive completes it', async () => {
    await withScenario(async (s) => {
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
        (q.maxReceiveCount + 1) * q.visibilityTimeout * 1000 + 300_000,
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
});
