#!/usr/bin/env node
// Compiles the CLI (shared/cli/bin.ts and everything it imports from shared/) into dist/, so the
// installed command runs plain JavaScript. Run by `npm ci` and `npm pack` through `prepare`.
// Our code is bundled; dependencies stay imports, resolved from node_modules as usual. Each
// dynamic import (commands, adapters, the AWS SDK) becomes its own chunk, loaded only when used.
//
//   node scripts/build.js [--outdir DIR] [--metafile FILE]
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' } } });
const outdir = resolve(values.outdir ?? resolve(root, 'dist'));

// A clean folder: chunk names carry hashes, and stale chunks would otherwise ship in the package.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { 'infrahub-sync': 'shared/cli/bin.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  // Readable output: stack traces in bug reports then point at recognisable code.
  minify: false,
  legalComments: 'none',
  metafile: Boolean(values.metafile),
  logLevel: 'warning',
});
if (values.metafile) {
  mkdirSync(dirname(resolve(values.metafile)), { recursive: true });
  writeFileSync(resolve(values.metafile), JSON.stringify(result.metafile));
}
