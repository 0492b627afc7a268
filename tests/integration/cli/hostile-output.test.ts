// Issue 11, case 1: source values carrying terminal escapes, carriage returns, line breaks and
// bidirectional overrides reach the reviewer escaped: text diff, stored diff.txt, runs show,
// progress, warnings, errors; JSON output stays the same JSON.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDemoCopy, runCli } from './cli-harness.js';

// Anything here in output is a character the terminal would act on or hide.
const UNSAFE = /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const CLEAR_LINE = '\r\u001b[2K';

const EVIL_NAME = 'evil\u001b[2K\u001b[1A\rInfraDevice: fake MISSING in destination';
const EVIL_SERIAL = 'ABC\u001b[8mHIDDEN';
const EVIL_DESCRIPTION = 'uplink\r\n  InfraInterfaceL2L3: forged MISSING in source';
const EVIL_TAG = 'core\u202egnp.exe\u200b';

type Row = Record<string, unknown>;
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Row[];

async function hostileDemo(): Promise<string> {
  const dir = await fileDemoCopy();
  const devices = await readJson(join(dir, 'source/dcim.devices.json'));
  (devices[0] as Row).serial = EVIL_SERIAL;
  devices.push({ id: 190, name: EVIL_NAME, serial: 'x', status: { value: 'active' }, location: { id: 11 }, tags: [{ id: 9 }] });
  // Points at a location that is not there: a warning naming its key.
  devices.push({ id: 191, name: 'warn\u001b[2Kme\u202e', serial: null, status: { value: 'active' }, location: { id: 999 }, tags: [] });
  await writeFile(join(dir, 'source/dcim.devices.json'), JSON.stringify(devices));
  const interfaces = await readJson(join(dir, 'source/dcim.interfaces.json'));
  (interfaces[0] as Row).description = EVIL_DESCRIPTION;
  await writeFile(join(dir, 'source/dcim.interfaces.json'), JSON.stringify(interfaces));
  const tags = await readJson(join(dir, 'source/extras.tags.json'));
  tags.push({ id: 9, name: EVIL_TAG, description: '\u001b]0;owned\u0007' });
  await writeFile(join(dir, 'source/extras.tags.json'), JSON.stringify(tags));
  return dir;
}

function expectSafe(text: string): void {
  expect(text.split(CLEAR_LINE).join('')).not.toMatch(UNSAFE);
  // A line break inside a value does not start a line of its own.
  expect(text).not.toMatch(/^\s*(InfraDevice: fake|InfraInterfaceL2L3: forged)/m);
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [])).map(String).sort();
}

describe('hostile source values in human-readable output', () => {
  it('diff, the stored diff.txt and runs show escape them; nothing is written', async () => {
    const dir = await hostileDemo();
    const text = await runCli(['diff', '--config-file', 'config.yml'], { cwd: dir, tty: true });
    expect(text.stderr).not.toMatch(/^error/m);
    expect(text.code).toBe(0);
    expectSafe(text.stdout);
    expectSafe(text.stderr);
    // Visible, as escapes a reviewer can read.
    expect(text.stdout).toContain('InfraDevice: evil\\x1b[2K\\x1b[1A\\rInfraDevice: fake MISSING in destination MISSING in destination');
    expect(text.stdout).toContain('serial    source(abc\\x1b[8mhidden)');
    expect(text.stdout).toContain('description    source(uplink\\r\\n  InfraInterfaceL2L3: forged MISSING in source)');
    expect(text.stdout).toContain('BuiltinTag: core\\u202egnp.exe\\u200b MISSING');
    expect(text.stdout).toContain('description    source(\\x1b]0;owned\\x07)');
    // The many-reference list (JSON) is escaped too.
    expect(text.stdout).toContain('"core\\u202egnp.exe\\u200b"');
    expect(text.stderr).toContain('warning: source: InfraDevice warn\\x1b[2Kme\\u202e: location points at LocationGeneric');

    const runsDir = join(dir, '.runs/runs/file-demo');
    const [runId] = await readdir(runsDir);
    const stored = await readFile(join(runsDir, runId as string, 'diff.txt'), 'utf8');
    expectSafe(stored);
    expect(stored).toContain('abc\\x1b[8mhidden');

    const shown = await runCli(['runs', 'show', runId as string], { cwd: dir });
    expect(shown.code).toBe(0);
    expectSafe(shown.stdout);
    expect(shown.stdout).toContain('abc\\x1b[8mhidden');

    // A diff writes nothing to the destination.
    expect(await listFiles(join(dir, 'destination'))).toEqual([]);
  });

  it('JSON output carries the exact values, as valid JSON with no raw control character', async () => {
    const dir = await hostileDemo();
    const res = await runCli(['diff', '--config-file', 'config.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(UNSAFE);
    const doc = JSON.parse(res.stdout) as { changes: { key: string; attrs: Row }[] };
    expect(doc.changes.find((c) => c.key === EVIL_NAME)).toBeDefined();
    expect(doc.changes.find((c) => c.key === 'par-edge1')?.attrs.serial).toBe(EVIL_SERIAL.toLowerCase());
    expect(doc.changes.find((c) => c.key === `par-edge1__eth0`)?.attrs.description).toBe(EVIL_DESCRIPTION);
    expect(doc.changes.find((c) => c.key === EVIL_TAG)).toBeDefined();
  });

  it('a guardrail refusal names hostile keys escaped, and the refusal writes nothing', async () => {
    const dir = await fileDemoCopy();
    expect((await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir })).code).toBe(0);
    // Four destination devices the source does not have: 4 of 7 deletes, above max_delete_percent 50.
    const file = join(dir, 'destination/InfraDevice.json');
    const devices = await readJson(file);
    for (let i = 0; i < 4; i++) devices.push({ id: `evil-${i}`, name: `${EVIL_NAME}${i}`, serial: EVIL_SERIAL, managed: false, tags: [] });
    await writeFile(file, JSON.stringify(devices));
    const before = await readFile(file, 'utf8');

    const res = await runCli(['sync', '--config-file', 'config.yml'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/refused: guardrails/);
    expectSafe(res.stderr);
    expect(res.stderr).toContain('evil\\x1b[2K\\x1b[1A\\rInfraDevice: fake MISSING in destination0');
    expect(await readFile(file, 'utf8')).toBe(before);

    const list = await runCli(['runs', 'list'], { cwd: dir });
    expectSafe(list.stdout);
    const failed = list.stdout.split('\n').filter((l) => l.includes('error'));
    expect(failed).toHaveLength(1);
  });
});
