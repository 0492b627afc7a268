import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryObjectStore } from '../../../shared/runtime/local/dir-store.js';
import { markDone } from '../../../shared/runtime/run/fan-in.js';
import type { ObjectStore } from '../../../shared/runtime/ports.js';

async function store(): Promise<DirectoryObjectStore> {
  return new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'fan-in-')));
}

/** Counts list calls and the keys each returned, to show the cost per task stays bounded. */
function counting(inner: ObjectStore): { store: ObjectStore; listed: number[] } {
  const listed: number[] = [];
  return {
    listed,
    store: {
      get: (k) => inner.get(k),
      put: (k, b) => inner.put(k, b),
      putIfAbsent: (k, b) => inner.putIfAbsent(k, b),
      delete: (k) => inner.delete(k),
      list: async (p) => {
        const keys = await inner.list(p);
        listed.push(keys.length);
        return keys;
      },
    },
  };
}

function shuffled(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

describe('markDone (fan-in over a tree of markers)', () => {
  it.each([1, 2, 7, 8, 9, 63, 64, 65, 200])('%i tasks in any order: only the last one sees all done', async (total) => {
    const s = await store();
    const order = shuffled(total, total);
    const seen: boolean[] = [];
    for (const i of order) seen.push(await markDone(s, 'run/loaded/', i, total, 4));
    expect(seen.slice(0, -1).every((x) => !x)).toBe(true);
    expect(seen[seen.length - 1]).toBe(true);
  });

  it('many tasks finishing at once: at least one sees all done', async () => {
    const s = await store();
    const total = 150;
    const results = await Promise.all(Array.from({ length: total }, (_, i) => markDone(s, 'r/', i, total, 8)));
    expect(results.some(Boolean)).toBe(true);
    // A redelivery of any task afterwards also sees all done (and writes nothing twice).
    expect(await markDone(s, 'r/', 17, total, 8)).toBe(true);
  });

  it('a redelivered task climbs again, so a crash half-way up the tree cannot stall the run', async () => {
    const s = await store();
    const total = 16;
    for (let i = 0; i < total - 1; i++) await markDone(s, 'r/', i, total, 4);
    // The last task marks its slot and "crashes" before climbing: simulate with a raw marker.
    await s.putIfAbsent('r/0/3/15', '');
    expect(await markDone(s, 'r/', 15, total, 4)).toBe(true);
  });

  it('lists at most one group per level: the cost per task does not grow with the number of tasks', async () => {
    const { store: s, listed } = counting(await store());
    const total = 1000;
    for (const i of shuffled(total, 3)) await markDone(s, 'r/', i, total, 16);
    expect(Math.max(...listed)).toBeLessThanOrEqual(16);
    // 1,000 tasks, groups of 16: one list per task at the bottom, one per completed group above.
    expect(listed.length).toBeLessThan(total * 1.1);
  });

  it('refuses an index outside the tasks', async () => {
    const s = await store();
    await expect(markDone(s, 'r/', 3, 3)).rejects.toThrow(/outside 0..2/);
  });
});
