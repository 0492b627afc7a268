import type { ProgressEvent } from '../runtime/steps/index.js';
import { escapeText, escapeValue } from '../escape.js';
import type { CliIO } from './io.js';

const CLEAR_LINE = '\r\x1b[2K';

/** A bar on a terminal, one line per finished phase otherwise (logs, CI). */
export function progressReporter(io: CliIO): (e: ProgressEvent) => void {
  const loads = new Map<string, { n: number; done: boolean }>();
  // Running totals: recounting every load per event made progress quadratic in the models.
  let finished = 0;
  let records = 0;
  let lastDraw = 0;
  // The line clear is ours; the text after it names models and may carry anything.
  const clearLine = () => (io.control ? io.control(CLEAR_LINE) : io.err(CLEAR_LINE));
  const draw = (line: string) => {
    if (!io.isTTY) return;
    const now = Date.now();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    clearLine();
    io.err(escapeText(line));
  };
  const bar = (done: number, total: number) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  };
  return (e) => {
    if (e.phase === 'load') {
      const id = `${e.side}/${e.model}`;
      const before = loads.get(id);
      finished += Number(e.done) - Number(before?.done ?? false);
      records += e.loaded - (before?.n ?? 0);
      loads.set(id, { n: e.loaded, done: e.done });
      // Throttled: building the line for every one of thousands of loads is wasted work.
      if (io.isTTY && Date.now() - lastDraw >= 100) {
        draw(`loading ${e.side} ${escapeValue(e.model)}: ${e.loaded}${e.total ? `/${e.total}` : ''}  (${finished} loads done, ${records} records)`);
      }
      return;
    }
    if (e.phase === 'plan') {
      if (io.isTTY) clearLine();
      const s = e.summary;
      io.err(
        `loaded ${records} records in ${loads.size} loads; plan: create=${s.create} update=${s.update} delete=${s.delete} no-change=${s['no-change']} skip=${s.skip}\n`,
      );
      return;
    }
    draw(`applying stage ${e.stage + 1}/${e.stages} ${bar(e.applied, e.total)}`);
    if (e.applied === e.total) {
      if (io.isTTY) clearLine();
      io.err(`applied ${e.applied} changes\n`);
    }
  };
}
