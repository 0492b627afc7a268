// Loads schema files into an Infrahub (real or stand-in) through POST /api/schema/load, the
// request `infrahubctl schema load` sends, then waits until /api/schema/summary shows the new
// hash. Usage: tsx load-schema.ts <file-or-dir>... (address and token as in peer-env.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { call, peerFromEnv } from './peer-env.js';

function schemaFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

export async function loadSchemas(paths: string[], branch = 'main'): Promise<{ status: number; body: unknown }> {
  const peer = peerFromEnv();
  const schemas = paths.flatMap(schemaFiles).map((f) => parse(readFileSync(f, 'utf8')) as unknown);
  const res = await call(peer, 'POST', `/api/schema/load?branch=${encodeURIComponent(branch)}`, { schemas });
  if (res.status >= 300) return res;
  const want = (res.body as { hash?: string } | null)?.hash;
  for (let i = 0; i < 120 && want; i++) {
    const summary = await call(peer, 'GET', `/api/schema/summary?branch=${encodeURIComponent(branch)}`);
    if ((summary.body as { main?: string } | null)?.main === want) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return res;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await loadSchemas(process.argv.slice(2));
  const body = res.body as { hash?: string; schema_updated?: boolean } | null;
  if (res.status >= 300) {
    console.error(`schema load failed: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 2000)}`);
    process.exit(1);
  }
  console.log(`schema load: HTTP ${res.status}, updated=${String(body?.schema_updated)}, hash=${body?.hash ?? '?'}`);
}
