// The machine-readable diff printed by `diff --json` and stored next to the plan.
import type { Action, GuardrailVerdict, Plan, Summary, Value } from './types.js';

export interface JsonDiff {
  summary: Summary;
  changes: {
    action: Action;
    model: string;
    key: string;
    attrs: Record<string, Value>;
    /** Destination values that differ (update) or all destination attrs (delete); null for a create. */
    previous: Record<string, Value> | null;
  }[];
  warnings: unknown[];
  /** Counts per model, in plan order. */
  models?: Record<string, Summary>;
  /** The guardrails' verdict: whether a sync refuses this plan, and per model what it deletes. */
  guardrail?: GuardrailVerdict;
}

export function formatJson(plan: Plan, warnings: unknown[]): JsonDiff {
  const { create, update, delete: del, skip } = plan.summary;
  return {
    summary: { create, update, delete: del, 'no-change': plan.summary['no-change'], skip },
    changes: plan.stages.flatMap((stage) =>
      stage.changes.map((c) => ({
        action: c.action,
        model: c.model,
        key: c.key,
        attrs: c.attrs,
        previous: c.previous ?? null,
      })),
    ),
    warnings,
    ...(plan.models ? { models: plan.models } : {}),
    ...(plan.guardrail ? { guardrail: plan.guardrail } : {}),
  };
}
