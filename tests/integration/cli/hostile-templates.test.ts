// Issue 11, problems 2 and 3, through the CLI on the file adapter: hostile templates, regexes and
// field names end in a clear failure of the record (or a refused config) with nothing written
// and no run left marked running, or, for field names, simply work.
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>[];

/** The file demo with its InfraDevice transform replaced by `expression`. */
async function demoWithTransform(expression: string): Promise<string> {
  const dir = await fileDemoCopy();
  const file = join(dir, 'config.yml');
  const text = await readFile(file, 'utf8');
  const before = `expression: "{{ serial.lower() if serial else '' }}"`;
  expect(text).toContain(before);
  await writeFile(file, text.replace(before, `expression: ${JSON.stringify(expression)}`));
  return dir;
}

async function runStatuses(dir: string): Promise<string[]> {
  const list = await runCli(['runs', 'list', '--format', 'json'], { cwd: dir });
  return (JSON.parse(list.stdout) as { status: string }[]).map((r) => r.status);
}

async function destinationFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'destination')).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
}

describe('hostile templates through the CLI', () => {
  it('fails the record on range(1000000000) instead of exhausting the heap; nothing is written, the run ends failed', async () => {
    const dir = await demoWithTransform('{{ range(1000000000) | list | length }}');
    const sync = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      "InfraDevice: transform of 'serial_lower' failed on record 100: range() of 1000000000 items is over the limit of 100000",
    );
    expect(sync.stderr).toContain('(schema_mapping[2].transforms[0].expression)');
    expect(await destinationFiles(dir)).toEqual([]);
    expect(await runStatuses(dir)).toEqual(['error']);
  });

  it('fails the record on `name.__proto__` rather than writing an engine object', async () => {
    const dir = await demoWithTransform('{{ name.__proto__ }}');
    const sync = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      "failed on record 100: variable 'name.__proto__' is undefined ('name' (str) has no attribute '__proto__')",
    );
    expect(await destinationFiles(dir)).toEqual([]);
    expect(await runStatuses(dir)).toEqual(['error']);
  });

  it('refuses `| constructor`, `is constructor` and a syntax error in validate, at file:line:column, and diff runs nothing', async () => {
    for (const [expression, message, column] of [
      // The expression's quote is at column 21 of line 51; the column is the offending character's.
      ['{{ name | constructor }}', "template error: no filter named 'constructor'", 32],
      ['{{ name is constructor }}', "template error: no test named 'constructor'", 33],
      ['{{ name.lower( }}', "template error: unexpected end of template, expected '}}'", 24],
      ['{% if serial %}{{ serial }}', "template error: missing 'endif'", 22],
    ] as const) {
      const dir = await demoWithTransform(expression);
      const validate = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
      expect(validate.code).toBe(2);
      expect(validate.stderr).toContain(`config.yml:51:${column}: schema_mapping[2].transforms[0].expression: ${message}`);
      const diff = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir });
      expect(diff.code).toBe(2);
      expect(diff.stderr).toContain(message);
      expect(await destinationFiles(dir)).toEqual([]);
      expect(await runStatuses(dir)).toEqual([]);
    }
  });
});

