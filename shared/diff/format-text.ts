// The human diff, laid out like DiffSync's Diff.str(): models as headings, one line per record,
// one line per differing attribute with the source and destination values side by side.
import { describeRefusals } from './guardrail-verdict.js';
import type { Change, GuardrailVerdict, Plan, Summary, Value } from './types.js';

export interface TextOptions {
  /** Source system name, e.g. "nautobot". */
  source: string;
  /** Destination system name, e.g. "infrahub". */
  destination: string;
  /** ANSI colours: green create, yellow update, red delete. */
  color?: boolean;
  /** false: the guardrail banner and the counts only, no line per change. Default true. */
  changes?: boolean;
}

/**
 * DiffSync names the sides by adapter ("MISSING in infrahub"); when both sides use one adapter
 * that would read "MISSING in file", so they are called source and destination instead.
 */
export function sideNames(config: { source: { name: string }; destination: { name: string } }): Pick<TextOptions, 'source' | 'destination'> {
  return config.source.name === config.destination.name
    ? { source: 'source', destination: 'destination' }
    : { source: config.source.name, destination: config.destination.name };
}

const COLORS = { create: '\u001b[32m', update: '\u001b[33m', delete: '\u001b[31m' } as const;
const RESET = '\u001b[0m';

/** Strings as they are (as Python's f-strings print them); anything else as JSON. */
function show(value: Value | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

function changeLines(change: Change, opts: TextOptions): string[] {
  const head = `  ${change.model}: ${change.key}`;
  const lines: string[] = [];
  if (change.action === 'create') {
    lines.push(`${head} MISSING in ${opts.destination}`);
    for (const [name, value] of Object.entries(change.attrs)) {
      lines.push(`    ${name}    ${opts.source}(${show(value)})`);
    }
  } else if (change.action === 'delete') {
    lines.push(`${head} MISSING in ${opts.source}`);
  } else {
    lines.push(head);
    for (const [name, value] of Object.entries(change.attrs)) {
      lines.push(`    ${name}    ${opts.source}(${show(value)})    ${opts.destination}(${show(change.previous?.[name])})`);
    }
  }
  if (!opts.color) return lines;
  const color = COLORS[change.action];
  return lines.map((l) => `${color}${l}${RESET}`);
}

export function formatSummary(summary: Summary): string {
  return (
    `create=${summary.create} update=${summary.update} delete=${summary.delete} ` +
    `no-change=${summary['no-change']} skip=${summary.skip}`
  );
}

const BANNER = '!!';

/** The guardrail banner: empty when the guardrails have nothing to say about the plan. */
export function formatGuardrailBanner(verdict: GuardrailVerdict | undefined): string[] {
  if (!verdict || (!verdict.refused && !verdict.forced)) return [];
  const head = verdict.refused
    ? `${BANNER} GUARDRAIL: a sync of this plan would be REFUSED (exit 1, nothing written) unless --force:`
    : `${BANNER} GUARDRAIL: this plan deletes more than the guardrails allow; --force applies it anyway:`;
  return [head, ...describeRefusals(verdict).map((l) => `${BANNER}   ${l}`)];
}

/** Counts per model, one row each, in plan order. */
export function formatModelSummary(plan: Plan): string[] {
  const models = plan.models;
  if (!models || Object.keys(models).length === 0) return [];
  const columns = ['create', 'update', 'delete', 'no-change', 'skip'] as const;
  const width = Math.max(5, ...Object.keys(models).map((m) => m.length));
  const row = (name: string, cells: (string | number)[]) =>
    `${name.padEnd(width)}  ${cells.map((c, i) => String(c).padStart((columns[i] as string).length)).join('  ')}`.trimEnd();
  return [row('model', [...columns]), ...Object.entries(models).map(([model, s]) => row(model, columns.map((c) => s[c])))];
}

/**
 * Changes grouped under their model, models in the order the plan first touches them, and each
 * model's changes in plan order (its creates and updates, then its deletes); then the counts per
 * model and in all. A plan the guardrails refuse starts with a banner saying so, repeated last.
 */
export function formatText(plan: Plan, opts: TextOptions): string {
  const byModel = new Map<string, Change[]>();
  for (const stage of plan.stages) {
    for (const change of stage.changes) {
      const list = byModel.get(change.model) ?? [];
      list.push(change);
      byModel.set(change.model, list);
    }
  }
  const banner = formatGuardrailBanner(plan.guardrail);
  const lines: string[] = [...banner];
  if (opts.changes !== false) {
    for (const [model, changes] of byModel) {
      lines.push(model);
      for (const change of changes) lines.push(...changeLines(change, opts));
    }
    if (byModel.size === 0) lines.push('(no diffs)');
  }
  lines.push(...formatModelSummary(plan));
  lines.push(formatSummary(plan.summary));
  if (banner.length > 0) lines.push(`${BANNER} GUARDRAIL: ${plan.guardrail?.refused ? 'a sync of this plan would be refused' : 'forced past the guardrails'} (see the top)`);
  return `${lines.join('\n')}\n`;
}
