import { escapeValue } from '../../escape.js';
import type { FailureEntry } from '../../runtime/steps/index.js';

/** `  failed create InfraDevice atl1-edge1: <server message>`, one line whatever the key or the
 *  server's message holds (a message may quote the value the server refused). */
export function failureLine(what: 'failed' | 'skipped' | 'found existing', f: FailureEntry): string {
  return `  ${what} ${f.action} ${escapeValue(f.model)} ${escapeValue(f.key)}: ${escapeValue(f.message)}`;
}
