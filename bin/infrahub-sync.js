#!/usr/bin/env node
// The installed command: the compiled CLI in dist/ (built by `npm ci` / `npm pack` through `prepare`).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code between runs; Node 20 has no such cache.
module.enableCompileCache?.();
const entry = new URL('../dist/infrahub-sync.js', import.meta.url);
if (existsSync(entry)) {
  await import(entry.href);
} else {
  process.stderr.write('infrahub-sync: dist/ is missing (installed with --ignore-scripts?); run `npm run build` in the package folder\n');
  process.exitCode = 1;
}
