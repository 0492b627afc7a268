// One end-to-end setting for the scenarios: the Nautobot and Infrahub stand-ins (Infrahub behind
// a gate that can refuse or hold writes), the stack deployed from TEST_SETTINGS, the operator's
// first steps done (tokens into the created secrets, the config pushed to configs/), and what the
// scenarios assert: a run's end, the planned state reached, nothing lost or duplicated.
import { createHmac, randomUUID } from 'node:crypto';
import { webhookKey } from '../../../shared/runtime/webhook/secret.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DeploymentSettingsInput } from '../../../cdk/settings.js';
import type { Plan } from '../../../shared/diff/types.js';
import { getJson } from '../../../shared/runtime/ports.js';
import { keys } from '../../../shared/runtime/run/keys.js';
import type { RunReport } from '../../../shared/runtime/steps/index.js';
import { REPO_ROOT } from '../../helpers/tools.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { startNautobotStandin, type NautobotStandin } from '../../standins/nautobot/server.js';
import { startInfrahubGate, type InfrahubGate } from '../../helpers/infrahub-gate.js';
import { deployStack, type DeployedStack } from './stack.js';

export const CONFIG_NAME = 'nautobot-to-infrahub';
const TOKEN = 'scenario-token';

/**
 * The deployment settings of the scenarios. Defaults everywhere except: the apply function's
 * timeout is 8 s (so its queue's visibility timeout is 48 s) and a message goes to the
 * dead-letter queue after 2 receives, so that retries and redrives happen within a minute or
 * two; 25 changes per batch give every stage several batches to fan in. The tokens come from
 * secrets the stack creates, as the deploy guide has it.
 */
export const TEST_SETTINGS: DeploymentSettingsInput = {
  stackName: 'InfrahubSyncE2E',
  queues: { maxReceiveCount: 2 },
  functions: { apply: { timeoutSeconds: 8 } },
  changesPerBatch: 25,
  secrets: [{ env: 'NAUTOBOT_TOKEN' }, { env: 'INFRAHUB_API_TOKEN' }],
  schedules: [{ config: CONFIG_NAME, mode: 'sync', expression: 'rate(1 hour)' }],
};

export interface Scenario {
  stack: DeployedStack;
  infrahub: InfrahubStandin;
  nautobot: NautobotStandin;
  gate: InfrahubGate;
  /** Pushes configs/nautobot-to-infrahub.yml with extra destination settings. */
  pushConfig(destinationSettings?: Record<string, string | number>): Promise<void>;
  /** Invokes the trigger function as `aws lambda invoke` does; returns its payload. */
  trigger(payload: Record<string, unknown>): Promise<{ runId: string; loads: number }>;
  waitForReport(runId: string, timeoutMs?: number): Promise<RunReport>;
  nodeCounts(models: string[]): Record<string, number>;
  stop(): Promise<void>;
}