describe('regex filters through the CLI', () => {
  it('runs ^(a+)+$ against long hostile values in linear time and filters as re.match does', async () => {
    const dir = await fileDemoCopy();
    const devices = await readJson(join(dir, 'source/dcim.devices.json'));
    devices.push(
      { ...devices[0], id: 200, name: 'a'.repeat(41) },
      { ...devices[0], id: 201, name: `${'a'.repeat(41)}!` },
      { ...devices[0], id: 202, name: `${'a'.repeat(100_000)}!` },
    );
    await writeFile(join(dir, 'source/dcim.devices.json'), JSON.stringify(devices));
    const file = join(dir, 'config.yml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('        value: decommissioning', '        value: decommissioning\n      - { field: name, operation: regex, value: "^(a+)+$" }'));

    const started = Date.now();
    const sync = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    // A backtracking engine took over 120 s on the 41-character value alone.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(sync.stderr).not.toMatch(/^error/m);
    expect(sync.code).toBe(0);
    const written = await readJson(join(dir, 'destination/InfraDevice.json'));
    expect(written.map((d) => d.name)).toEqual(['a'.repeat(41)]);
  });

  it('refuses a backreference in validate with the reason and its position', async () => {
    const dir = await fileDemoCopy();
    const file = join(dir, 'config.yml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('        value: decommissioning', '        value: decommissioning\n      - { field: name, operation: regex, value: "(?P<s>a)(?P=s)" }'));
    const validate = await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(
      /config\.yml:49:49: schema_mapping\[2\]\.filters\[1\]\.value: InfraDevice: filter on 'name' \(regex\): invalid regular expression: backreferences such as \(\?P=name\) cannot be matched in linear time/,
    );
  });
});

describe('field names and identifiers that are prototype member names', () => {
  const CONFIG = `name: proto-names
source: { name: file, settings: { path: ./source } }
destination: { name: file, settings: { path: ./destination } }
order: ["BuiltinTag", "InfraDevice"]
schema_mapping:
  - name: BuiltinTag
    mapping: tags
    identifiers: ["__proto__"]
    fields:
      - { name: __proto__, mapping: name }
      - { name: constructor, mapping: description }
      - { name: toString, mapping: kind }
  - name: InfraDevice
    mapping: devices
    identifiers: ["name"]
    transforms:
      - { field: hasOwnProperty, expression: "{{ __proto__ ~ '/' ~ constructor.name }}" }
    fields:
      - { name: name, mapping: name }
      - { name: hasOwnProperty, mapping: hasOwnProperty }
      - { name: tags, mapping: tags, reference: BuiltinTag }
`;
  const TAGS = [
    { id: 1, name: 'constructor', description: 'first', kind: 'a' },
    { id: 2, name: '__proto__', description: 'second', kind: 'b' },
    { id: 3, name: 'toString', description: 'third', kind: 'c' },
  ];
  // JSON text: in an object literal, `__proto__:` would set the prototype instead of a field.
  const DEVICES = `[
    {"id": 10, "name": "d1", "__proto__": "x", "constructor": {"name": "y"}, "tags": [{"id": 2}, {"id": 1}]},
    {"id": 11, "name": "d2", "__proto__": "z", "constructor": {"name": "w"}, "tags": [{"id": 3}]}
  ]`;

  it('keeps them as fields end to end: created once, then no changes, updates land on the right record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proto-names-'));
    await mkdir(join(dir, 'source'));
    await mkdir(join(dir, 'destination'));
    await writeFile(join(dir, 'config.yml'), CONFIG);
    await writeFile(join(dir, 'source/tags.json'), JSON.stringify(TAGS));
    await writeFile(join(dir, 'source/devices.json'), DEVICES);

    expect((await runCli(['validate', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    const first = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(first.stderr).not.toMatch(/^(error|warning)/m);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).summary).toMatchObject({ create: 5, update: 0, delete: 0 });

    const tags = await readJson(join(dir, 'destination/BuiltinTag.json'));
    const rows = tags.map((t) => [Object.hasOwn(t, '__proto__') ? t['__proto__'] : 'MISSING', t.constructor, t.toString]);
    expect(rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['constructor', 'first', 'a'],
      ['__proto__', 'second', 'b'],
      ['toString', 'third', 'c'],
    ]);
    for (const t of tags) expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    const devices = await readJson(join(dir, 'destination/InfraDevice.json'));
    expect(devices.map((d) => [d.name, d.hasOwnProperty, d.tags])).toEqual([
      ['d1', 'x/y', ['__proto__', 'constructor']],
      ['d2', 'z/w', ['toString']],
    ]);

    for (let run = 0; run < 2; run++) {
      const again = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, 'no-change': 5 });
    }
    expect(await readJson(join(dir, 'destination/BuiltinTag.json'))).toHaveLength(3);

    const changed = TAGS.map((t) => (t.name === '__proto__' ? { ...t, description: 'renamed' } : t));
    await writeFile(join(dir, 'source/tags.json'), JSON.stringify(changed));
    const update = await runCli(['sync', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(update.code).toBe(0);
    const doc = JSON.parse(update.stdout);
    expect(doc.summary).toMatchObject({ create: 0, update: 1, delete: 0 });
    expect(doc.changes[0]).toMatchObject({ model: 'BuiltinTag', key: '__proto__', attrs: { constructor: 'renamed' } });
    const after = await readJson(join(dir, 'destination/BuiltinTag.json'));
    expect(after).toHaveLength(3);
    expect(after.find((t) => t['__proto__'] === '__proto__')?.constructor).toBe('renamed');
    const last = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(last.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });
});
