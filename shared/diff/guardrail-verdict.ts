// The guardrails' verdict on a plan, computed for every plan: a diff shows it (and never fails
// because of it), a sync refuses a refused plan unless --force.
import type { Guardrails } from '../config/types.js';
import { GuardrailError } from '../errors.js';
import { checkGuardrails, type ModelCounts } from './guardrails.js';
import type { GuardrailModelVerdict, GuardrailVerdict, Plan } from './types.js';

const SHOWN_KEYS = 20;

export function guardrailVerdict(
  plan: Plan,
  counts: Map<string, ModelCounts>,
  guardrails: Guardrails,
  opts: { force?: boolean } = {},
): GuardrailVerdict {
  const violations = checkGuardrails(plan, counts, guardrails);
  const models = new Map<string, GuardrailModelVerdict>();
  for (const stage of plan.stages) {
    if (stage.action !== 'delete') continue;
    for (const change of stage.changes) {
      let m = models.get(change.model);
      if (!m) {
        const count = counts.get(change.model);
        m = {
          model: change.model,
          refused: false,
          rules: [],
          delete: 0,
          source: count?.source ?? 0,
          destination: count?.destination ?? 0,
          percent: 0,
          keys: [],
        };
        models.set(change.model, m);
      }
      m.delete++;
      m.keys.push(change.key);
    }
  }
  for (const m of models.values()) {
    // Deletes come from destination records, so an unknown count is at least the deletes.
    m.destination = Math.max(m.destination, m.delete);
    m.percent = Math.round((m.delete / m.destination) * 1000) / 10;
  }
  for (const v of violations) {
    const m = models.get(v.model);
    if (!m) continue;
    m.refused = true;
    if (!m.rules.includes(v.reason)) m.rules.push(v.reason);
  }
  const refusedAny = [...models.values()].some((m) => m.refused);
  return {
    refused: refusedAny && !opts.force,
    forced: refusedAny && Boolean(opts.force),
    max_delete_percent: guardrails.max_delete_percent,
    allow_empty_source: guardrails.allow_empty_source,
    models: [...models.values()],
  };
}

/** One line per refused model: what it would delete and which rule stops it. */
export function describeRefusals(verdict: GuardrailVerdict): string[] {
  return verdict.models
    .filter((m) => m.refused)
    .map((m) => {
      const why = m.rules
        .map((r) =>
          r === 'empty_source'
            ? 'the source returned no records (allow_empty_source is false)'
            : `${m.percent.toFixed(1)}% of its ${m.destination} records, above max_delete_percent ${verdict.max_delete_percent}`,
        )
        .join('; ');
      const shown = m.keys.slice(0, SHOWN_KEYS).join(', ');
      const more = m.keys.length > SHOWN_KEYS ? `, and ${m.keys.length - SHOWN_KEYS} more` : '';
      return `${m.model}: would delete ${m.delete} record(s), ${why}: ${shown}${more}`;
    });
}

/** The warning a diff carries when a sync of its plan would be refused (or is forced). */
export function guardrailWarning(verdict: GuardrailVerdict): string | undefined {
  if (!verdict.refused && !verdict.forced) return undefined;
  const models = verdict.models.filter((m) => m.refused).map((m) => `${m.model} (${m.delete} of ${m.destination})`);
  return verdict.forced
    ? `guardrail: the plan deletes more than the guardrails allow from ${models.join(', ')}; --force applies it anyway`
    : `guardrail: a sync of this plan would be refused: it deletes more than the guardrails allow from ${models.join(', ')}; ` +
        'diff writes nothing; sync needs --force to apply it';
}

/** The refusal a sync ends with (exit 1, nothing written). */
export function guardrailError(plan: Plan, verdict: GuardrailVerdict, runId?: string): GuardrailError {
  const described = describeRefusals(verdict);
  const lines = described.map((l) => `  ${l}`);
  const see = runId ? ` The whole plan: \`infrahub-sync runs show ${runId}\` (or \`infrahub-sync diff\`).` : '';
  return new GuardrailError(
    `guardrails refused plan ${plan.checksum.slice(0, 12)} of ${plan.config}:\n${lines.join('\n')}\n` +
      `Nothing was changed.${see} Re-run with --force to apply it anyway.`,
    verdict.models
      .filter((m) => m.refused)
      .map((m, i) => ({ model: m.model, reason: described[i] as string, wouldDelete: m.keys })),
  );
}
