// Vitest global setup: compiles dist/ from the current sources once before any test, so tests
// that run the installed command (tests/packaging/) run what the sources say, never a stale
// build. esbuild takes well under a second.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [resolve(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
}
