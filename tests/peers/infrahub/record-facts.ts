// Runs probes.ts against the real Infrahub and saves its answers as fixtures under
// tests/fixtures/infrahub-real/ (one file per group of probes), for the stand-in's tests to
// compare against. No token is in them: requests carry it in a header only.
// Usage: npx tsx tests/peers/infrahub/record-facts.ts [--out dir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { peerFromEnv } from './peer-env.js';
import { runProbes, type Exchange, type ProbeRecord } from './probes.js';

const OUT_DEFAULT = fileURLToPath(new URL('../../fixtures/infrahub-real', import.meta.url));
const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas/infra.yml', import.meta.url));

interface SchemaKind {
  kind?: string;
  namespace: string;
  name: string;
  human_friendly_id?: string[] | null;
  default_filter?: string | null;
  uniqueness_constraints?: string[][] | null;
  display_labels?: string[] | null;
  display_label?: string | null;
  inherit_from?: string[];
  attributes?: { name: string; unique?: boolean; read_only?: boolean; optional?: boolean }[];
}

/** What the compiled schema says about identity, per kind of configs/schemas and the core kinds syncs touch. */
function identitySummary(schemaBody: unknown): Record<string, unknown> {
  const body = schemaBody as { nodes?: SchemaKind[]; generics?: SchemaKind[] };
  const wanted = new Set<string>(['BuiltinTag', 'CoreAccount', 'CoreAccountGroup', 'CoreGenericAccount', 'BuiltinIPPrefix', 'BuiltinIPAddress', 'BuiltinIPNamespace', 'IpamNamespace']);
  const text = readFileSync(SCHEMAS, 'utf8');
  for (const m of text.matchAll(/^ {2}- name: (\w+)[^\n]*\n {4}namespace: (\w+)/gm)) wanted.add(`${m[2]}${m[1]}`);
  const out: Record<string, unknown> = {};
  for (const [section, list] of [['node', body.nodes ?? []], ['generic', body.generics ?? []]] as const) {
    for (const k of list) {
      const kind = k.kind ?? `${k.namespace}${k.name}`;
      if (!wanted.has(kind)) continue;
      out[kind] = {
        section,
        inherit_from: k.inherit_from ?? [],
        human_friendly_id: k.human_friendly_id ?? null,
        default_filter: k.default_filter ?? null,
        uniqueness_constraints: k.uniqueness_constraints ?? null,
        display_labels: k.display_labels ?? null,
        display_label: k.display_label ?? null,
        unique_attributes: (k.attributes ?? []).filter((a) => a.unique).map((a) => a.name),
        read_only_attributes: (k.attributes ?? []).filter((a) => a.read_only).map((a) => a.name),
      };
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const GROUPS: Record<string, { title: string; prefix: string }> = {
  'uniqueness-refusals.json': { title: 'A second node with the same uniqueness-constraint values, by Create, by Upsert without id/hfid, and twice in one request', prefix: 'uniqueness.' },
  'empty-relationships-and-display-labels.json': { title: 'An empty cardinality-one relationship in a query answer; display_label of nodes whose display_labels attribute is empty, read directly and through a relationship or generic', prefix: 'emptyOne.|displayLabel.' },
  'ipam-identity.json': { title: 'The same IP prefix / address created twice in one namespace (Create and Upsert), queries by value and namespace', prefix: 'ipam.' },
  'lineage.json': { title: 'Attribute and relationship source/owner/is_protected: written on create and update, read back as properties; unknown ids; CoreAccount and CoreAccountGroup lookups', prefix: 'lineage.' },
  'setup.json': { title: 'The nodes the other probes use', prefix: 'setup.' },
  'api-info.json': { title: 'GET /api/info', prefix: 'info' },
};

/** Request variables with every `password` value replaced (the probe's throwaway account). */
function redacted(v: unknown, key?: string): unknown {
  if (key === 'password' && v && typeof v === 'object') return { value: '<redacted>' };
  if (Array.isArray(v)) return v.map((x) => redacted(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redacted(x, k)]));
  return v;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--out');
  const out = at > 0 && process.argv[at + 1] ? (process.argv[at + 1] as string) : OUT_DEFAULT;
  mkdirSync(out, { recursive: true });
  const suffix = `-f${Date.now().toString(36)}`;
  const { record } = await runProbes(peerFromEnv(), suffix);
  const server = `infrahub-server ${String((record.info?.body as { version?: string } | null)?.version ?? '?')}, local install (tests/peers/infrahub/up.sh), configs/schemas loaded`;
  for (const [file, g] of Object.entries(GROUPS)) {
    const re = new RegExp(`^(${g.prefix.replaceAll('.', '\\.')})`);
    const cases: Record<string, Exchange> = {};
    for (const [k, v] of Object.entries(record)) if (re.test(k)) cases[k] = redacted(v) as Exchange;
    writeFileSync(`${out}/${file}`, `${JSON.stringify({ server, recorded: new Date().toISOString().slice(0, 10), title: g.title, suffix, cases }, null, 2)}\n`);
  }
  const schema = record.schema as Exchange;
  writeFileSync(
    `${out}/schema-identity.json`,
    `${JSON.stringify({ server, recorded: new Date().toISOString().slice(0, 10), title: 'GET /api/schema?branch=main, reduced to what identifies nodes of each kind (configs/schemas kinds and the core kinds syncs touch)', status: schema.status, kinds: identitySummary(schema.body) }, null, 2)}\n`,
  );
  const count = Object.keys(record as ProbeRecord).length;
  console.log(`recorded ${count} exchanges into ${out}`);
}

await main();
