// Deletes every node of the kinds a schema file defines (and BuiltinTag) on one branch of the
// peer Infrahub, so a check starts from an empty destination (test tooling). Nodes that others
// still point at through a mandatory relationship fail and are retried after the rest.
// Usage: npx tsx tests/peers/infrahub/clean.ts --yes [--branch main] [--schema configs/schemas/infra.yml]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { graphql, peerFromEnv } from './peer-env.js';

const i = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

async function main(): Promise<void> {
  if (!process.argv.includes('--yes')) {
    console.error('deletes data: pass --yes');
    process.exit(2);
  }
  const branch = i('branch') ?? 'main';
  const file = i('schema') ?? fileURLToPath(new URL('../../../configs/schemas/infra.yml', import.meta.url));
  const doc = parse(readFileSync(file, 'utf8')) as { nodes?: { namespace: string; name: string }[] };
  const kinds = [...(doc.nodes ?? []).map((n) => `${n.namespace}${n.name}`), 'BuiltinTag'];
  const peer = peerFromEnv();
  const on = branch === 'main' ? undefined : branch;
  for (let pass = 1; pass <= 6; pass++) {
    let left = 0;
    let deleted = 0;
    for (const kind of kinds) {
      const r = await graphql(peer, `query { ${kind}(limit: 1000) { edges { node { id } } } }`, {}, on);
      const ids = ((r.body as { data?: Record<string, { edges: { node: { id: string } }[] }> }).data?.[kind]?.edges ?? []).map((e) => e.node.id);
      for (let k = 0; k < ids.length; k += 25) {
        const chunk = ids.slice(k, k + 25);
        const q = `mutation { ${chunk.map((id, n) => `d${n}: ${kind}Delete(data: {id: "${id}"}) { ok }`).join(' ')} }`;
        const res = await graphql(peer, q, {}, on);
        const data = (res.body as { data?: Record<string, { ok?: boolean } | null> | null }).data ?? {};
        const ok = Object.values(data).filter((v) => v?.ok).length;
        deleted += ok;
        left += chunk.length - ok;
      }
    }
    console.log(`pass ${pass}: deleted ${deleted}, ${left} left`);
    if (left === 0) break;
  }
}

await main();
