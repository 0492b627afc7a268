// Starts a run. Accepts:
//   on-demand invoke:        { "name": "<config>", "mode": "diff" | "sync", "branch"?: "...", "force"?: bool,
//                              "plan"?: "<runId of a reviewed diff>" (sync only: apply that plan or nothing) }
//   EventBridge Scheduler:   the schedule's Input, same shape plus "kind": "schedule"
//                            (e.g. Input = {"kind":"schedule","name":"nautobot","mode":"sync"})
//   EventBridge rule event:  { "detail-type": "Scheduled Event", "source": "aws.events", "detail": { name, mode, ... } }
// Returns { runId, name, mode, loads }. One sync of a config at a time: a sync started while
// another is unfinished is refused (RunInProgressError) and writes nothing; a schedule that
// fires then is skipped with a warning instead (the next one will run), so routine overlap
// raises no error alarm.
import { z } from 'zod';
import { isValidName, NAME_RULE } from '../shared/config/names.js';
import { awsRuntimeFromEnv } from '../shared/runtime/aws/runtime-from-env.js';
import { RunInProgressError } from '../shared/runtime/run/lock.js';
import { reviewedPlan } from '../shared/runtime/run/reviewed.js';
import { startRun } from '../shared/runtime/run/start.js';

const rt = awsRuntimeFromEnv(process.env, 'infrahub-sync-trigger');

const request = z.object({
  kind: z.enum(['invoke', 'schedule']).optional(),
  name: z.string().refine(isValidName, { message: NAME_RULE }),
  mode: z.enum(['diff', 'sync']).default('sync'),
  branch: z.string().min(1).optional(),
  force: z.boolean().optional(),
  plan: z.string().regex(/^[A-Za-z0-9-]+$/).optional(),
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
    if (req.plan !== undefined && req.mode !== 'sync') throw new Error('"plan" binds a sync to a reviewed plan; use mode "sync"');
    const reviewed = req.plan !== undefined ? await reviewedPlan(rt.deps.store, req.name, req.plan) : undefined;
    let run;
    try {
      run = await startRun(rt.deps, {
        loaded,
        mode: req.mode,
        branch: req.branch ?? reviewed?.branch,
        expectPlan: reviewed?.expect,
        force: req.force,
        trigger: { kind: req.kind },
        batchSize: rt.batchSize,
        exclusive: true,
      });
    } catch (err) {
      if (!(err instanceof RunInProgressError) || req.kind !== 'schedule') throw err;
      rt.logger.warn('scheduled run skipped', { name: req.name, activeRunId: err.activeRunId, reason: err.message });
      return { skipped: true, name: req.name, mode: req.mode, activeRunId: err.activeRunId, reason: err.message };
    }
    rt.logger.info('run triggered', { runId: run.runId, name: run.name, mode: run.mode, kind: req.kind });
    return { runId: run.runId, name: run.name, mode: run.mode, loads: run.loads.length };
  } finally {
    rt.metrics.publishStoredMetrics();
  }
};
