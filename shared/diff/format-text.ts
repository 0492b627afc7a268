// The human diff, laid out like DiffSync's Diff.str(): models as headings, one line per record,
// one line per differing attribute with the source and destination values side by side.
// Every name and value is escaped (shared/escape.ts): source data must not drive the terminal
// of the reviewer reading this diff, nor hide or fake lines of it.
import { escapeText, escapeValue } from '../escape.js';
import type { Change, Plan, Summary, Value } from './types.js';

export interface TextOptions {
  /** Source system name, e.g. "nautobot". */
  source: string;
  /** Destination system name, e.g. "infrahub". */
  destination: string;
  /** ANSI colours: green create, yellow update, red delete. */
  color?: boolean;
}

const COLORS = { create: '\u001b[32m', update: '\u001b[33m', delete: '\u001b[31m' } as const;
const RESET = '\u001b[0m';

/** Strings as they are (as Python's f-strings print them) but escaped; anything else as JSON. */
function show(value: Value | undefined): string {
  return typeof value === 'string' ? escapeValue(value) : escapeText(JSON.stringify(value ?? null));
}

function changeLines(change: Change, opts: TextOptions): string[] {
  const source = escapeValue(opts.source);
  const destination = escapeValue(opts.destination);
  const head = `  ${escapeValue(change.model)}: ${escapeValue(change.key)}`;
  const lines: string[] = [];
  if (change.action === 'create') {
    lines.push(`${head} MISSING in ${destination}`);
    for (const [name, value] of Object.entries(change.attrs)) {
      lines.push(`    ${escapeValue(name)}    ${source}(${show(value)})`);
    }
  } else if (change.action === 'delete') {
    lines.push(`${head} MISSING in ${source}`);
  } else {
    lines.push(head);
    for (const [name, value] of Object.entries(change.attrs)) {
      lines.push(`    ${escapeValue(name)}    ${source}(${show(value)})    ${destination}(${show(change.previous?.[name])})`);
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

/**
 * Changes grouped under their model, models in the order the plan first touches them, and each
 * model's changes in plan order (its creates and updates, then its deletes).
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
  const lines: string[] = [];
  for (const [model, changes] of byModel) {
    lines.push(escapeValue(model));
    for (const change of changes) lines.push(...changeLines(change, opts));
  }
  if (lines.length === 0) lines.push('(no diffs)');
  lines.push(formatSummary(plan.summary));
  return `${lines.join('\n')}\n`;
}
