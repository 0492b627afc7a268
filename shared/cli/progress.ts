import type { ProgressEvent } from '../runtime/steps/index.js';
import type { CliIO } from './io.js';

/** A bar on a terminal, one line per finished phase otherwise (logs, CI). */
export function progressReporter(io: CliIO): (e: ProgressEvent) => void {
  const loads = new Map<string, { n: number; done: boolean }>();
  let lastDraw = 0;
  const draw = (line: string) => {
    if (!io.isTTY) return;
    const now = Date.now();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    io.err(`\r\x1b[2K${line}`);
  };
  const bar = (done: number, total: number) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  };
  return (e) => {
    if (e.phase === 'load') {
      loads.set(`${e.side}/${e.model}`, { n: e.loaded, done: e.done });
      const finished = [...loads.values()].filter((l) => l.done).length;
      const records = [...loads.values()].reduce((a, l) => a + l.n, 0);
      draw(`loading ${e.side} ${e.model}: ${e.loaded}${e.total ? `/${e.total}` : ''}  (${finished} loads done, ${records} records)`);
      return;
    }
    if (e.phase === 'plan') {
      if (io.isTTY) io.err('\r\x1b[2K');
      const records = [...loads.values()].reduce((a, l) => a + l.n, 0);
      const s = e.summary;
      io.err(
        `loaded ${records} records in ${loads.size} loads; plan: create=${s.create} update=${s.update} delete=${s.delete} no-change=${s['no-change']} skip=${s.skip}\n`,
      );
      return;
    }
    draw(`applying stage ${e.stage + 1}/${e.stages} ${bar(e.applied, e.total)}`);
    if (e.applied === e.total) {
      if (io.isTTY) io.err('\r\x1b[2K');
      io.err(`applied ${e.applied} changes\n`);
    }
  };
}
