// Compiles the CLI (shared/cli/bin.ts and everything it imports from shared/) into dist/, so the
// installed command runs plain JavaScript. Run by `npm ci` and `npm pack` through `prepare`.
//
// Each dynamic import (commands, adapters, the AWS SDK) becomes its own chunk, loaded only when
// used. The packages in `dependencies` stay imports, resolved from node_modules. BUNDLED ones are
// compiled in: every command that reads a config loads them, and as some 180 separate module
// files they cost about a third of a file-to-file diff's start-up. Their licences go to
// dist/THIRD-PARTY-LICENSES.md. Any other package import fails the build.
//
//   node scripts/build.js [--outdir DIR] [--metafile FILE]
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const BUNDLED = ['zod', 'yaml'];

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const { values } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(root, 'dist'));

/** `@aws-sdk/client-s3/x` -> `@aws-sdk/client-s3`, `zod/v4` -> `zod`. */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

const packagePolicy = {
  name: 'package-policy',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (args.path.startsWith('node:') || builtinModules.includes(name) || dependencies.includes(name)) return { external: true };
      // A bundled package's own imports are bundled with it.
      if (BUNDLED.includes(name) || args.importer.includes(join('node_modules', ''))) return undefined;
      return { errors: [{ text: `${args.importer} imports "${name}", which is neither in package.json dependencies nor bundled (scripts/build.js BUNDLED)` }] };
    });
  },
};

// Built into a fresh folder and swapped in whole: chunk names carry hashes, so stale chunks would
// otherwise ship in the package, and a CLI started during a build never sees half a dist/.
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { 'infrahub-sync': 'shared/cli/bin.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [packagePolicy],
  // Bundled CommonJS (yaml) calls require() for Node built-ins; ES module output has none.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // Readable output: stack traces in bug reports then point at recognisable code.
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// The licence of every package compiled into dist/, as their licences require.
const bundled = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m && !bundled.has(m[1])) bundled.set(m[1], join(root, 'node_modules', m[1]));
}
const notices = [...bundled].sort().map(([name, dir]) => {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (!file) throw new Error(`${name} is compiled into dist/ but has no licence file to ship with it`);
  return `## ${name} ${meta.version} (${meta.license})\n\n${readFileSync(join(dir, file), 'utf8').trim()}\n`;
});
writeFileSync(join(staging, 'THIRD-PARTY-LICENSES.md'), `# Third-party code compiled into dist/\n\n${notices.join('\n')}`);
if (!existsSync(join(staging, 'infrahub-sync.js'))) throw new Error('the build produced no infrahub-sync.js');

const old = `${outdir}.old-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, { recursive: true, force: true });

if (values.metafile) {
  mkdirSync(dirname(resolve(values.metafile)), { recursive: true });
  writeFileSync(resolve(values.metafile), JSON.stringify(result.metafile));
}
