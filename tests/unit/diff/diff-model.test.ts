import { describe, expect, it } from 'vitest';
import { diffModel } from '../../../shared/diff/diff-model.js';
import { resolveFlags } from '../../../shared/diff/flags.js';
import { DuplicateKeyError } from '../../../shared/errors.js';
import type { DiffSyncFlag } from '../../../shared/config/types.js';
import { rec } from './factories.js';

const M = 'InfraDevice';
// One record of each kind: a, b unchanged-or-updated, c only in source, d only in destination.
const source = [
  rec(M, 'a', { description: 'same', status: 'active' }, 'src-a'),
  rec(M, 'b', { description: 'new', status: 'active' }, 'src-b'),
  rec(M, 'c', { description: 'created', status: 'planned' }, 'src-c'),
];
const destination = [
  rec(M, 'a', { description: 'same', status: 'active' }, 'node-a'),
  rec(M, 'b', { description: 'old', status: 'active' }, 'node-b'),
  rec(M, 'd', { description: 'gone', status: 'active' }, 'node-d'),
];

function run(flags: DiffSyncFlag[]) {
  return diffModel(M, source, destination, resolveFlags(flags));
}

describe('diffModel', () => {
  it('finds create, update and delete under NONE', () => {
    const d = run(['NONE']);
    expect(d.summary).toEqual({ create: 1, update: 1, delete: 1, 'no-change': 1, skip: 0 });
    expect(d.changes.map((c) => c.id)).toEqual([
      'InfraDevice/update/b',
      'InfraDevice/create/c',
      'InfraDevice/delete/d',
    ]);
  });

  it('builds update attrs from only the differing source values and previous from the destination', () => {
    const update = run(['NONE']).changes.find((c) => c.action === 'update');
    expect(update).toEqual({
      id: 'InfraDevice/update/b',
      action: 'update',
      model: M,
      key: 'b',
      ids: { name: 'b' },
      attrs: { description: 'new' },
      previous: { description: 'old' },
      destinationId: 'node-b',
    });
  });

  it('gives a create every source attr and no destination id', () => {
    const create = run(['NONE']).changes.find((c) => c.action === 'create');
    expect(create?.attrs).toEqual({ description: 'created', status: 'planned' });
    expect(create?.previous).toBeUndefined();
    expect(create?.destinationId).toBeUndefined();
  });

  it('gives a delete the destination attrs as previous and its node id', () => {
    const del = run(['NONE']).changes.find((c) => c.action === 'delete');
    expect(del?.attrs).toEqual({});
    expect(del?.previous).toEqual({ description: 'gone', status: 'active' });
    expect(del?.destinationId).toBe('node-d');
    expect(del?.ids).toEqual({ name: 'd' });
  });

  it('skips deletes by default (empty flag list)', () => {
    const d = run([]);
    expect(d.changes.map((c) => c.action)).toEqual(['update', 'create']);
    expect(d.summary).toEqual({ create: 1, update: 1, delete: 0, 'no-change': 1, skip: 1 });
  });

  it('skips creates under SKIP_UNMATCHED_SRC', () => {
    const d = run(['SKIP_UNMATCHED_SRC']);
    expect(d.changes.map((c) => c.action)).toEqual(['update', 'delete']);
    expect(d.summary.skip).toBe(1);
  });

  it('skips creates and deletes under SKIP_UNMATCHED_BOTH', () => {
    const d = run(['SKIP_UNMATCHED_BOTH']);
    expect(d.changes.map((c) => c.action)).toEqual(['update']);
    expect(d.summary).toEqual({ create: 0, update: 1, delete: 0, 'no-change': 1, skip: 2 });
  });

  it('skips updates under SKIP_MODIFIED and counts them as skip', () => {
    const d = run(['SKIP_MODIFIED']);
    expect(d.changes.map((c) => c.action)).toEqual(['create', 'delete']);
    expect(d.summary).toEqual({ create: 1, update: 0, delete: 1, 'no-change': 1, skip: 1 });
  });

  it('skips everything but no-change under SKIP_UNMATCHED_BOTH + SKIP_MODIFIED', () => {
    const d = run(['SKIP_UNMATCHED_BOTH', 'SKIP_MODIFIED']);
    expect(d.changes).toEqual([]);
    expect(d.summary).toEqual({ create: 0, update: 0, delete: 0, 'no-change': 1, skip: 3 });
  });

  it('lists unchanged keys only with LOG_UNCHANGED_RECORDS', () => {
    expect(run(['NONE']).unchanged).toEqual([]);
    expect(run(['LOG_UNCHANGED_RECORDS']).unchanged).toEqual(['a']);
  });

  it('compares only attributes both sides carry', () => {
    const d = diffModel(
      M,
      [rec(M, 'x', { description: 'd', serial: 'S1' })],
      [rec(M, 'x', { description: 'd', asset_tag: 'T9' })],
      resolveFlags(['NONE']),
    );
    expect(d.changes).toEqual([]);
    expect(d.summary['no-change']).toBe(1);
  });

  it('compares lists and objects deeply, ignoring object key order', () => {
    const src = [
      rec(M, 'same', { tags: ['a', 'b'], meta: { x: 1, y: [true, null] } }),
      rec(M, 'diff', { tags: ['a', 'b'], meta: { x: 1 } }),
    ];
    const dst = [
      rec(M, 'same', { tags: ['a', 'b'], meta: { y: [true, null], x: 1 } }),
      rec(M, 'diff', { tags: ['a', 'c'], meta: { x: 1, z: 2 } }),
    ];
    const d = diffModel(M, src, dst, resolveFlags(['NONE']));
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]?.attrs).toEqual({ tags: ['a', 'b'], meta: { x: 1 } });
    expect(d.changes[0]?.previous).toEqual({ tags: ['a', 'c'], meta: { x: 1, z: 2 } });
  });

  it('does not coerce types: 1 is not "1", null is not ""', () => {
    const d = diffModel(
      M,
      [rec(M, 'x', { vlan: 1, description: null })],
      [rec(M, 'x', { vlan: '1', description: '' })],
      resolveFlags(['NONE']),
    );
    expect(d.changes[0]?.attrs).toEqual({ vlan: 1, description: null });
  });

  it('refuses a key that appears twice on one side', () => {
    const twice = [rec(M, 'a', {}, '1'), rec(M, 'a', {}, '2')];
    expect(() => diffModel(M, twice, [], resolveFlags(['NONE']))).toThrow(DuplicateKeyError);
    expect(() => diffModel(M, [], twice, resolveFlags(['NONE']))).toThrow(/a \(ids 1, 2\)/);
  });

  it('handles empty sides', () => {
    expect(diffModel(M, [], [], resolveFlags([])).summary).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      'no-change': 0,
      skip: 0,
    });
    expect(diffModel(M, source, [], resolveFlags([])).summary.create).toBe(3);
  });
});
