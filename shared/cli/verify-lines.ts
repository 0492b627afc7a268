// The verify after a sync, as text: one line when it converged, else one line per record that did
// not, with each field's written and found value.
import { escapeText, escapeValue } from '../escape.js';
import type { VerifyReport } from '../runtime/steps/index.js';

function show(v: unknown): string {
  return v === null || v === undefined ? 'nothing' : escapeValue(JSON.stringify(v));
}

/** `limit`: records listed before "... and N more" (runs show lists them all). */
export function verifyLines(verify: VerifyReport | undefined, limit = Infinity): string[] {
  if (!verify) return [];
  if (verify.error) return [`verify: not converged: ${escapeText(verify.error)}`];
  if (verify.converged) return [`verify: converged (${verify.checked} record(s) read back)`];
  const lines = [`verify: not converged: ${verify.notConverged.length} change(s) did not stick (${verify.checked} record(s) read back)`];
  for (const n of verify.notConverged.slice(0, limit)) {
    lines.push(`  ${escapeValue(n.model)} ${escapeValue(n.key)}: ${escapeValue(n.message)}`);
    if (n.action === 'update') {
      for (const f of n.fields) lines.push(`    ${escapeValue(f.name)}: wrote ${show(f.expected)}, found ${show(f.actual)}`);
    }
  }
  if (verify.notConverged.length > limit) lines.push(`  ... and ${verify.notConverged.length - limit} more`);
  return lines;
}
