// Refuse plans that would delete too much. Both rules look only at deletes: an empty source
// with deletes disabled produces no changes at all, which is harmless.
import type { Guardrails } from '../config/types.js';
import { GuardrailError } from '../errors.js';
import type { Plan } from './types.js';

export type GuardrailReason = 'max_delete_percent' | 'empty_source';

export interface GuardrailViolation {
  model: string;
  reason: GuardrailReason;
  /** Keys of every record of the model the plan would delete. */
  wouldDelete: string[];
  /** Records of the model in the destination. */
  destination: number;
}

export interface ModelCounts {
  source: number;
  destination: number;
}

const SHOWN_KEYS = 20;

export function checkGuardrails(
  plan: Plan,
  counts: Map<string, ModelCounts>,
  guardrails: Guardrails,
): GuardrailViolation[] {
  const deletes = new Map<string, string[]>();
  for (const stage of plan.stages) {
    if (stage.action !== 'delete') continue;
    for (const change of stage.changes) {
      const keys = deletes.get(change.model) ?? [];
      keys.push(change.key);
      deletes.set(change.model, keys);
    }
  }
  const violations: GuardrailViolation[] = [];
  for (const [model, wouldDelete] of deletes) {
    const count = counts.get(model);
    // Deletes come from destination records, so an unknown count is at least the deletes.
    const destination = Math.max(count?.destination ?? 0, wouldDelete.length);
    if (count && count.source === 0 && destination > 0 && !guardrails.allow_empty_source) {
      violations.push({ model, reason: 'empty_source', wouldDelete, destination });
    }
    if ((wouldDelete.length / destination) * 100 > guardrails.max_delete_percent) {
      violations.push({ model, reason: 'max_delete_percent', wouldDelete, destination });
    }
  }
  return violations;
}

function describe(v: GuardrailViolation, guardrails: Guardrails): string {
  const n = v.wouldDelete.length;
  const why =
    v.reason === 'empty_source'
      ? `the source returned no records (allow_empty_source is false)`
      : `${((n / v.destination) * 100).toFixed(1)}% of its ${v.destination} records, above max_delete_percent ${guardrails.max_delete_percent}`;
  const keys = v.wouldDelete.slice(0, SHOWN_KEYS).join(', ');
  const more = n > SHOWN_KEYS ? `, and ${n - SHOWN_KEYS} more` : '';
  return `${v.model}: would delete ${n} record(s), ${why}: ${keys}${more}`;
}

/** Throws a GuardrailError listing every violation; the caller skips this under --force. */
export function assertGuardrails(
  plan: Plan,
  counts: Map<string, ModelCounts>,
  guardrails: Guardrails,
): void {
  const violations = checkGuardrails(plan, counts, guardrails);
  if (violations.length === 0) return;
  const lines = violations.map((v) => `  ${describe(v, guardrails)}`);
  throw new GuardrailError(
    `guardrails refused plan ${plan.checksum.slice(0, 12)} of ${plan.config}:\n${lines.join('\n')}\n` +
      'Nothing was changed. Re-run with --force to apply it anyway.',
    violations.map((v) => ({
      model: v.model,
      reason: describe(v, guardrails),
      wouldDelete: v.wouldDelete,
    })),
  );
}
