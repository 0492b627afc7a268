// The deployed stack, end to end, on Lambda's runtime: the bundles `cdk synth` wrote, each
// function in its own execution environments with the template's environment, memory and
// timeout, driven by the template's SQS event source mappings, against moto and the stand-ins.
// A sync from a trigger invocation; the template's schedule; a webhook POST through the function
// URL; two syncs of one config started at once.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let s: Scenario;

beforeAll(async () => {
  s = await startScenario();
}, 600_000);
afterAll(async () => {
  await s?.stop();
});

type Row = Record<string, unknown> & { id: string; name: string };
const devices = () => s.nautobot.dataset.tables['dcim.devices'] as unknown as Row[];

// Generous: the functions cold-start in Lambda's runtime on a shared two-core machine.
describe('the deployed stack on Lambda runtime', { timeout: 300_000 }, () => {
  it('gives every function the environment, memory and timeout of the template', () => {
    for (const fn of Object.values(s.stack.functions)) {
      const props = s.stack.template.Resources[fn.cfg.logicalId]?.Properties as Record<string, unknown>;
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(fn.cfg.environment).sort()).toEqual(Object.keys(env).sort());
      expect(fn.cfg.memoryMb).toBe(props.MemorySize);
      expect(fn.cfg.timeoutSeconds).toBe(props.Timeout);
      expect(fn.cfg.runtime).toBe('nodejs22.x');
    }
    // References resolved to what was created: the bucket, the queue URLs, the secret ARNs.
    expect(s.stack.functions.trigger.cfg.environment.BUCKET_NAME).toBe(s.stack.bucket);
    expect(s.stack.functions.loader.cfg.environment.DIFF_QUEUE_URL).toBe(s.stack.queues.diff.url);
    expect(s.stack.functions.apply.cfg.environment.INFRAHUB_API_TOKEN_SECRET_ARN).toMatch(/^arn:aws:secretsmanager:/);
    expect(s.stack.queues.apply.visibilityTimeout).toBe(6 * s.stack.functions.apply.cfg.timeoutSeconds);
  });

  it('runs a sync from a trigger invocation to its report: the planned state, nothing lost or duplicated', async () => {
    const before = s.nodeCounts(mappedModels());
    const started = await s.trigger({ name: CONFIG_NAME, mode: 'sync' });
    expect(started.loads).toBe(2 * mappedModels().length);
    const report = await expectPlannedState(s, started.runId, before);
    expect(report.applied.create).toBeGreaterThan(100);
    expect(s.infrahub.nodes('InfraDevice').map((d) => d.name).sort()).toEqual(devices().map((d) => d.name).sort());
    for (const [name, fn] of Object.entries(s.stack.functions)) {
      expect({ name, crashes: fn.stats.crashes, errors: fn.stats.errors }).toEqual({ name, crashes: 0, errors: 0 });
    }
  });

  it('runs the template schedule through the Scheduler API: its input starts a sync, which finds nothing to do', async () => {
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

  it('takes a Nautobot webhook POSTed to the function URL: a scoped sync of the one device', async () => {
    const secret = (await s.stack.clients.secrets.send(new GetSecretValueCommand({ SecretId: s.stack.secretArn('WEBHOOK') }))).SecretString ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const device = devices()[0] as Row;
    device.serial = 'WEBHOOK-SERIAL-1';
    const url = `${s.stack.webhookUrl}webhooks/${CONFIG_NAME}`;
    const delivery = nautobotDelivery(s.nautobot.url, device, secret);

    const forged = await fetch(url, { method: 'POST', headers: { ...delivery.headers, 'x-hook-signature': 'ab'.repeat(64) }, body: delivery.body });
    expect(forged.status).toBe(401);
    const before = (await runFiles(s.stack)).runs.length;

    const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect((await runFiles(s.stack)).runs.length).toBe(before + 1);
    const report = await s.waitForReport(runId);
    expect(report.applied).toEqual({ create: 0, update: 1, delete: 0 });
    const node = s.infrahub.nodes('InfraDevice').find((d) => d.name === device.name);
    expect(node?.serial_number).toBe('WEBHOOK-SERIAL-1');
    const run = await getJson<RunRecord>(s.stack.store, keys.run({ name: CONFIG_NAME, runId }));
    expect(run?.scope).toMatchObject({ models: ['InfraDevice'], ids: [device.id] });
  });

  it('of two syncs of one config started at once, one runs and the other is refused: no double writes', async () => {
    for (const d of devices()) d.serial = `CONCURRENT-${d.name}`;
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
    const skipped = (await s.stack.fireSchedule()) as { skipped?: boolean; activeRunId?: string };
    expect(skipped).toMatchObject({ skipped: true, activeRunId: runId });

    const report = await s.waitForReport(runId);
    expect(report.applied).toEqual({ create: 0, update: devices().length, delete: 0 });
    const after = await runFiles(s.stack);
    expect(after.runs.filter((r) => !before.runs.includes(r))).toEqual([runId]);
    expect(s.nodeCounts(mappedModels())).toEqual(counts);
    // One write per changed device, as one run's batches make them: the refused run wrote nothing.
    expect(s.gate.mutations - mutationsBefore).toBe(1);
    for (const d of devices()) expect(s.infrahub.nodes('InfraDevice').find((n) => n.name === d.name)?.serial_number).toBe(`CONCURRENT-${d.name}`);
  });
});
