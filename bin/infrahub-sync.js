#!/usr/bin/env node
// The installed command: the compiled CLI in dist/ (built by `npm ci` / `npm pack` through `prepare`).
try {
  await import('../dist/infrahub-sync.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('infrahub-sync.js')) throw err;
  process.stderr.write('infrahub-sync: dist/ is missing (installed with --ignore-scripts?); run `npm run build` in the package folder\n');
  process.exitCode = 1;
}