export async function startScenario(opts: { settings?: DeploymentSettingsInput } = {}): Promise<Scenario> {
  const nautobot = await startNautobotStandin({ dataset: generateDataset({ size: 'tiny', seed: 3 }), token: TOKEN });
  const infrahub = await startInfrahubStandin({ schema: join(REPO_ROOT, 'configs/schemas'), token: TOKEN });
  const gate = await startInfrahubGate(infrahub.url);
  let stack: DeployedStack;
  try {
    stack = await deployStack(opts.settings ?? TEST_SETTINGS);
  } catch (err) {
    await Promise.allSettled([nautobot.stop(), infrahub.stop(), gate.stop()]);
    throw err;
  }
  await stack.putSecret('NAUTOBOT_TOKEN', TOKEN);
  await stack.putSecret('INFRAHUB_API_TOKEN', TOKEN);
  const configText = readFileSync(join(REPO_ROOT, 'configs', CONFIG_NAME, 'config.yml'), 'utf8');

  const scenario: Scenario = {
    stack,
    infrahub,
    nautobot,
    gate,
    async pushConfig(extra = {}) {
      // The operator's addresses; tokens stay ${VAR} references, resolved from Secrets Manager.
      let text = configText
        .replace('${NAUTOBOT_ADDRESS:-http://localhost:8080}', `\${NAUTOBOT_ADDRESS:-${nautobot.url}}`)
        .replace('${INFRAHUB_ADDRESS:-http://localhost:8000}', `\${INFRAHUB_ADDRESS:-${gate.url}}`);
      const lines = Object.entries(extra).map(([k, v]) => `    ${k}: ${v}`);
      if (lines.length > 0) text = text.replace('    token: "${INFRAHUB_API_TOKEN}"', ['    token: "${INFRAHUB_API_TOKEN}"', ...lines].join('\n'));
      await stack.store.put(`configs/${CONFIG_NAME}.yml`, text);
    },
    async trigger(payload) {
      const res = await stack.functions.trigger.invoke(payload);
      if (res.status !== 'ok') throw new Error(`trigger failed (${res.status}): ${res.raw}`);
      return res.payload as { runId: string; loads: number };
    },
    async waitForReport(runId, timeoutMs = 300_000) {
      const ref = { name: CONFIG_NAME, runId };
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const report = await getJson<RunReport>(stack.store, keys.report(ref));
        if (report) return report;
        const error = await stack.store.get(keys.error(ref));
        if (error) throw new Error(`run ${runId} failed: ${error}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`run ${runId} has no report after ${timeoutMs} ms\n${stack.logs().slice(-60).join('\n')}`);
    },
    nodeCounts(models) {
      return Object.fromEntries(models.map((m) => [m, infrahub.nodes(m).length]));
    },
    async stop() {
      await stack.stop();
      await Promise.allSettled([nautobot.stop(), infrahub.stop(), gate.stop()]);
    },
  };
  await scenario.pushConfig();
  return scenario;
}

export async function readPlan(stack: DeployedStack, runId: string): Promise<Plan> {
  const plan = await getJson<Plan>(stack.store, keys.plan({ name: CONFIG_NAME, runId }));
  if (!plan) throw new Error(`run ${runId} has no plan`);
  return plan;
}

/** Creates and deletes per model in a plan. */
export function plannedDelta(plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stage of plan.stages) {
    for (const c of stage.changes) {
      const d = c.action === 'create' ? 1 : c.action === 'delete' ? -1 : 0;
      out[c.model] = (out[c.model] ?? 0) + d;
    }
  }
  return out;
}

/** Runs in the store for the config: run.json, report.json and error.json keys. */
export async function runFiles(stack: DeployedStack): Promise<{ runs: string[]; reports: string[]; errors: string[] }> {
  const all = await stack.store.list(`runs/${CONFIG_NAME}/`);
  const pick = (file: string) => all.filter((k) => k.endsWith(`/${file}`) && k.split('/').length === 4).map((k) => k.split('/')[2] as string);
  return { runs: pick('run.json'), reports: pick('report.json'), errors: pick('error.json') };
}

/** Every model the config maps (the models a plan can touch). */
export function mappedModels(): string[] {
  const text = readFileSync(join(REPO_ROOT, 'configs', CONFIG_NAME, 'config.yml'), 'utf8');
  return [...new Set([...text.matchAll(/^ {2}- name: (\w+)$/gm)].map((m) => m[1] as string))];
}

/**
 * The run ended as planned: one report, every planned change applied and none failed, Infrahub
 * holding exactly the planned number of nodes of every model (nothing lost, nothing created
 * twice), no two nodes of a kind sharing a human-friendly id; and a diff run right after it
 * finds nothing left to do.
 */
export async function expectPlannedState(s: Scenario, runId: string, before: Record<string, number>): Promise<RunReport> {
  const report = await s.waitForReport(runId);
  const plan = await readPlan(s.stack, runId);
  expect(report.status).toBe('succeeded');
  expect(report.failed).toBe(0);
  expect(report.skipped).toBe(0);
  expect(report.applied).toEqual({ create: plan.summary.create, update: plan.summary.update, delete: plan.summary.delete });
  const delta = plannedDelta(plan);
  const after = s.nodeCounts(mappedModels());
  for (const model of mappedModels()) expect({ model, count: after[model] }).toEqual({ model, count: (before[model] ?? 0) + (delta[model] ?? 0) });
  for (const model of mappedModels()) {
    const hfids = s.infrahub.nodes(model).map((n) => JSON.stringify(n.hfid)).filter((h) => h !== 'null' && h !== '[]');
    expect({ model, duplicates: hfids.filter((h, i) => hfids.indexOf(h) !== i) }).toEqual({ model, duplicates: [] });
  }
  const files = await runFiles(s.stack);
  expect(files.reports.filter((r) => r === runId)).toHaveLength(1);
  const check = await s.trigger({ name: CONFIG_NAME, mode: 'diff' });
  const again = await s.waitForReport(check.runId);
  expect(again.planned).toMatchObject({ create: 0, update: 0, delete: 0 });
  return report;
}

/** A Nautobot webhook delivery for a device, signed as Nautobot signs it (X-Hook-Signature:
 *  hex HMAC-SHA512 of the body) with the config's webhook key, as the operator sets it up in
 *  Nautobot from the deployment's webhook secret (docs/deploy.md). */
export function nautobotDelivery(nautobotUrl: string, device: { id: string; name: string }, secret: string, event = 'updated') {
  const key = webhookKey(secret, CONFIG_NAME);
  if (!key) throw new Error(`the webhook secret has no key for ${CONFIG_NAME}`);
  const body = JSON.stringify({
    event,
    timestamp: new Date().toISOString(),
    model: 'device',
    username: 'admin',
    request_id: randomUUID(),
    data: { id: device.id, url: `${nautobotUrl}/api/dcim/devices/${device.id}/`, name: device.name, display: device.name },
    snapshots: { prechange: null, postchange: null, differences: null },
  });
  const signature = createHmac('sha512', Buffer.from(key, 'utf8')).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-hook-signature': signature } };
}
