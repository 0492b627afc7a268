// Refuse plans that would delete too much. Every rule looks only at deletes: an empty source
// with deletes disabled produces no changes at all, which is harmless.
//
// Empty sources are checked per model and per source entry. Several entries may feed one model
// (NetBox tenants, manufacturers and providers into OrganizationGeneric); when one endpoint
// answers an empty list (an outage, or a token that lost view permission: NetBox then lists
// nothing rather than refusing), its records are deleted while the model as a whole looks fine
// and may stay under max_delete_percent. Which destination records came from which entry is
// not recorded anywhere (Infrahub nodes carry no origin, and earlier runs may be pruned or may
// have seen other data), so the rule is this: an entry that loaded no records makes every
// delete of its model suspect, because the records no entry produced (the deletes) are exactly
// where that entry's records would be. A plan that deletes records of a model while one of its
// entries loaded nothing is refused, naming the entry, unless allow_empty_source or --force.
// A model none of whose records would be deleted passes, whatever its entries loaded.
import type { Guardrails } from '../config/types.js';
import { escapeValue } from '../escape.js';
import { GuardrailError } from '../errors.js';
import type { Plan } from './types.js';

export type GuardrailReason = 'max_delete_percent' | 'empty_source' | 'empty_entry';

export interface GuardrailViolation {
  model: string;
  reason: GuardrailReason;
  /** Keys of every record of the model the plan would delete. */
  wouldDelete: string[];
  /** Records of the model in the destination. */
  destination: number;
  /** empty_entry: the source entry that loaded nothing. */
  entry?: EntryCount;
}

/** Raw records one schema_mapping entry loaded from the source. */
export interface EntryCount {
  /** Index in schema_mapping. */
  index: number;
  /** The entry's source path (`dcim.manufacturers`). */
  mapping: string;
  loaded: number;
}

export interface ModelCounts {
  source: number;
  destination: number;
  /** Per source entry of the model, when known (a model fed by one entry needs none). */
  entries?: EntryCount[];
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
    } else if (count && !guardrails.allow_empty_source && (count.entries?.length ?? 0) > 1) {
      // A model fed by one entry is covered by the model rule above.
      for (const entry of count.entries ?? []) {
        if (entry.loaded === 0) violations.push({ model, reason: 'empty_entry', wouldDelete, destination, entry });
      }
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
      : v.reason === 'empty_entry'
        ? `its source entry schema_mapping[${v.entry?.index}] (mapping ${escapeValue(v.entry?.mapping ?? '')}) loaded no records, ` +
          `and these may be that entry's records (allow_empty_source is false)`
        : `${((n / v.destination) * 100).toFixed(1)}% of its ${v.destination} records, above max_delete_percent ${guardrails.max_delete_percent}`;
  const keys = v.wouldDelete.slice(0, SHOWN_KEYS).map(escapeValue).join(', ');
  const more = n > SHOWN_KEYS ? `, and ${n - SHOWN_KEYS} more` : '';
  return `${escapeValue(v.model)}: would delete ${n} record(s), ${why}: ${keys}${more}`;
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
