// The two infrahub-sync example configs against (a) configs/schemas and (b) what the
// NetBox / Nautobot stand-ins serve: every mapped kind and field must exist with a
// compatible kind and cardinality, and every source path must resolve on served objects.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateDataset } from '../../standins/dataset/generate.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import { SchemaModel } from './schema-model.js';

interface FieldEntry { name: string; mapping?: string; static?: unknown; reference?: string }
interface MappingEntry {
  name: string; mapping: string; identifiers?: string[]; fields: FieldEntry[];
  filters?: { field: string }[]; transforms?: { field: string; expression: string }[];
}
interface SyncConfig { schema_mapping: MappingEntry[] }

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const schema = new SchemaModel(here('../../../configs/schemas'));
const TOKEN = 'standin-token';

/**
 * Paths the example configs read that the real APIs do not serve (so the stand-ins do not
 * either): infrahub-sync then simply leaves the field unset.
 */
const ABSENT_IN_REAL_API: Record<string, Record<string, string>> = {
  nautobot: {
    'circuits.provider-networks service_id': 'Nautobot 2.x ProviderNetwork has no service_id (NetBox does)',
    'circuits.provider-networks provider.slug': 'Nautobot 2.x removed slugs; depth 0 relations carry no names',
    'circuits.provider-networks status': 'Nautobot 2.x ProviderNetwork has no status',
    'dcim.front-ports status': 'Nautobot 2.x front ports have no status',
    'dcim.rear-ports status': 'Nautobot 2.x rear ports have no status',
  },
  netbox: {},
};
/**
 * Where the two example configs disagree, or one contradicts itself; configs/schemas follows
 * the Nautobot v2 example (the newer one) and these fields are checked no further.
 */
const CONFIG_CONFLICTS: Record<string, Record<string, string>> = {
  netbox: {
    'InfraCircuit.type': 'NetBox example writes type.name as an attribute; the v2 example (and the schema) make it a relationship to ChoiceCircuitType',
  },
  nautobot: {
    'InfraProviderNetwork.provider': 'mapped twice (provider.slug as attribute, then provider as reference); infrahub-sync keeps the last, the reference',
  },
};
/** Apps the stand-ins do not serve at all. */
const NOT_SERVED = new Set(['plugin.bgp.autonomous-systems']);

function loadConfig(path: string): SyncConfig {
  return parse(readFileSync(here(path), 'utf8')) as SyncConfig;
}

