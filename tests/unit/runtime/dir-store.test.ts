import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { getJson, putJson } from '../../../shared/runtime/ports.js';

async function store() {
  return new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'store-')));
}

describe('DirectoryObjectStore', () => {
  it('puts, gets, lists by prefix (sorted, no temp files) and deletes', async () => {
    const s = await store();
    await putJson(s, 'runs/demo/r1/run.json', { a: 1 });
    await s.put('runs/demo/r1/snapshots/source/Device.json', '[]');
    await s.put('runs/demo/r2/run.json', '{}');
    await s.put('runs/demo-2/r3/run.json', '{}');
    expect(await getJson(s, 'runs/demo/r1/run.json')).toEqual({ a: 1 });
    expect(await s.list('runs/demo/')).toEqual([
      'runs/demo/r1/run.json',
      'runs/demo/r1/snapshots/source/Device.json',
      'runs/demo/r2/run.json',
    ]);
    expect(await s.list('runs/demo')).toHaveLength(4);
    expect(await s.list('nothing/')).toEqual([]);
    await s.delete('runs/demo/r2/run.json');
    await s.delete('runs/demo/r2/run.json');
    expect(await s.get('runs/demo/r2/run.json')).toBeUndefined();
    expect(await readdir(join(s.root, '.tmp'))).toEqual([]);
  });

  it('putIfAbsent: exactly one of many concurrent callers wins, and the winner’s body stays', async () => {
    const s = await store();
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => s.putIfAbsent('claims/diff', String(i))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await s.get('claims/diff')).toBe(String(wins.indexOf(true)));
  });

  it('putIfAbsent of an empty object (a fan-in marker): exactly one of many concurrent callers wins', async () => {
    const s = await store();
    const wins = await Promise.all(Array.from({ length: 20 }, () => s.putIfAbsent('loaded/0/0/7', '')));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await s.get('loaded/0/0/7')).toBe('');
    expect(await s.list('loaded/')).toEqual(['loaded/0/0/7']);
  });

  it('empty objects are links to one empty file (no inode each), and a missing or non-empty one is replaced', async () => {
    const s = await store();
    expect(await s.putIfAbsent('loaded/0/0/1', '')).toBe(true);
    expect(await s.putIfAbsent('loaded/0/0/2', '')).toBe(true);
    expect(await s.putIfAbsent('loaded/0/0/2', '')).toBe(false);
    const inode = async (key: string) => (await stat(join(s.root, ...key.split('/')))).ino;
    expect(await inode('loaded/0/0/2')).toBe(await inode('loaded/0/0/1'));
    expect(await s.list('')).toEqual(['loaded/0/0/1', 'loaded/0/0/2']);

    // Removed under a running store: the next marker makes a new one.
    await rm(join(s.root, '.tmp', 'empty'));
    expect(await s.putIfAbsent('loaded/0/0/3', '')).toBe(true);
    // Replaced by a file with content (another store version, a stray copy): a fresh store does
    // not link to it.
    const stray = join(s.root, 'stray');
    await writeFile(stray, 'not empty');
    await rename(stray, join(s.root, '.tmp', 'empty'));
    const again = new DirectoryObjectStore(s.root);
    expect(await again.putIfAbsent('loaded/0/0/4', '')).toBe(true);
    for (const k of ['loaded/0/0/1', 'loaded/0/0/2', 'loaded/0/0/3', 'loaded/0/0/4']) expect(await again.get(k)).toBe('');
    await again.delete('loaded/0/0/1');
    expect(await again.get('loaded/0/0/2')).toBe('');
    expect(await again.get('loaded/0/0/1')).toBeUndefined();
  });

  it('lists keys in the order of a plain sort, also where a folder name and a file name share a start', async () => {
    const s = await store();
    const keys = ['p/ba', 'p/b-c', 'p/b/x', 'p/b.json', 'p/a/b/c', 'p/a-', 'p/a0/z', 'p/B', 'p/\u00e9', 'p/b/x-y/1', 'p/b/x.y', 'p/10', 'p/9', 'q/1'];
    for (const k of [...keys].reverse()) await s.put(k, k);
    const expected = keys.filter((k) => k.startsWith('p/')).sort();
    expect(await s.list('p/')).toEqual(expected);
    expect(await s.list('p/b')).toEqual(expected.filter((k) => k.startsWith('p/b')));
    expect(await s.list('')).toEqual([...keys].sort());
  });

  it('get: a missing key, a folder, or a key under a file is undefined', async () => {
    const s = await store();
    await s.put('a/b', '1');
    expect(await s.get('a/c')).toBeUndefined();
    expect(await s.get('a')).toBeUndefined();
    expect(await s.get('a/b/c')).toBeUndefined();
    expect(await s.get('a/b')).toBe('1');
  });

  it('refuses keys that would escape the root', async () => {
    const s = await store();
    await expect(s.put('../x', '1')).rejects.toThrow(/invalid key/);
    await expect(s.get('a//b')).rejects.toThrow(/invalid key/);
    await expect(s.list('runs/../../')).rejects.toThrow(/invalid prefix/);
    await expect(s.list('/etc/')).rejects.toThrow(/invalid prefix/);
  });
});
