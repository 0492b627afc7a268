// The human diff, laid out like DiffSync's Diff.str(): models as headings, one line per record,
// one line per differing attribute with the source and destination values side by side.
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
    // A create that found its node in the destination under another key: written as an update of it.
    lines.push(change.adopts ? `${head} MISSING in ${opts.destination}; its ${change.adopts.by} finds node ${change.adopts.key}, which is updated` : head);
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
    lines.push(model);
    for (const change of changes) lines.push(...changeLines(change, opts));
  }
  if (lines.length === 0) lines.push('(no diffs)');
  lines.push(formatSummary(plan.summary));
  return `${lines.join('\n')}\n`;
}
