// Runs probes.ts against the real Infrahub and saves its answers as fixtures under
// tests/fixtures/infrahub-real/ (one file per group of probes), for the stand-in's tests to
// compare against. No token is in them: requests carry it in a header only.
// Usage: npx tsx tests/peers/infrahub/record-facts.ts [--out dir]
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { peerFromEnv } from './peer-env.js';
import { identitySummary, runProbes, type Exchange, type ProbeRecord } from './probes.js';

const OUT_DEFAULT = fileURLToPath(new URL('../../fixtures/infrahub-real', import.meta.url));

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
  const { record, names } = await runProbes(peerFromEnv(), suffix);
  const server = `infrahub-server ${String((record.info?.body as { version?: string } | null)?.version ?? '?')}, local install (tests/peers/infrahub/up.sh), configs/schemas loaded`;
  for (const [file, g] of Object.entries(GROUPS)) {
    const re = new RegExp(`^(${g.prefix.replaceAll('.', '\\.')})`);
    const cases: Record<string, Exchange> = {};
    for (const [k, v] of Object.entries(record)) if (re.test(k)) cases[k] = redacted(v) as Exchange;
    writeFileSync(`${out}/${file}`, `${JSON.stringify({ server, recorded: new Date().toISOString().slice(0, 10), title: g.title, suffix, names: Object.fromEntries(names), cases }, null, 2)}\n`);
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