function getValue(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

async function fetchAll(base: string, table: string): Promise<Record<string, unknown>[]> {
  const [app, model] = table.split('.');
  let next: string | null = `${base}/api/${app}/${(model ?? '').replace(/_/g, '-')}/?limit=1000`;
  const out: Record<string, unknown>[] = [];
  while (next) {
    const res = await fetch(next, { headers: { Authorization: `Token ${TOKEN}` } });
    expect(res.status, `${table}: GET ${next}`).toBe(200);
    const page = (await res.json()) as { next: string | null; results: Record<string, unknown>[] };
    out.push(...page.results);
    next = page.next;
  }
  return out;
}

const TEXT_KINDS = new Set(['Text', 'TextArea', 'Dropdown', 'IPHost', 'IPNetwork', 'MacAddress', 'URL', 'DateTime', 'HashedPassword']);
function compatible(kind: string, value: unknown): boolean {
  if (typeof value === 'string') return TEXT_KINDS.has(kind);
  if (typeof value === 'number') return kind === 'Number';
  if (typeof value === 'boolean') return kind === 'Boolean';
  return kind === 'JSON' || kind === 'List';
}

const SYSTEMS = [
  { system: 'netbox', config: loadConfig('../../fixtures/netbox/infrahub-sync.netbox_to_infrahub.config.yml'), start: startNetboxStandin },
  { system: 'nautobot', config: loadConfig('../../fixtures/nautobot/infrahub-sync.nautobot-v2_to_infrahub.config.yml'), start: startNautobotStandin },
] as const;

describe.each(SYSTEMS)('$system example config', ({ system, config, start }) => {
  let standin: Awaited<ReturnType<typeof start>>;
  const served = new Map<string, Record<string, unknown>[]>();

  beforeAll(async () => {
    standin = await start({ dataset: generateDataset({ size: 'small', seed: 11 }), token: TOKEN });
    for (const entry of config.schema_mapping) {
      if (!NOT_SERVED.has(entry.mapping) && !served.has(entry.mapping)) served.set(entry.mapping, await fetchAll(standin.url, entry.mapping));
    }
  });
  afterAll(async () => standin.stop());

  it('maps only kinds defined in configs/schemas or built in', () => {
    const missing = config.schema_mapping.map((e) => e.name).filter((k) => !schema.kinds.has(k));
    expect(missing).toEqual([]);
  });

  it('serves a non-empty list for every mapped endpoint', () => {
    const empty = [...served].filter(([, rows]) => rows.length === 0).map(([t]) => t);
    expect(empty).toEqual([]);
  });

  it('maps every field onto a schema attribute or relationship of a compatible kind and cardinality', () => {
    const problems: string[] = [];
    for (const entry of config.schema_mapping) {
      const rows = served.get(entry.mapping) ?? [];
      const transformed = new Set((entry.transforms ?? []).map((t) => t.field));
      for (const id of entry.identifiers ?? []) {
        if (!entry.fields.some((f) => f.name === id)) problems.push(`${entry.name}: identifier ${id} is not a mapped field`);
      }
      for (const f of entry.fields) {
        const where = `${entry.name}.${f.name} <- ${entry.mapping}.${f.mapping ?? '(static)'}`;
        if (CONFIG_CONFLICTS[system]?.[`${entry.name}.${f.name}`] && !f.reference) continue;
        if (f.reference) {
          const r = schema.relationship(entry.name, f.name);
          if (!r) { problems.push(`${where}: no relationship ${f.name} on ${entry.name}`); continue; }
          if (!schema.kinds.has(f.reference)) problems.push(`${where}: reference kind ${f.reference} undefined`);
          else if (!schema.fits(f.reference, r.peer)) problems.push(`${where}: ${f.reference} cannot be a peer of ${r.peer}`);
          const sample = rows.map((row) => getValue(row, f.mapping ?? '')).find((v) => v !== null && v !== undefined);
          if (sample !== undefined) {
            const many = Array.isArray(sample);
            if (many !== (r.cardinality === 'many')) problems.push(`${where}: source is ${many ? 'a list' : 'one object'}, relationship cardinality ${r.cardinality ?? 'many'}`);
          }
          continue;
        }
        const a = schema.attribute(entry.name, f.name);
        if (!a) { problems.push(`${where}: no attribute ${f.name} on ${entry.name}`); continue; }
        const value = f.static !== undefined ? f.static : transformed.has(f.mapping ?? '') || transformed.has(f.name) ? undefined
          : rows.map((row) => getValue(row, f.mapping ?? '')).find((v) => v !== null && v !== undefined);
        if (value !== undefined && !compatible(a.kind, value)) problems.push(`${where}: value ${JSON.stringify(value)} does not fit attribute kind ${a.kind}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolves every mapped, filtered and templated source path on the served objects', () => {
    const problems: string[] = [];
    const absent = ABSENT_IN_REAL_API[system] ?? {};
    for (const entry of config.schema_mapping) {
      if (NOT_SERVED.has(entry.mapping)) continue;
      const rows = served.get(entry.mapping) ?? [];
      const produced = new Set((entry.transforms ?? []).map((t) => t.field));
      const paths = new Set<string>();
      for (const f of entry.fields) if (f.mapping && !produced.has(f.mapping)) paths.add(f.mapping);
      for (const flt of entry.filters ?? []) paths.add(flt.field);
      for (const t of entry.transforms ?? []) {
        for (const m of t.expression.matchAll(/\b([a-z_][a-z0-9_]*)\b/g)) {
          const word = m[1] ?? '';
          if (!['if', 'else', 'float', 'round', 'ceil', 'lower', 'upper', 'name', 'display'].includes(word) && !produced.has(word) && /^[a-z_]+$/.test(word) && rows[0] && word in rows[0]) paths.add(word);
          if ((word === 'name' || word === 'display') && rows[0]) paths.add(word);
        }
      }
      for (const p of paths) {
        const key = `${entry.mapping} ${p}`;
        const found = rows.some((row) => { const v = getValue(row, p); return v !== null && v !== undefined; });
        if (absent[key]) {
          expect(found, `${key} is listed as absent but is served`).toBe(false);
          continue;
        }
        const reference = entry.fields.find((f) => f.mapping === p && f.reference);
        if (!found) { problems.push(`${key}: never present on ${rows.length} served objects`); continue; }
        if (reference) {
          const bad = rows.map((row) => getValue(row, p)).filter((v) => v !== null && v !== undefined)
            .flatMap((v) => (Array.isArray(v) ? v : [v])).find((v) => typeof v !== 'object' || v === null || !('id' in v));
          if (bad !== undefined) problems.push(`${key}: reference value ${JSON.stringify(bad)} has no id`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
