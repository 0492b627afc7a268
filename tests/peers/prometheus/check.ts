// Test tooling, not part of npm test: scrapes a real node_exporter (Debian's
// prometheus-node-exporter) with the prometheus adapter, checks that every sample line of the
// raw text came back as a record, then runs infrahub-sync's node_exporter example unchanged
// (PROM_URL pointing at it) into the Infrahub stand-in: a sync, then a diff that must be empty.
// Usage: apt-get install -y prometheus-node-exporter && npm run peer:prometheus
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrometheusAdapter } from '../../../shared/adapters/prometheus/index.js';
import { MemoryLogger } from '../../../shared/log.js';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import { runCli } from '../../integration/cli/cli-harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const exporter = spawn(BIN, [`--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
let exporterLog = '';
exporter.stderr.on('data', (b: Buffer) => (exporterLog += b.toString()));
const work = await mkdtemp(join(tmpdir(), 'peer-prometheus-'));
let failed = false;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/metrics`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 50) throw new Error(`node_exporter did not come up on ${url}: ${exporterLog.slice(-500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const raw = await (await fetch(`${url}/metrics`)).text();
  const version = /node_exporter_build_info\{[^}]*version="([^"]+)"/.exec(raw)?.[1] ?? 'unknown';
  const lines = raw.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const byName = new Map<string, number>();
  for (const l of lines) {
    const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(l)?.[0] ?? '';
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const adapter = new PrometheusAdapter({ name: 'prometheus', settings: { url } }, { configDir: ROOT, env: {}, logger: new MemoryLogger() });
  let records = 0;
  const mismatches: string[] = [];
  for (const [name, count] of byName) {
    const got = await adapter.load({ side: 'source', model: 'X', path: name, fields: [] });
    records += got.length;
    if (got.length !== count) mismatches.push(`${name}: ${count} lines, ${got.length} records`);
    const labelled = lines.find((l) => l.startsWith(`${name}{`));
    if (labelled && got.every((r) => Object.keys(r.labels as object).length === 0)) mismatches.push(`${name}: labels lost`);
  }
  await adapter.close();
  process.stdout.write(`node_exporter ${version} at ${url}: ${lines.length} sample lines in ${byName.size} metrics; the adapter read ${records} records\n`);
  if (mismatches.length) {
    failed = true;
    process.stdout.write(`MISMATCH:\n  ${mismatches.join('\n  ')}\n`);
  }

  const infrahub = await startInfrahubStandin({ schema: join(ROOT, 'configs/schemas-prometheus'), token: 'peer-token' });
  try {
    const config = join(work, 'config.yml');
    await writeFile(config, await readFile(join(ROOT, 'tests/fixtures/config/examples/prometheus_to_infrahub (node_exporter)/config.yml')));
    const env = { PROM_URL: url, INFRAHUB_ADDRESS: infrahub.url, INFRAHUB_API_TOKEN: 'peer-token' };
    const args = (mode: string) => [mode, '--config-file', config, '--format', 'json', '--store', join(work, 'runs')];
    const sync = await runCli(args('sync'), { cwd: work, env });
    const syncDoc = JSON.parse(sync.stdout) as { summary: Record<string, number>; report?: { failures: unknown[] } };
    const diff = await runCli(args('diff'), { cwd: work, env });
    const diffDoc = JSON.parse(diff.stdout) as { summary: Record<string, number>; changes: unknown[] };
    const vm = infrahub.nodes('VirtualizationVirtualMachine')[0];
    process.stdout.write(
      `example sync: exit ${sync.code}, ${JSON.stringify(syncDoc.summary)}, ${syncDoc.report?.failures.length ?? '?'} failures; ` +
        `then diff: exit ${diff.code}, ${diffDoc.changes.length} changes (${diffDoc.summary['no-change']} unchanged)\n` +
        `  machine ${String(vm?.name)}: ${infrahub.nodes('VirtualizationVMNetworkInterface').length} interfaces, ` +
        `${infrahub.nodes('VirtualizationVMFilesystem').length} filesystems, ${infrahub.nodes('VirtualizationVMDisk').length} disks, ` +
        `memory ${String(vm?.mem_total_bytes)} bytes, kernel ${String(vm?.os_kernel)}\n`,
    );
    if (sync.code !== 0 || diff.code !== 0 || diffDoc.changes.length !== 0) failed = true;
  } finally {
    await infrahub.stop();
  }
} finally {
  exporter.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
