// Webhook-scoped runs. The config is cut down to the entries fed by the webhook's endpoint plus
// the entries of every model they reference (loaded in full, so references still resolve), and
// the plan is then cut down to the scoped models: nothing else can change.
import type { LoadedConfig, SchemaMappingEntry } from '../../config/types.js';
import { emptySummary, modelReferences } from '../../diff/index.js';
import type { Plan } from '../../diff/types.js';
import { own, setOwn } from '../../own.js';
import type { RunScope } from './types.js';

export function scopeConfig(loaded: LoadedConfig, scope: RunScope): LoadedConfig {
  const { config } = loaded;
  const scoped = new Set(scope.models);
  const refs = modelReferences(config);
  const needed = new Set(scope.models);
  const stack = [...scope.models];
  while (stack.length > 0) {
    for (const peer of refs.get(stack.pop() as string) ?? []) {
      if (!needed.has(peer)) {
        needed.add(peer);
        stack.push(peer);
      }
    }
  }
  const mappings = new Set(scope.mappings);
  const keep = (e: SchemaMappingEntry) => (scoped.has(e.name) ? mappings.has(e.mapping) : needed.has(e.name));
  const flags = scope.allowDeletes
    ? config.diffsync_flags
    : [...config.diffsync_flags.filter((f) => f !== 'NONE'), 'SKIP_UNMATCHED_DST' as const];
  return {
    ...loaded,
    config: {
      ...config,
      schema_mapping: config.schema_mapping.filter(keep),
      order: config.order.filter((m) => needed.has(m)),
      diffsync_flags: flags,
      // One object loaded, or a deleted one missing, is not an empty source.
      guardrails: { ...config.guardrails, allow_empty_source: true },
    },
  };
}

/** Source ids to load for a model in this run (undefined: all). */
export function scopeIdsFor(scope: RunScope | undefined, model: string): string[] | undefined {
  return scope?.ids && scope.models.includes(model) ? scope.ids : undefined;
}

export function scopePlan(plan: Plan, scope: RunScope): Plan {
  const models = new Set(scope.models);
  const summary = { ...emptySummary(), 'no-change': plan.summary['no-change'], skip: plan.summary.skip };
  const stages = plan.stages
    .map((s) => ({
      ...s,
      changes: s.changes.filter((c) => models.has(c.model) && (scope.allowDeletes || c.action !== 'delete')),
    }))
    .filter((s) => s.changes.length > 0)
    .map((s, index) => ({ ...s, index }));
  for (const s of stages) for (const c of s.changes) summary[c.action]++;
  const scoped: Plan = { ...plan, summary, stages };
  if (plan.models) {
    scoped.models = {};
    for (const [model, counts] of Object.entries(plan.models)) {
      if (models.has(model)) setOwn(scoped.models, model, { ...counts, create: 0, update: 0, delete: 0 });
    }
    for (const s of stages) {
      for (const c of s.changes) {
        const counts = own(scoped.models, c.model);
        if (counts) counts[c.action]++;
      }
    }
  }
  return scoped;
}
