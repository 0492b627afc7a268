// Starts a run. Accepts:
//   on-demand invoke:        { "name": "<config>", "mode": "diff" | "sync", "branch"?: "...", "force"?: bool }
//   EventBridge Scheduler:   the schedule's Input, same shape plus "kind": "schedule"
//                            (e.g. Input = {"kind":"schedule","name":"nautobot","mode":"sync"})
//   EventBridge rule event:  { "detail-type": "Scheduled Event", "source": "aws.events", "detail": { name, mode, ... } }
// Returns { runId, name, mode, loads }.
import { z } from 'zod';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { startRun } from '../shared/runtime/run/start.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-trigger');

const request = z.object({
  kind: z.enum(['invoke', 'schedule']).optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  mode: z.enum(['diff', 'sync']).default('sync'),
  branch: z.string().min(1).optional(),
  force: z.boolean().optional(),
});

const ruleEvent = z.object({ 'detail-type': z.string(), source: z.string(), detail: request });

export type TriggerRequest = z.input<typeof request>;

export function parseTriggerEvent(event: unknown): z.infer<typeof request> & { kind: 'invoke' | 'schedule' } {
  const rule = ruleEvent.safeParse(event);
  if (rule.success) return { ...rule.data.detail, kind: 'schedule' };
  const direct = request.parse(event);
  return { ...direct, kind: direct.kind ?? 'invoke' };
}

export const handler = async (event: unknown) => {
  const req = parseTriggerEvent(event);
  try {
    const loaded = await rt.loadConfig(req.name);
    if (!loaded) throw new Error(`no config named ${req.name} (expected configs/${req.name}.yml in the bucket)`);
    const run = await startRun(rt.deps, {
      loaded,
      mode: req.mode,
      branch: req.branch,
      force: req.force,
      trigger: { kind: req.kind },
      batchSize: rt.batchSize,
    });
    rt.logger.info('run triggered', { runId: run.runId, name: run.name, mode: run.mode, kind: req.kind });
    return { runId: run.runId, name: run.name, mode: run.mode, loads: run.loads.length };
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
