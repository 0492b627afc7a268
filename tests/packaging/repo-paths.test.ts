// Everything the tests, the product and the tooling read is inside the repository: no file names
// a path on the author's machine (an absolute data or home folder) or a relative path that climbs
// out of the repository root (`../shared`, one `../` too many).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['tests', 'shared', 'functions', 'cdk', 'configs', 'bin', 'scripts', 'docs', '.ci'];
const ROOT_FILES = ['README.md', 'package.json', 'cdk.json', 'tsconfig.json', 'vitest.config.ts', 'eslint.config.js'];
// Generated or machine-local folders, all git-ignored.
const SKIP = new Set(['node_modules', 'dist', 'cdk.out', '.runs', '.peers', 'tmp', 'coverage', '.bench-data']);

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

function scannedFiles(): string[] {
  const out = ROOT_FILES.map((f) => join(ROOT, f));
  for (const d of SCANNED) {
    try {
      if (statSync(join(ROOT, d)).isDirectory()) out.push(...files(join(ROOT, d)));
    } catch {
      // a folder this checkout does not have
    }
  }
  return out;
}

// Folders that exist only on some machine: data, home and temporary folders. System locations a
// tool lives in (/usr/bin/env, /dev/null) are not data the project reads. Not after a word, a dot,
// a brace or a slash, so URL paths (http://host/tmp/x) and `${dir}/tmp` do not count.
const ABSOLUTE =
  /(?<![\w.}/$~@%])\/(?:work|home|tmp|root|Users|mnt|media|srv|opt|private|scratch|var\/tmp|var\/folders)(?=[/'"`\s)\]}:,;]|$)|\b[A-Za-z]:\\(?:Users|work|tmp)\b/g;
// Values that look like paths but are not read from this machine, each with its reason.
const ALLOWED: { file: string; text: string; why: string }[] = [
  {
    file: 'tests/standins/infrahub/http-server.ts',
    text: "docs_index_path: '/" + "opt/infrahub/docs/",
    why: "the real Infrahub server's /api/config answer, which the stand-in repeats (a path on that server)",
  },
];

// A run of ../ (or a bare .. before a quote), resolved against the file's own folder.
const PARENT = /(?<![\w.])(?:\.\.\/)+(?:[\w.@-]+\/?)*|(?<![\w./])\.\.(?=['"`])/g;

function outsidePaths(file: string, text: string): string[] {
  const found: string[] = [];
  const where = relative(ROOT, file);
  text.split('\n').forEach((line, i) => {
    if (ALLOWED.some((a) => a.file === where && line.includes(a.text))) return;
    for (const m of line.matchAll(ABSOLUTE)) found.push(`${relative(ROOT, file)}:${i + 1}: absolute path ${m[0]}… in: ${line.trim()}`);
    for (const m of line.matchAll(PARENT)) {
      const target = resolve(dirname(file), m[0]);
      if (target !== ROOT && !target.startsWith(ROOT + sep)) {
        found.push(`${relative(ROOT, file)}:${i + 1}: ${m[0]} leaves the repository (${relative(ROOT, target)}) in: ${line.trim()}`);
      }
    }
  });
  return found;
}

describe('paths in the repository', () => {
  it('no file under tests/, shared/, functions/, cdk/, configs/ (or bin/, scripts/, docs/, .ci/, the root configs) names a path outside the repository', () => {
    const scanned = scannedFiles();
    expect(scanned.length).toBeGreaterThan(200);
    const problems: string[] = [];
    for (const file of scanned) {
      const buf = readFileSync(file);
      if (buf.includes(0)) continue; // binary
      problems.push(...outsidePaths(file, buf.toString('utf8')));
    }
    expect(problems).toEqual([]);
  });

  it('catches the forms that matter and leaves URLs and in-repo paths alone', () => {
    const at = join(ROOT, 'tests/unit/x.test.ts');
    const flagged = (text: string) => outsidePaths(at, text).length;
    // Built from pieces so that this file does not name them itself.
    const up = (n: number) => '../'.repeat(n);
    expect(flagged(`const REF = '/${'work'}/shared/reference';`)).toBe(1);
    expect(flagged(`cp x /${'tmp'}/ds`)).toBe(1);
    expect(flagged(`PEER_DIR="\${PEER_DIR:-/${'home'}/me/peers}"`)).toBe(1);
    expect(flagged(`readFileSync('${up(3)}shared-data/x.json')`)).toBe(1);
    expect(flagged(`import x from '${up(4)}shared/reference/a.js'`)).toBe(1);
    expect(flagged(`C:\\${'Users'}\\me\\x`)).toBe(1);
    expect(flagged("import { main } from '../../shared/cli/main.js';")).toBe(0);
    expect(flagged("resolve(import.meta.dirname, '../..')")).toBe(0);
    expect(flagged("fetch('http://127.0.0.1:8000/tmp/x'); '/api/dcim/devices/'; `${dir}/tmp/a`; '/worker.pid'")).toBe(0);
    expect(flagged('#!/usr/bin/env node; 2>/dev/null')).toBe(0);
  });
});
