// Every transform expression of infrahub-sync's example configs (and more Jinja2 behaviour the
// engine must share), checked against what real Jinja2 3.1 NativeEnvironment returned for the
// same input: tests/unit/mapping/jinja2-corpus.json, produced by jinja2-corpus.gen.py.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileTemplate } from '../../../shared/mapping/jinja/compile.js';
import { PyFloat, typeName } from '../../../shared/mapping/python.js';

interface Case {
  expr: string;
  ctx: Record<string, unknown>;
  lookup: Record<string, unknown> | null;
  note?: string;
  result?: unknown;
  type?: string;
  error?: string;
}

const here = new URL('.', import.meta.url).pathname;
const cases = JSON.parse(readFileSync(join(here, 'jinja2-corpus.json'), 'utf8')) as Case[];
const ACI: Record<string, string> = { '101': 'leaf-101', '102': 'leaf-102' };
const options = {
  filters: { aci_device_name: (v: unknown) => ACI[String(v)] ?? v },
};

function plain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.v;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (typeof o.__float__ === 'number') return new PyFloat(o.__float__);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

function pyType(v: unknown): string {
  // JSON cannot tell a tuple from a list.
  return typeName(v);
}

describe('transforms match Jinja2 on the corpus', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const ctx = decode(c.ctx) as Record<string, unknown>;
    if (c.lookup) {
      const table = decode(c.lookup) as Record<string, unknown>;
      ctx.lookup = (metric: unknown, _key: unknown, _path: unknown, dflt: unknown = null) =>
        Object.hasOwn(table, String(metric)) ? table[String(metric)] : dflt;
    }
    const tpl = compileTemplate(c.expr, options);
    if (c.error !== undefined) {
      expect(() => tpl.render(ctx), `${c.expr} should fail like Jinja2: ${c.error}`).toThrow();
      return;
    }
    const got = tpl.render(ctx);
    expect(plain(got), `${c.expr} with ${JSON.stringify(c.ctx)}`).toEqual(c.result);
    const want = c.type === 'tuple' ? 'list' : c.type;
    expect(pyType(got), `python type of ${c.expr}`).toBe(want);
  });

  it('covers every transform expression of the example configs', () => {
    const dir = join(import.meta.dirname, '../../fixtures/config/examples');
    const exprs = new Set<string>();
    for (const d of readdirSync(dir)) {
      let text: string;
      try {
        text = readFileSync(join(dir, d, 'config.yml'), 'utf8');
      } catch {
        continue;
      }
      const cfg = parse(text) as { schema_mapping?: { transforms?: { expression: string }[] }[] };
      for (const e of cfg.schema_mapping ?? []) for (const t of e.transforms ?? []) exprs.add(t.expression);
    }
    expect(exprs.size).toBeGreaterThan(30);
    const covered = new Set(cases.map((c) => c.expr));
    expect([...exprs].filter((e) => !covered.has(e))).toEqual([]);
  });
});
