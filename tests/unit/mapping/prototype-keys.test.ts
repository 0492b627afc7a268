// Field names, identifiers, model names and variable names are data: where mapping, diff and
// config build or read objects keyed by them, `__proto__`, `constructor` or `toString` behave
// like any other name (a field that exists, or one that does not), never like a prototype member.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/config/checksum.js';
import { expandSettings, expandString } from '../../../shared/config/env.js';
import { diffModel, resolveFlags, type SyncRecord } from '../../../shared/diff/index.js';
import { absentMappedFields, compileTransforms, normaliseModel, toValue } from '../../../shared/mapping/index.js';
import { peerIds } from '../../../shared/runtime/steps/plan.js';
import type { PlanOutcome } from '../../../shared/runtime/steps/types.js';
import { config, entry, field } from './helpers.js';

const fromJson = <T>(text: string): T => JSON.parse(text) as T;

describe('prototype member names as data', () => {
  it('toValue copies a __proto__ key as a key', () => {
    const v = toValue(fromJson<Record<string, unknown>>('{"__proto__": {"polluted": 1}, "x": NaN}'.replace('NaN', '1e999'))) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(v.x).toBeNull();
  });

  it('a transform writes a field named __proto__ (plain or dotted) without touching prototypes', () => {
    const t = compileTransforms(
      [
        { field: '__proto__', expression: "{{ {'polluted': 1} }}" },
        { field: 'site.__proto__', expression: '{{ name }}' },
        { field: 'constructor.name', expression: "{{ 'x' }}" },
      ],
      { model: 'M' },
    );
    const out = t.apply({ id: 1, name: 'n', site: { name: 's' } });
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(out['__proto__']).toEqual({ polluted: 1 });
    expect((out as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.site).toEqual(fromJson('{"name": "s", "__proto__": "n"}'));
    expect(out.constructor).toEqual({ name: 'x' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('diffModel reports a change of a __proto__ attribute as one', () => {
    const rec = (v: string): SyncRecord => ({ model: 'M', key: 'k', ids: { name: 'k' }, attrs: fromJson(`{"__proto__": "${v}", "constructor": "${v}"}`) });
    const d = diffModel('M', [rec('new')], [rec('old')], resolveFlags(['NONE']));
    expect(d.summary.update).toBe(1);
    const change = d.changes[0]!;
    expect(Object.keys(change.attrs)).toEqual(['__proto__', 'constructor']);
    expect(change.attrs['__proto__']).toBe('new');
    expect(change.previous?.['__proto__']).toBe('old');
    expect(diffModel('M', [rec('same')], [rec('same')], resolveFlags(['NONE'])).summary['no-change']).toBe(1);
    // A field one side lacks is not compared, even when its name is an inherited member.
    const plain: SyncRecord = { model: 'M', key: 'k', ids: { name: 'k' }, attrs: {} };
    expect(diffModel('M', [rec('x')], [plain], resolveFlags(['NONE'])).summary['no-change']).toBe(1);
  });

  it('canonicalJson keeps a __proto__ key, so the config checksum sees it', () => {
    const a = canonicalJson(fromJson('{"f": {"__proto__": 1}}'));
    expect(a).toBe('{"f":{"__proto__":1}}');
    expect(canonicalJson(fromJson('{"f": {"__proto__": 2}}'))).not.toBe(a);
  });

  it('${constructor} and ${toString} are variables like any other: unset unless set', () => {
    const missing = new Set<string>();
    expect(expandString('a${constructor}b${toString}c', {}, missing)).toBe('abc');
    expect([...missing]).toEqual(['constructor', 'toString']);
    expect(expandString('${constructor}', { constructor: 'set' })).toBe('set');
    expect(expandSettings({ url: '${__proto__:-fallback}' }, {}).value).toEqual({ url: 'fallback' });
  });

  it('warns about a mapped field named like an inherited member that no record has', () => {
    const e = entry('M', 'm', ['name'], [field('name', { mapping: 'name' }), field('c', { mapping: 'constructor' })]);
    expect(absentMappedFields(e, [{ id: 1, name: 'a' }]).map((f) => f.path)).toEqual(['constructor']);
    expect(absentMappedFields(e, [fromJson('{"id": 1, "name": "a", "constructor": 1}')])).toEqual([]);
  });

  it('a model named constructor takes its identifiers from the options, never from Object', () => {
    const cfg = config([entry('constructor', 'm', [], [field('name', { mapping: 'name' })])]);
    expect(() => normaliseModel(cfg, 'constructor', 'source', [[{ id: 1, name: 'a' }]], new Map(), { identifiers: {} })).toThrow(
      /constructor: no identifiers/,
    );
    const ok = normaliseModel(cfg, 'constructor', 'source', [[{ id: 1, name: 'a' }]], new Map(), { identifiers: { constructor: ['name'] } });
    expect(ok.records.map((r) => r.key)).toEqual(['a']);
  });

  it('peerIds gives the destination id of a peer keyed __proto__ (what the apply step points a reference at)', () => {
    const cfg = config([entry('Tag', 't', ['name'], [field('name', { mapping: 'name' })]), entry('Dev', 'd', ['name'], [field('name', { mapping: 'name' }), field('tags', { mapping: 'tags', reference: 'Tag' })])]);
    const outcome = { destinationKeys: { Tag: new Map([['node-1', '__proto__'], ['node-2', 'constructor']]) } } as unknown as PlanOutcome;
    const ids = peerIds(outcome, cfg).Tag!;
    expect(Object.hasOwn(ids, '__proto__') && ids['__proto__']).toBe('node-1');
    expect(ids.constructor).toBe('node-2');
    expect(Object.getPrototypeOf(ids)).toBe(Object.prototype);
  });
});
